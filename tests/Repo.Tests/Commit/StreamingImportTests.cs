using Arbor.Repo.Commit;
using Arbor.Repo.Core;
using Arbor.Repo.Import;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Commit;

/// <summary>
/// A directory import that seals each directory as it completes writes the same dirtrees as the
/// import that keeps the whole tree until the end, while holding only the open directories' files.
/// </summary>
public sealed class StreamingImportTests
{
    private const int TopDirs = 4, SubDirs = 10, FilesPerDir = 15;

    /// <summary>4 × 10 leaf directories of 15 files, a file in the root and in each top directory,
    /// an empty directory, a symlink and a hardlink across directories.</summary>
    private static (string Root, int Files) MakeTree(string root)
    {
        int files = 0;
        Directory.CreateDirectory(root);
        void Write(string path, string content)
        {
            File.WriteAllText(path, content);
            File.SetUnixFileMode(path, (UnixFileMode)0x1A4);
            files++;
        }
        Write(Path.Combine(root, "top-file"), "root");
        for (int t = 0; t < TopDirs; t++)
        {
            var top = Path.Combine(root, $"t{t}");
            Directory.CreateDirectory(top);
            Write(Path.Combine(top, "readme"), $"top {t}");
            for (int s = 0; s < SubDirs; s++)
            {
                var sub = Path.Combine(top, $"s{s}");
                Directory.CreateDirectory(sub);
                for (int f = 0; f < FilesPerDir; f++) Write(Path.Combine(sub, $"f{f:00}"), $"{t}/{s}/{f % 7}");
            }
        }
        Directory.CreateDirectory(Path.Combine(root, "t0", "empty"));
        File.CreateSymbolicLink(Path.Combine(root, "t1", "link"), "s0/f00");
        files++;
        ProcessRunner.RunOk("ln", Path.Combine(root, "t1", "s2", "f01"), Path.Combine(root, "t2", "s3", "hard"));
        files++;
        return (root, files);
    }

    private static (Checksum Tree, Checksum Meta, MutableTree Root, int PeakHeld) Import(Repository repo, string dir, bool seal)
    {
        using var tx = repo.BeginTransaction();
        var ctx = new ImportContext(tx, CommitModifier.Create(repo.Mode, 0, 0)) { Parallelism = 2 };
        var root = new MutableTree();
        DirectoryImporter.Import(ctx, dir, root, seal);
        var (tree, meta) = TreeWriter.Write(tx, root);
        return (tree, meta, root, ctx.PeakHeldFiles);
    }

    [Theory]
    [InlineData(RepoMode.Archive)]
    [InlineData(RepoMode.Bare)]
    public void SealingWritesTheSameTreeWhileHoldingOnlyTheOpenDirectories(RepoMode mode)
    {
        using var tmp = new TempDirectory("stream");
        var (dir, files) = MakeTree(tmp.Combine("tree"));
        var repo = Repository.Create(tmp.Combine("repo"), mode);

        var whole = Import(repo, dir, seal: false);
        var streamed = Import(repo, dir, seal: true);

        Assert.Equal(whole.Tree, streamed.Tree);
        Assert.Equal(whole.Meta, streamed.Meta);
        Assert.False(whole.Root.IsSealed);
        Assert.True(streamed.Root.IsSealed);
        // without sealing every file stays in the tree until the end
        Assert.Equal(files, whole.PeakHeld);
        // with it: at most the leaf directories pinned by the two workers and the one being listed
        // (up to FilesPerDir + 1 files each), plus the files of the top levels (root, one per top
        // directory, the symlink)
        Assert.InRange(streamed.PeakHeld, 1, 3 * (FilesPerDir + 1) + 1 + TopDirs + 1);
    }

    [Fact]
    public void ASealedDirectoryKeepsItsChecksumsAndRefusesChanges()
    {
        using var tmp = new TempDirectory("stream");
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        using var tx = repo.BeginTransaction();
        var file = Checksum.Compute([1]);
        MutableTree Build()
        {
            var t = new MutableTree { MetadataChecksum = DirMetaObject.DefaultChecksum };
            t.ReplaceFile("f", file);
            t.EnsureDir("d").MetadataChecksum = DirMetaObject.DefaultChecksum;
            t.Lookup("d").Dir!.ReplaceFile("g", file);
            return t;
        }

        var (expected, _) = TreeWriter.Write(tx, Build());
        var sealedTree = Build();
        Assert.Equal(expected, TreeWriter.Seal(tx, sealedTree));
        Assert.True(sealedTree.IsSealed);
        Assert.Equal(expected, sealedTree.ContentsChecksum);
        Assert.Equal((expected, DirMetaObject.DefaultChecksum), TreeWriter.Write(tx, sealedTree));
        Assert.False(sealedTree.TryFillEmptyFromDirTree(repo, expected, DirMetaObject.DefaultChecksum));
        Assert.Throws<InvalidOperationException>(() => sealedTree.ReplaceFile("x", file));
        Assert.Throws<InvalidOperationException>(() => sealedTree.EnsureDir("x"));
        Assert.Throws<InvalidOperationException>(() => sealedTree.Lookup("f"));
        Assert.Throws<InvalidOperationException>(() => sealedTree.MetadataChecksum = file);
    }
}
