using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Pull;
using Arbor.Repo.Refs;
using Arbor.Repo.Remotes;
using Arbor.Repo.Store;
using Arbor.Repo.Summary;

namespace Arbor.Repo.Finders;

/// <summary>
/// <c>ostree_repo_find_remotes_async</c>: runs the finders, then reads each result's summary to learn
/// which commit each ref points at there and when it was made (the summary's timestamps, else the
/// local commit's), finds the newest commit of each ref across all results, and keeps for each result
/// only the refs for which it has that newest commit; a result left with none is dropped. Results
/// whose summary cannot be fetched, or disagrees with another about a commit's size or timestamp,
/// are dropped, as ostree drops them.
/// </summary>
public static class RemoteFinder
{
    private const ulong MaxGLibTimestamp = 253402300799; // 9999-12-31T23:59:59Z: g_date_time_new_from_unix_utc's limit

    private sealed class CommitInfo(ulong size, ulong timestamp)
    {
        public ulong Size { get; } = size;
        public ulong Timestamp { get; set; } = timestamp;
        public List<int> Refs { get; } = [];
    }

    public static async Task<List<FinderResult>> FindAsync(RemoteStore remotes, IReadOnlyList<CollectionRef> refs,
        IReadOnlyList<FinderResult> found, CancellationToken ct)
    {
        var results = FinderResult.Sort(found).Cast<FinderResult?>().ToList();
        var commits = new Dictionary<string, CommitInfo>(StringComparer.Ordinal);
        var table = new string?[refs.Count, results.Count];
        for (int i = 0; i < results.Count; i++)
        {
            var result = results[i]!;
            var summary = await TryFetchSummaryAsync(remotes, result, ct).ConfigureAwait(false);
            if (summary is null || !ProcessSummary(remotes, refs, result, i, summary, commits, table))
            {
                results[i] = null;
                continue;
            }
            result.SummaryLastModified = summary.LastModified ?? 0;
        }
        foreach (var (checksum, info) in commits)
            if (info.Timestamp == 0) info.Timestamp = LoadRemoteCommitTimestamp(checksum, info, results, table);

        var latest = new string?[refs.Count];
        var latestTimestamp = new ulong[refs.Count];
        for (int r = 0; r < refs.Count; r++)
            for (int j = 0; j < results.Count; j++)
            {
                var candidate = table[r, j];
                if (candidate is null) continue;
                if (latest[r] is null || commits[candidate].Timestamp > latestTimestamp[r])
                {
                    latest[r] = candidate;
                    latestTimestamp[r] = commits[candidate].Timestamp;
                }
            }

        var final = new List<FinderResult>();
        for (int j = 0; j < results.Count; j++)
        {
            if (results[j] is not { } result) continue;
            var validated = FinderResult.NewRefTable();
            int newest = 0;
            for (int r = 0; r < refs.Count; r++)
            {
                var mine = table[r, j] == latest[r] ? latest[r] : null;
                if (mine is not null) newest++;
                validated.Insert(refs[r], mine);
            }
            if (newest == 0) continue;
            result.RefToChecksum = validated;
            final.Add(result);
        }
        return FinderResult.Sort(final);
    }

    /// <summary>The result's summary, or null when it cannot be had (ostree ignores such a result).</summary>
    private static async Task<SummaryFile?> TryFetchSummaryAsync(RemoteStore remotes, FinderResult result, CancellationToken ct)
    {
        try
        {
            if (result.Configured)
                return (await RemoteSummaryFetcher.FetchAsync(remotes.Repository, remotes, result.RemoteName, ct).ConfigureAwait(false)).Summary;
            // a dynamic remote: its unsigned summary (gpg-verify-summary=false), over HTTP for a LAN peer
            if (!result.Url.StartsWith("file://", StringComparison.Ordinal))
                return (await RemoteSummaryFetcher.FetchAsync(remotes.Repository, remotes, RemoteConfig.Dynamic(result.RemoteName, result.Url), ct)
                    .ConfigureAwait(false)).Summary;
            var path = Path.Combine(new Uri(result.Url).LocalPath, RepoLayout.Summary);
            return File.Exists(path) ? SummaryReader.Parse(File.ReadAllBytes(path), path) : null;
        }
        catch (Exception e) when (e is ArborException or IOException or HttpRequestException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary><c>find_remotes_process_refs</c> over the summary's own collection and its collection map; false drops the result.</summary>
    private static bool ProcessSummary(RemoteStore remotes, IReadOnlyList<CollectionRef> refs, FinderResult result, int index,
        SummaryFile summary, Dictionary<string, CommitInfo> commits, string?[,] table)
    {
        if (summary.CollectionId is { } main && !ProcessRefs(remotes.Repository, refs, index, main, summary.Refs, commits, table)) return false;
        foreach (var (collection, list) in summary.CollectionMap)
        {
            // a dynamic remote only serves the collections its keyring's remote is configured for
            if (result.KeyringRemote is { } kr && remotes.TryGet(kr)?.CollectionId != collection) continue;
            if (!ProcessRefs(remotes.Repository, refs, index, collection, list, commits, table)) return false;
        }
        return true;
    }

    private static bool ProcessRefs(Repository repo, IReadOnlyList<CollectionRef> refs, int index, string collection,
        IReadOnlyList<SummaryRef> list, Dictionary<string, CommitInfo> commits, string?[,] table)
    {
        foreach (var entry in list)
        {
            if (!RefName.IsValid(entry.Name)) return false;
            int r = IndexOf(refs, collection, entry.Name);
            if (r < 0) continue;
            var checksum = entry.Commit.ToString();
            ulong timestamp = entry.Timestamp ?? 0;
            if (timestamp > MaxGLibTimestamp) timestamp = 0;
            if (!commits.TryGetValue(checksum, out var info))
            {
                var stored = repo.TryLoadMetadata(new ObjectName(entry.Commit, ObjectType.Commit));
                info = new CommitInfo(entry.CommitSize, stored is null ? 0 : CommitObject.Parse(stored).Timestamp);
                commits[checksum] = info;
            }
            if (info.Timestamp == 0) info.Timestamp = timestamp;
            else if (timestamp != 0 && info.Timestamp != timestamp) return false;
            if (entry.CommitSize != info.Size) return false;
            table[r, index] = checksum;
            info.Refs.Add(r);
        }
        return true;
    }

    private static int IndexOf(IReadOnlyList<CollectionRef> refs, string collection, string name)
    {
        for (int i = 0; i < refs.Count; i++)
            if (refs[i].CollectionId == collection && refs[i].RefName == name) return i;
        return -1;
    }

    /// <summary>A commit the summaries give no timestamp for: read from the first result (in priority order) that lists it.</summary>
    private static ulong LoadRemoteCommitTimestamp(string checksum, CommitInfo info, List<FinderResult?> results, string?[,] table)
    {
        foreach (var r in info.Refs)
            for (int j = 0; j < results.Count; j++)
            {
                if (results[j] is not { } result || table[r, j] != checksum) continue;
                if (!result.Url.StartsWith("file://", StringComparison.Ordinal)) continue;
                var source = Repository.Open(new Uri(result.Url).LocalPath);
                var bytes = source.TryLoadMetadata(new ObjectName(Checksum.Parse(checksum), ObjectType.Commit));
                if (bytes is null) continue;
                var t = CommitObject.Parse(bytes).Timestamp;
                return t > MaxGLibTimestamp ? 0 : t;
            }
        throw new PullException($"Metadata not found for commit ‘{checksum}’");
    }
}
