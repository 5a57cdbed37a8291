using Arbor.Repo.Pull;
using Arbor.Repo.Refs;
using Arbor.Repo.Remotes;

namespace Arbor.Repo.Finders;

/// <summary>
/// <c>OstreeRepoFinderConfig</c>: the repository's remotes that have a valid <c>collection-id</c> and
/// whose summary lists any of the requested refs of that collection (priority 100).
/// </summary>
public static class ConfigFinder
{
    public const string Name = "OstreeRepoFinderConfig";
    public const int Priority = 100;

    public static async Task<List<FinderResult>> ResolveAsync(RemoteStore remotes, IReadOnlyList<CollectionRef> refs, CancellationToken ct)
    {
        var results = new List<FinderResult>();
        foreach (var (name, remote) in remotes.LoadAll())
        {
            var collectionId = remote.CollectionId;
            if (collectionId is null || !CollectionRefListing.IsValidCollectionId(collectionId)) continue;
            RemoteSummaryFetcher.Result summary;
            try { summary = await RemoteSummaryFetcher.FetchAsync(remotes.Repository, remotes, name, ct).ConfigureAwait(false); }
            catch (Exception e) when (e is Core.ArborException or IOException or HttpRequestException) { continue; } // ostree ignores the remote
            var listed = SummaryRefs.List(summary.Summary);
            var table = FinderResult.NewRefTable();
            foreach (var r in refs)
                if (r.CollectionId == collectionId && listed.TryGetValue(r, out var checksum)) table.Insert(r, checksum);
            if (table.Count == 0) continue;
            results.Add(new FinderResult
            {
                RemoteName = name, Url = remote.Url ?? "", Finder = Name, Keyring = KeyringRemotes.Keyring(name),
                Configured = true, Priority = Priority, RefToChecksum = table,
            });
        }
        return FinderResult.Sort(results);
    }
}
