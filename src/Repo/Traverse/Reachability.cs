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
/// Objects are kept in discovery order (see <see cref="Objects"/>), which makes fsck's order stable.
/// </summary>
public sealed class Reachability
{
    private readonly Repository _repo;
    private readonly HashSet<ObjectName> _set = new();
    private readonly List<ObjectName> _order = new();
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

    public bool CommitOnly { get; }
    public bool Strict { get; }
    public ObjectParents? Parents { get; }

    /// <summary>Every reachable object, in the order it was found.</summary>
    public IReadOnlyList<ObjectName> Objects => _order;
    public int Count => _order.Count;
    public bool Contains(ObjectName name) => _set.Contains(name);

    /// <summary>Marks an object reachable without walking it (e.g. an object a caller keeps for its own reasons).</summary>
    public void Add(ObjectName name)
    {
        if (_set.Add(name)) _order.Add(name);
    }

    /// <summary>
    /// Adds <paramref name="commit"/> and everything below it, then walks up to
    /// <paramref name="maxDepth"/> parents (-1: the whole history that is present).
    /// </summary>
    public void TraverseCommit(Checksum commit, int maxDepth = -1)
    {
        int budget = maxDepth < 0 ? int.MaxValue : maxDepth;
        Checksum? current = commit;
        while (current is { } c)
        {
            var name = new ObjectName(c, ObjectType.Commit);
            bool seen = _commitBudget.TryGetValue(c, out int previous);
            if (seen && previous >= budget) return;
            var bytes = _repo.TryLoadMetadata(name);
            if (bytes is null) return; // parent not pulled: not an error
            _commitBudget[c] = budget;
            Add(name);
            var links = ObjectLinks.ReadCommit(name, bytes, Strict);
            if (!seen && !CommitOnly && links is { } l)
                TraverseTree(name, l.RootTree, l.RootMeta, ignoreMissingDirs: _repo.IsCommitPartial(c));
            if (budget == 0 || links?.Parent is not { } parent) return;
            if (budget != int.MaxValue) budget--;
            current = parent;
        }
    }

    private void TraverseTree(ObjectName commit, Checksum rootTree, Checksum rootMeta, bool ignoreMissingDirs)
    {
        var pending = new Stack<ObjectName>();
        if (AddDir(rootTree, rootMeta, commit)) pending.Push(new ObjectName(rootTree, ObjectType.DirTree));
        var found = new List<ObjectName>();
        while (pending.Count > 0)
        {
            var tree = pending.Pop();
            var bytes = _repo.TryLoadMetadata(tree);
            if (bytes is null)
            {
                if (ignoreMissingDirs) continue;
                throw new ObjectNotFoundException(tree, $"No such metadata object {tree.Checksum}.dirtree");
            }
            found.Clear();
            ObjectLinks.ReadDirTree(tree, bytes, Strict,
                file => Link(new ObjectName(file, ObjectType.File), tree),
                (t, m) => { if (AddDir(t, m, tree)) found.Add(new ObjectName(t, ObjectType.DirTree)); });
            // pushed in reverse so that subdirectories are walked in stored order
            for (int i = found.Count - 1; i >= 0; i--) pending.Push(found[i]);
        }
    }

    /// <summary>Links a directory's dirmeta and dirtree; true when the dirtree is new and must be walked.</summary>
    private bool AddDir(Checksum tree, Checksum meta, ObjectName parent)
    {
        Link(new ObjectName(meta, ObjectType.DirMeta), parent);
        var treeName = new ObjectName(tree, ObjectType.DirTree);
        Parents?.Add(treeName, parent);
        if (!_set.Add(treeName)) return false;
        _order.Add(treeName);
        return true;
    }

    private void Link(ObjectName child, ObjectName parent)
    {
        Parents?.Add(child, parent);
        Add(child);
    }
}
