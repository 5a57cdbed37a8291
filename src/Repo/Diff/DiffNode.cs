using Arbor.Repo.Core;

namespace Arbor.Repo.Diff;

public enum DiffFileType { Regular, Directory, Symlink, Special }

/// <summary>
/// One side of a tree diff, as ostree sees a <c>GFile</c>: a path in a commit or on the local
/// file system. Children are listed in the order GLib enumerates them.
/// </summary>
public abstract class DiffNode
{
    public abstract string Name { get; }
    public abstract DiffFileType Type { get; }
    /// <summary>True for paths inside a commit (<c>OSTREE_IS_REPO_FILE</c>).</summary>
    public abstract bool IsRepoFile { get; }
    public abstract IEnumerable<DiffNode> EnumerateChildren();
    /// <summary>The child named <paramref name="name"/>, or null when it does not exist.</summary>
    public abstract DiffNode? TryGetChild(string name);
    /// <summary>The object checksum ostree compares (a directory's dirmeta checksum).</summary>
    public abstract Checksum ComputeChecksum(DiffOptions options);
    /// <summary>The path ostree prints: absolute inside a commit, relative to <paramref name="top"/> on disk.</summary>
    public abstract string DisplayPath(DiffNode top);
    /// <summary>A commit directory's dirtree checksum (the unchanged-directory fast path), else null.</summary>
    public virtual Checksum? ContentsChecksum => null;
}

/// <summary><c>ostree diff</c> flags: skip xattrs, and the owner to assume for local files.</summary>
public sealed record DiffOptions(bool IgnoreXattrs = false, int OwnerUid = -1, int OwnerGid = -1);

/// <summary>A modified path: both sides, whose types or checksums differ.</summary>
public sealed record DiffItem(DiffNode Source, DiffNode Target);

/// <summary>The result of <see cref="TreeDiff.Compare"/>, each list in ostree's order.</summary>
public sealed record DiffResult(IReadOnlyList<DiffItem> Modified, IReadOnlyList<DiffNode> Removed, IReadOnlyList<DiffNode> Added);
