using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Repo.Traverse;

/// <summary>
/// The set of objects reachable from commits: each commit, its root dirtree and dirmeta, every
/// dirtree, dirmeta and file below, and (up to a depth) its parent commits, as
/// ostree_repo_traverse_commit_with_flags computes it.
/// <list type="bullet">
/// <item>A parent commit that is not in the repository ends the walk: partial history is normal.</item>
/// <item>In a commit marked partial (<c>state/C.commitpartial</c>), missing dirtrees are skipped.</item>
/// <item>Unlike ostree, a commit first reached with a small depth is walked again when a later
/// root asks for more history, so the result does not depend on the order of the roots.</item>
/// </list>
/// <see cref="EnumerateCommit"/> hands out each newly reached object as it is found, in a stable
/// order, so a caller (fsck) can work on objects while the walk goes on; only the compact
/// <see cref="ObjectNameSet"/> of what was seen grows with the tree.
/// </summary>
public sealed class Reachability
{
    private readonly Repository _repo;
    private readonly ObjectNameSet _set = new();
    private readonly ObjectNameSet? _remaining;
    private readonly Dictionary<Checksum, int> _commitBudget = new();

    /// <param name="repo">The repository whose objects are walked.</param>
    /// <param name="trackParents">Record who references each object (for fsck messages).</param>
    /// <param name="commitOnly">Only walk commits and their parents, not their trees (prune --commit-only).</param>
    /// <param name="strict">Throw on a structurally broken commit or dirtree (prune); when false such
    /// an object simply has no children (fsck, which reports it when it checks the object).</param>
    public Reachability(Repository repo, bool trackParents = false, bool commitOnly = false, bool strict = true)
    {
        _repo = repo;
        Parents = trackParents ? new ObjectParents() : null;
        CommitOnly = commitOnly;
        Strict = strict;
    }

    /// <summary>
    /// A second walk over what <paramref name="first"/> reached, with the same options, that holds
    /// no set of its own: an object counts as new while it is still in the first walk's set, and
    /// is taken out of it when reached. The first walk is used up (fsck counts in one walk, then
    /// checks in a second, at the memory cost of one).
    /// </summary>
    public static Reachability Rewalk(Reachability first) => new(first);

    private Reachability(Reachability first)
    {
        _repo = first._repo;
        _remaining = first._set;
        Parents = first.Parents is null ? null : new ObjectParents();
        CommitOnly = first.CommitOnly;
        Strict = first.Strict;
    }

    public bool CommitOnly { get; }
    public bool Strict { get; }
    public ObjectParents? Parents { get; }

    /// <summary>How many objects were reached (not counted in a <see cref="Rewalk"/>).</summary>
    public int Count => _set.Count;
    public bool Contains(ObjectName name) => _remaining is null
        ? _set.Contains(name)
        : throw new InvalidOperationException("a rewalk keeps no set to ask");

    /// <summary>Marks an object reachable without walking it (e.g. an object a caller keeps for its own reasons); true when it is new.</summary>
    public bool Add(ObjectName name) => _remaining is { } remaining ? remaining.Remove(name) : _set.Add(name);

    /// <summary>
    /// Adds <paramref name="commit"/> and everything below it, then walks up to
    /// <paramref name="maxDepth"/> parents (-1: the whole history that is present).
    /// </summary>
    public void TraverseCommit(Checksum commit, int maxDepth = -1)
    {
        foreach (var _ in EnumerateCommit(commit, maxDepth)) { }
    }

    /// <summary>
    /// Walks like <see cref="TraverseCommit"/>, yielding each object the first time it is reached:
    /// a commit, then for each directory its dirmeta and dirtree, then (once the dirtree is read)
    /// its files and subdirectories in stored order, depth first.
    /// </summary>
    public IEnumerable<ObjectName> EnumerateCommit(Checksum commit, int maxDepth = -1)
    {
        int budget = maxDepth < 0 ? int.MaxValue : maxDepth;
        Checksum? current = commit;
        while (current is { } c)
        {
            var name = new ObjectName(c, ObjectType.Commit);
            bool seen = _commitBudget.TryGetValue(c, out int previous);
            if (seen && previous >= budget) yield break;
            var bytes = _repo.TryLoadMetadata(name);
            if (bytes is null) yield break; // parent not pulled: not an error
            _commitBudget[c] = budget;
            if (Add(name)) yield return name;
            var links = ObjectLinks.ReadCommit(name, bytes, Strict);
            if (!seen && !CommitOnly && links is { } l)
                foreach (var o in EnumerateTree(name, l.RootTree, l.RootMeta, ignoreMissingDirs: _repo.IsCommitPartial(c)))
                    yield return o;
            if (budget == 0 || links?.Parent is not { } parent) yield break;
            if (budget != int.MaxValue) budget--;
            current = parent;
        }
    }

    /// <remarks>
    /// A dirtree is read when it is found, before its name is handed out: a caller that acts on the
    /// objects as they come (fsck --delete removing a corrupt dirtree) still has its children walked,
    /// as ostree, which walks the whole commit first, walks them.
    /// </remarks>
    private IEnumerable<ObjectName> EnumerateTree(ObjectName commit, Checksum rootTree, Checksum rootMeta, bool ignoreMissingDirs)
    {
        var found = new List<ObjectName>(); // objects first reached in the dirtree being read
        var subdirs = new List<(ObjectName, byte[]?)>();
        var pending = new Stack<(ObjectName Tree, byte[]? Bytes)>();
        if (AddDir(rootTree, rootMeta, commit, found))
        {
            var root = new ObjectName(rootTree, ObjectType.DirTree);
            pending.Push((root, _repo.TryLoadMetadata(root)));
        }
        foreach (var o in found) yield return o;
        while (pending.Count > 0)
        {
            var (tree, bytes) = pending.Pop();
            if (bytes is null)
            {
                if (ignoreMissingDirs) continue;
                throw new ObjectNotFoundException(tree, $"No such metadata object {tree.Checksum}.dirtree");
            }
            found.Clear();
            subdirs.Clear();
            ObjectLinks.ReadDirTree(tree, bytes, Strict,
                file => Link(new ObjectName(file, ObjectType.File), tree, found),
                (t, m) =>
                {
                    if (!AddDir(t, m, tree, found)) return;
                    var subdir = new ObjectName(t, ObjectType.DirTree);
                    subdirs.Add((subdir, _repo.TryLoadMetadata(subdir)));
                });
            foreach (var o in found) yield return o;
            // pushed in reverse so that subdirectories are walked in stored order
            for (int i = subdirs.Count - 1; i >= 0; i--) pending.Push(subdirs[i]);
        }
    }

    /// <summary>Links a directory's dirmeta and dirtree; true when the dirtree is new and must be walked.</summary>
    private bool AddDir(Checksum tree, Checksum meta, ObjectName parent, List<ObjectName> found)
    {
        Link(new ObjectName(meta, ObjectType.DirMeta), parent, found);
        var treeName = new ObjectName(tree, ObjectType.DirTree);
        Parents?.Add(treeName, parent);
        if (!Add(treeName)) return false;
        found.Add(treeName);
        return true;
    }

    private void Link(ObjectName child, ObjectName parent, List<ObjectName> found)
    {
        Parents?.Add(child, parent);
        if (Add(child)) found.Add(child);
    }
}
