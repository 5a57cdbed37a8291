using Arbor.Repo.Core;
using Arbor.Repo.Read;
using Arbor.Repo.Store;

namespace Arbor.Repo.Diff;

/// <summary>A path inside a commit, for <see cref="TreeDiff"/>.</summary>
public sealed class RepoDiffNode : DiffNode
{
    private readonly RepoPath _path;
    private DiffFileType? _type;

    public RepoDiffNode(RepoPath path) => _path = path;

    public static RepoDiffNode ForCommit(Repository repo, Checksum commit)
    {
        var root = RepoPath.ForCommit(repo, commit);
        root.EnsureResolved();
        return new RepoDiffNode(root);
    }

    public RepoPath Path => _path;

    /// <summary>ostree ignores xattrs when a side's repo has them disabled or is bare-user-only.</summary>
    public bool IgnoresXattrs => _path.Repository.Config.DisableXattrs || _path.Repository.Mode == RepoMode.BareUserOnly;

    public override string Name => _path.Name;
    public override bool IsRepoFile => true;

    public override DiffFileType Type => _type ??= _path.IsDirectory
        ? DiffFileType.Directory
        : _path.QueryInfo().Kind == TreeEntryKind.Symlink ? DiffFileType.Symlink : DiffFileType.Regular;

    public override Checksum? ContentsChecksum => _path.IsDirectory ? _path.ContentsChecksum : null;

    public override IEnumerable<DiffNode> EnumerateChildren() => _path.EnumerateChildren().Select(c => new RepoDiffNode(c));

    public override DiffNode? TryGetChild(string name)
    {
        var child = _path.Child(name);
        try { child.EnsureResolved(); }
        catch (TreePathNotFoundException) { return null; }
        return new RepoDiffNode(child);
    }

    public override Checksum ComputeChecksum(DiffOptions options) => _path.Checksum;

    public override string DisplayPath(DiffNode top) => _path.Path;
}
