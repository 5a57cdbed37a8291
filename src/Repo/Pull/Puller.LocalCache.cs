using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Repo.Pull;

/// <summary>
/// <c>pull --localcache-repo=REPO</c>: before a remote object is requested, the local caches are
/// asked in order; the first that holds it supplies it (a commit with its detached metadata),
/// imported untrusted, so verified like a download. A <c>file://</c> remote is itself local, so
/// caches are not consulted for it (as in ostree).
/// </summary>
public sealed partial class Puller
{
    private static List<LocalPullSource> OpenCaches(Repository target, PullOptions options) =>
        options.LocalCacheRepos.Select(path => new LocalPullSource(Repository.Open(path), target, untrusted: true, options.BareUserOnlyFiles)).ToList();

    /// <summary>The first local cache holding <paramref name="name"/>, else null (it comes from the source).</summary>
    private LocalPullSource? CacheFor(ObjectName name)
    {
        foreach (var cache in _caches)
            if (cache.Source.HasObject(name)) return cache;
        return null;
    }

    private void CountMetadata(bool fromCache, int count = 1) =>
        Interlocked.Add(ref fromCache ? ref _metadataFromCache : ref _metadataFetched, fromCache ? 1 : count);
}
