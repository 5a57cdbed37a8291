using Arbor.Repo.Core;

namespace Arbor.Repo.Store;

/// <summary>Every path inside a repository, relative to its root (repo-format.md §2).</summary>
public static class RepoLayout
{
    public const string Config = "config";
    public const string Objects = "objects";
    public const string Refs = "refs";
    public const string RefsHeads = "refs/heads";
    public const string RefsRemotes = "refs/remotes";
    public const string RefsMirrors = "refs/mirrors";
    public const string Tmp = "tmp";
    public const string TmpCache = "tmp/cache";
    public const string SummaryCache = "tmp/cache/summaries";
    public const string State = "state";
    public const string Extensions = "extensions";
    public const string Summary = "summary";
    public const string SummarySig = "summary.sig";
    public const string Lock = ".lock";
    public const string Deltas = "deltas";
    public const string DeltaIndexes = "delta-indexes";
    /// <summary>Inflated FILE objects of an archive repository, in bare form, for user-mode checkouts to hardlink.</summary>
    public const string UncompressedObjectsCache = "uncompressed-objects-cache";

    /// <summary>The directories <c>ostree init</c> creates, in creation order.</summary>
    public static readonly string[] InitDirectories =
        [Tmp, TmpCache, Extensions, State, Refs, RefsHeads, RefsMirrors, RefsRemotes, Objects];

    /// <summary><c>objects/XX/rest.ext</c>; archive repos store FILE objects as <c>.filez</c>.</summary>
    public static string ObjectPath(ObjectName name, RepoMode mode)
    {
        var hex = name.Checksum.ToString();
        return $"{Objects}/{hex[..2]}/{hex[2..]}.{name.Type.Extension(mode == RepoMode.Archive)}";
    }

    /// <summary>Detached metadata lives next to the commit, named by the commit's checksum.</summary>
    public static string CommitMetaPath(Checksum commit) => ObjectPath(new ObjectName(commit, ObjectType.CommitMeta), RepoMode.Bare);

    public static string CommitPartialPath(Checksum commit) => $"{State}/{commit}.commitpartial";

    public static string HeadRefPath(string refName) => $"{RefsHeads}/{refName}";
    public static string RemoteRefPath(string remote, string refName) => $"{RefsRemotes}/{remote}/{refName}";
}
