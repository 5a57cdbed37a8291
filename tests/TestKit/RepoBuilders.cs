using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.TestKit;

/// <summary>Builds source repositories for pull tests: with the real ostree, or with Arbor's own writer.</summary>
public static class RepoBuilders
{
    /// <summary><c>ostree init --mode=archive</c> (if needed), <c>ostree commit</c> of <paramref name="tree"/> and <c>ostree summary -u</c>; returns the commit.</summary>
    public static string OstreeCommit(string repo, string tree, string branch, string subject = "commit", bool updateSummary = true, string mode = "archive",
        string timestamp = "2024-01-01T00:00:00Z")
    {
        OstreeOracle.Require();
        if (!File.Exists(Path.Combine(repo, "config"))) OstreeOracle.RunOk("init", $"--repo={repo}", $"--mode={mode}");
        var commit = OstreeOracle.RunOk("commit", $"--repo={repo}", $"--branch={branch}", $"--subject={subject}",
            "--owner-uid=0", "--owner-gid=0", $"--timestamp={timestamp}", tree).Trim();
        if (updateSummary) OstreeOracle.RunOk("summary", "-u", $"--repo={repo}");
        return commit;
    }
}

/// <summary>
/// Commits a directory with Arbor's own object writer (<see cref="Transaction"/>): content, dirtree,
/// dirmeta and commit objects and the ref are all written by Arbor, with canonical owner 0:0 and
/// no xattrs, so the result must be readable by the real ostree.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public static class ArborTreeWriter
{
    public static Checksum Commit(Repository repo, string tree, string branch, string subject, Checksum? parent = null, ulong timestamp = 1704067200)
    {
        using var tx = repo.BeginTransaction();
        var (root, rootMeta) = WriteDir(tx, tree);
        var commit = new CommitObject
        {
            Parent = parent,
            Subject = subject,
            Timestamp = timestamp,
            RootTree = root,
            RootMeta = rootMeta,
        };
        var c = tx.WriteMetadata(ObjectType.Commit, commit.Serialize());
        tx.SetRef(null, branch, c);
        tx.Commit();
        return c;
    }

    private static (Checksum Tree, Checksum Meta) WriteDir(Transaction tx, string dir)
    {
        var files = new List<DirTreeFile>();
        var dirs = new List<DirTreeDir>();
        foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is { } target)
            {
                files.Add(new DirTreeFile(entry.Name, tx.WriteContent(FileHeader.Symlink(0, 0, target), null, 0)));
            }
            else if (entry is DirectoryInfo sub)
            {
                var (t, m) = WriteDir(tx, sub.FullName);
                dirs.Add(new DirTreeDir(entry.Name, t, m));
            }
            else if (entry is FileInfo f)
            {
                using var s = f.OpenRead();
                files.Add(new DirTreeFile(entry.Name, tx.WriteContent(FileHeader.Regular(0, 0, (uint)f.UnixFileMode), s, f.Length)));
            }
        }
        files.Sort((a, b) => DirTreeObject.CompareNames(a.Name, b.Name));
        dirs.Sort((a, b) => DirTreeObject.CompareNames(a.Name, b.Name));
        var treeSum = tx.WriteMetadata(ObjectType.DirTree, new DirTreeObject(files, dirs).Serialize());
        var mode = ObjectFormats.S_IFDIR | (uint)new DirectoryInfo(dir).UnixFileMode;
        var metaSum = tx.WriteMetadata(ObjectType.DirMeta, new DirMetaObject(0, 0, mode, XattrList.Empty).Serialize());
        return (treeSum, metaSum);
    }
}
