using Arbor.Repo.Commit;
using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Commit;

public sealed class MutableTreeTests
{
    private static readonly Checksum A = Checksum.Compute([1]);
    private static readonly Checksum B = Checksum.Compute([2]);

    [Fact]
    public void FilesAndDirectoriesCannotReplaceEachOther()
    {
        var t = new MutableTree();
        t.ReplaceFile("f", A);
        t.EnsureDir("d");
        Assert.Equal("Can't replace file with directory: f", Assert.Throws<RepoException>(() => t.EnsureDir("f")).Message);
        Assert.Equal("Can't replace directory with file: d", Assert.Throws<RepoException>(() => t.ReplaceFile("d", B)).Message);
        t.ReplaceFile("f", B);
        Assert.Equal(B, t.Lookup("f").File);
        Assert.Same(t.EnsureDir("d"), t.Lookup("d").Dir);
    }

    [Fact]
    public void EntriesAreWrittenInStrcmpOrderAndAnEmptyTreeIsRefused()
    {
        using var tmp = new TempDirectory("mt");
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        using var tx = repo.BeginTransaction();
        var t = new MutableTree();
        Assert.Equal("Can't commit an empty tree", Assert.Throws<RepoException>(() => TreeWriter.Write(tx, t)).Message);
        t.MetadataChecksum = DirMetaObject.DefaultChecksum;
        foreach (var name in new[] { "ümlaut", "b", "B", "a b" }) t.ReplaceFile(name, A);
        var sub = t.EnsureDir("sub");
        Assert.Equal("Can't commit an empty tree", Assert.Throws<RepoException>(() => TreeWriter.Write(tx, t)).Message);
        sub.MetadataChecksum = DirMetaObject.DefaultChecksum;

        var (tree, meta) = TreeWriter.Write(tx, t);
        tx.Commit();
        Assert.Equal(DirMetaObject.DefaultChecksum, meta);
        var written = repo.LoadDirTree(tree);
        Assert.Equal(["B", "a b", "b", "ümlaut"], written.Files.Select(f => f.Name));
        Assert.Equal(DirTreeObject.EmptyChecksum, written.Dirs.Single().Tree);
    }

    [Fact]
    public void ALazyDirTreeIsReusedUntilSomethingIsOverlaidIntoIt()
    {
        using var tmp = new TempDirectory("mt");
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        Checksum original;
        using (var tx = repo.BeginTransaction())
        {
            var t = new MutableTree { MetadataChecksum = DirMetaObject.DefaultChecksum };
            t.ReplaceFile("x", A);
            (original, _) = TreeWriter.Write(tx, t);
            tx.Commit();
        }
        var lazy = new MutableTree();
        Assert.True(lazy.TryFillEmptyFromDirTree(repo, original, DirMetaObject.DefaultChecksum));
        Assert.False(lazy.TryFillEmptyFromDirTree(repo, original, DirMetaObject.DefaultChecksum));
        Assert.Equal(original, lazy.ContentsChecksum);

        lazy.ReplaceFile("y", B);
        Assert.Null(lazy.ContentsChecksum);
        using var tx2 = repo.BeginTransaction();
        var (tree, _) = TreeWriter.Write(tx2, lazy);
        tx2.Commit();
        Assert.Equal(["x", "y"], repo.LoadDirTree(tree).Files.Select(f => f.Name));
    }
}
