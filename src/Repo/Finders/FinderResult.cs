using Arbor.Repo.GLib;
using Arbor.Repo.Refs;

namespace Arbor.Repo.Finders;

/// <summary>
/// One remote that serves some of the requested collection–refs (<c>OstreeRepoFinderResult</c>): the
/// remote (a configured one, or a dynamic one for a repository on a mount), the finder that found it,
/// its priority (lower is better), and which ref it has at which commit (null: not, or not the newest).
/// </summary>
public sealed class FinderResult
{
    /// <summary>The remote's name: a configured remote's, or one made from the URL and keyring.</summary>
    public required string RemoteName { get; init; }
    public required string Url { get; init; }
    /// <summary>The GObject type name ostree prints: <c>OstreeRepoFinderConfig</c>, <c>OstreeRepoFinderMount</c>.</summary>
    public required string Finder { get; init; }
    public required string Keyring { get; init; }
    /// <summary>For a dynamic remote, the configured remote whose keyring (and collection ID) it uses.</summary>
    public string? KeyringRemote { get; init; }
    /// <summary>True when the remote is one of the repository's configured remotes.</summary>
    public bool Configured { get; init; }
    public required int Priority { get; init; }
    public required GHashTable<CollectionRef, string?> RefToChecksum { get; set; }
    /// <summary>The summary's <c>ostree.summary.last-modified</c>, 0 when unknown.</summary>
    public ulong SummaryLastModified { get; set; }

    public static GHashTable<CollectionRef, string?> NewRefTable() => new(CollectionRef.Hash, EqualityComparer<CollectionRef>.Default);

    /// <summary><c>ostree_repo_finder_result_compare</c>, its int arithmetic included.</summary>
    public static int Compare(FinderResult a, FinderResult b)
    {
        if (a.Priority != b.Priority) return a.Priority - b.Priority;
        if (a.SummaryLastModified != 0 && b.SummaryLastModified != 0 && a.SummaryLastModified != b.SummaryLastModified)
            return unchecked((int)(a.SummaryLastModified - b.SummaryLastModified));
        int an = a.RefToChecksum.Entries.Count(e => e.Value is not null), bn = b.RefToChecksum.Entries.Count(e => e.Value is not null);
        if (an != bn) return an - bn;
        return string.CompareOrdinal(a.RemoteName, b.RemoteName);
    }

    /// <summary>g_ptr_array_sort: a stable sort by <see cref="Compare"/>.</summary>
    public static List<FinderResult> Sort(IEnumerable<FinderResult> results) =>
        results.OrderBy(r => r, Comparer<FinderResult>.Create(Compare)).ToList();
}
