using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Store;

namespace Arbor.Repo.Diff;

/// <summary>
/// <c>ostree diff --stats</c>: the objects reachable from each commit (the commit, its dirtrees,
/// dirmetas and files, as <c>ostree_repo_traverse_commit</c> with depth 0), how many they share
/// and the on-disk size of the shared ones.
/// </summary>
public static class CommitObjectStats
{
    public sealed record Result(int CountA, int CountB, int CommonCount, ulong CommonSize);

    public static Result Compare(Repository repo, Checksum a, Checksum b)
    {
        var setA = Reachable(repo, a);
        var setB = Reachable(repo, b);
        int common = 0;
        ulong size = 0;
        foreach (var o in setA)
        {
            if (!setB.Contains(o)) continue;
            common++;
            var path = repo.ObjectPath(o);
            var st = Files.TryLStat(path) ?? throw new RepoException($"Querying object {o}: No such file or directory");
            size += (ulong)st.Size;
        }
        return new Result(setA.Count, setB.Count, common, size);
    }

    /// <summary>Objects reachable from one commit (not its parents); a missing commit gives an empty set.</summary>
    public static HashSet<ObjectName> Reachable(Repository repo, Checksum commit)
    {
        var set = new HashSet<ObjectName>();
        var key = new ObjectName(commit, ObjectType.Commit);
        var bytes = repo.TryLoadMetadata(key);
        if (bytes is null) return set;
        var c = Objects.CommitObject.Parse(bytes);
        bool partial = repo.IsCommitPartial(commit);
        set.Add(key);
        AddDir(repo, c.RootTree, c.RootMeta, set, partial);
        return set;
    }

    private static void AddDir(Repository repo, Checksum tree, Checksum meta, HashSet<ObjectName> set, bool ignoreMissing)
    {
        set.Add(new ObjectName(meta, ObjectType.DirMeta));
        var treeName = new ObjectName(tree, ObjectType.DirTree);
        if (set.Contains(treeName)) return;
        var bytes = repo.TryLoadMetadata(treeName);
        if (bytes is null)
        {
            if (ignoreMissing) return;
            throw new ObjectNotFoundException(treeName);
        }
        var dt = Objects.DirTreeObject.Parse(bytes);
        foreach (var f in dt.Files) set.Add(new ObjectName(f.Checksum, ObjectType.File));
        foreach (var d in dt.Dirs) AddDir(repo, d.Tree, d.Meta, set, ignoreMissing);
        set.Add(treeName);
    }
}
