using Arbor.Repo.Core;
using Arbor.Repo.GLib;
using Arbor.Repo.Progress;
using Arbor.Repo.Pull;
using Arbor.Repo.Refs;
using Arbor.Repo.Remotes;

namespace Arbor.Repo.Finders;

/// <summary>
/// <c>ostree_repo_pull_from_remotes_async</c>: pulls the refs of <see cref="RemoteFinder"/>'s results,
/// trying the results in priority order. From each it pulls, pinned to the commit the result offers
/// (the newest one), the refs it has that no earlier result delivered, as collection–refs, untrusted,
/// with GPG verification of commits forced on and of the summary off; a result that fails is passed
/// over and its refs are left to the next. Refs go to <c>refs/remotes/REMOTE/REF</c> (a mount
/// result's REMOTE being the configured remote whose keyring it uses) or, mirroring,
/// <c>refs/mirrors/COLLECTION-ID/REF</c>. A ref no result delivered fails the whole, after the others
/// are written, with ostree's message.
/// </summary>
public static class RemotesPuller
{
    public sealed record Options
    {
        public bool Mirror { get; init; }
        public IProgress<ProgressEvent>? Progress { get; init; }
        /// <summary>Told of each result that failed (its remote name and the error), as ostree's debug messages are.</summary>
        public Action<string, Exception>? Failed { get; init; }
    }

    public static async Task PullAsync(RemoteStore remotes, IReadOnlyList<FinderResult> results, Options options, CancellationToken ct)
    {
        // each collection–ref tried: true once pulled (GHashTable order, as ostree lists the failed ones)
        var pulled = new GHashTable<CollectionRef, bool>(CollectionRef.Hash, EqualityComparer<CollectionRef>.Default);
        foreach (var result in results)
        {
            var targets = new List<CollectionRefTarget>();
            foreach (var (cref, checksum) in result.RefToChecksum.Entries)
                if (checksum is not null && !(pulled.TryGetValue(cref, out var done) && done))
                    targets.Add(new CollectionRefTarget(cref, Checksum.Parse(checksum)));
            if (targets.Count == 0) continue;

            bool ok = true;
            try
            {
                await PullOneAsync(remotes, result, targets, options, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArborException or IOException or HttpRequestException or UnauthorizedAccessException
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                ok = false;
                options.Failed?.Invoke(result.RemoteName, e);
            }
            foreach (var t in targets) pulled.Insert(t.Ref, ok);
        }

        var failed = pulled.Entries.Where(e => !e.Value).Select(e => e.Key.ToString()).ToList();
        if (failed.Count > 0) throw new PullException($"Failed to pull some refs from the remotes: {string.Join(", ", failed)}");
    }

    private static Task<PullResult> PullOneAsync(RemoteStore remotes, FinderResult result, List<CollectionRefTarget> targets, Options options,
        CancellationToken ct)
    {
        // a mount result is a remote of its own, known by the configured remote that lends it its keyring
        var remote = result.Configured
            ? remotes.Get(result.RemoteName)
            : RemoteConfig.Dynamic(result.KeyringRemote ?? throw new InvalidOperationException("A dynamic result has a keyring remote"), result.Url);
        var verifier = CommitVerifier.For(remotes, remote, gpgCommits: true, gpgSummary: false);
        var pullOptions = new PullOptions
        {
            CollectionRefs = targets,
            Mirror = options.Mirror,
            Untrusted = true,
            Progress = options.Progress,
        };
        return Puller.PullAsync(remotes.Repository, remote, verifier, pullOptions, ct);
    }
}
