using Arbor.Repo.Checkout;
using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Checkout;

/// <summary>The feature tree, committed by the real ostree in every mode, checked out by ostree and by arbor: the trees must agree.</summary>
public sealed class TreeCheckoutTests(TreeCheckoutTests.Fixture fixture) : IClassFixture<TreeCheckoutTests.Fixture>, IDisposable
{
    public sealed class Fixture : IDisposable
    {
        public OracleRepoSet Repos { get; } = OracleRepoSet.WithFeatureTree();
        public void Dispose() => Repos.Dispose();
    }

    private readonly TempDirectory _tmp = new("checkout");
    private OracleRepoSet Repos => fixture.Repos;

    public void Dispose() => _tmp.Dispose();

    public static TheoryData<string, string> ModesAndFlags()
    {
        var data = new TheoryData<string, string>();
        foreach (var mode in OracleRepoSet.AllModes)
            foreach (var flags in new[] { "", "-U", "-H", "-U -H", "-C", "-U -C" })
                data.Add(mode, flags);
        return data;
    }

    [Theory]
    [MemberData(nameof(ModesAndFlags))]
    public void MatchesOstreeCheckout(string mode, string flags)
    {
        string expected = _tmp.Combine("ostree"), actual = _tmp.Combine("arbor");
        var repo = Repos.RepoPath(mode);
        var o = CheckoutOracle.Ostree(repo, flags, Repos.Commit(mode), expected);
        if (o.ExitCode != 0)
        {
            var e = Assert.ThrowsAny<ArborException>(() => CheckoutOracle.Arbor(repo, flags, Repos.Commit(mode), actual));
            Assert.Equal(CheckoutOracle.OstreeError(o), e.Message);
            Assert.False(Directory.Exists(actual), "a failed checkout must not leave its destination");
            Assert.DoesNotContain(Directory.GetFileSystemEntries(_tmp.Path), p => Path.GetFileName(p).StartsWith(".arbor", StringComparison.Ordinal));
            return;
        }
        var stats = CheckoutOracle.Arbor(repo, flags, Repos.Commit(mode), actual);
        // archive -U: ostree's plain checkout links into its uncompressed-objects-cache; arbor copies (same metadata)
        TreeSnapshot.AssertEqual(TreeSnapshot.Capture(expected), TreeSnapshot.Capture(actual), TreeAspects.Default | TreeAspects.ZeroMtime);
        Assert.Equal(TreeSnapshot.Capture(actual).Entries.Values.Count(e => e.IsRegular), stats.RegularFiles + stats.Skipped);
    }

    [Theory]
    [InlineData("bare", "-H")]
    [InlineData("bare", "")]
    [InlineData("bare-user", "-U -H")]
    [InlineData("bare-user-only", "")]
    public void HardlinkCheckoutsShareInodesWithTheObjects(string mode, string flags)
    {
        var dest = _tmp.Combine("co");
        var stats = CheckoutOracle.Arbor(Repos.RepoPath(mode), flags, Repos.Commit(mode), dest);
        var repo = Repository.Open(Repos.RepoPath(mode));
        var snap = TreeSnapshot.Capture(dest);
        int linked = 0;
        foreach (var (path, checksum) in FilesOf(repo, Checksum.Parse(Repos.Commit(mode))))
        {
            var entry = snap[path];
            var objectInode = Files.LStat(repo.ObjectPath(new ObjectName(checksum, ObjectType.File))).Inode;
            var header = repo.LoadContent(checksum).Header;
            bool userRepo = mode != "bare";
            // bare-user(-only) symlink objects are not symlinks: copied; empty files are always copied;
            // user mode copies files the owner cannot read (and makes them readable)
            bool expectLink = header.IsSymlink ? !userRepo : entry.Size > 0 && (!userRepo || (header.Mode & 0x100) != 0);
            Assert.True(expectLink == (entry.Inode == objectInode), $"{path}: linked={entry.Inode == objectInode}, expected {expectLink}");
            if (expectLink)
            {
                if (entry.IsRegular) Assert.Equal(0, entry.Mtime); // (symlink objects keep their own mtime)
                linked++;
            }
        }
        Assert.Equal(linked, stats.Hardlinked);
        Assert.Equal(snap["./hl1"].Inode, snap["./hl2"].Inode);
    }

    [Fact]
    public void RestrictiveDirectoryModesAreAppliedAfterTheirContent()
    {
        var dest = _tmp.Combine("co");
        CheckoutOracle.Arbor(Repos.RepoPath("bare"), "-H", Repos.Commit("bare"), dest);
        var snap = TreeSnapshot.Capture(dest);
        Assert.Equal(0, snap["./locked"].Mode);
        Assert.Equal("locked\n", File.ReadAllText(Path.Combine(dest, "locked/inside")));
        Assert.Equal(0x140 /* 0500 */, snap["./readonly"].Mode);
        Assert.Equal(0x1C0 /* 0700 */, snap["./private"].Mode);
        Assert.Equal(0x3FF /* 01777 */, snap["./tmp"].Mode);
        Assert.All(snap.Entries.Values.Where(e => e.IsDirectory), d => Assert.Equal(0, d.Mtime));
    }

    [Fact]
    public void ForceCopyDirectoriesKeepTheirCreationTime()
    {
        var dest = _tmp.Combine("co");
        CheckoutOracle.Arbor(Repos.RepoPath("bare"), "-C", Repos.Commit("bare"), dest);
        var snap = TreeSnapshot.Capture(dest);
        Assert.All(snap.Entries.Values, e => Assert.NotEqual(0, e.Mtime));
        Assert.Equal(1, snap["./hl1"].LinkCount);
    }

    [Fact]
    public void ExistingDestinationIsRefusedAndLeftAlone()
    {
        var dest = _tmp.Combine("co");
        Directory.CreateDirectory(dest);
        File.WriteAllText(Path.Combine(dest, "mine"), "keep");
        var e = Assert.Throws<CheckoutException>(() => CheckoutOracle.Arbor(Repos.RepoPath("bare"), "", Repos.Commit("bare"), dest));
        Assert.Equal("mkdirat: File exists", e.Message);
        Assert.Equal(["mine"], Directory.GetFileSystemEntries(dest).Select(Path.GetFileName));
    }

    [Fact]
    public void MissingParentIsReportedAsOstreeDoes()
    {
        var e = Assert.Throws<CheckoutException>(() => CheckoutOracle.Arbor(Repos.RepoPath("bare"), "", Repos.Commit("bare"), _tmp.Combine("no/such/dir")));
        Assert.Equal("mkdirat: No such file or directory", e.Message);
    }

    [Fact]
    public void UnknownCommitIsAOneLineError()
    {
        var e = Assert.Throws<ObjectNotFoundException>(() => CheckoutOracle.Arbor(Repos.RepoPath("archive"), "", new string('0', 64), _tmp.Combine("co")));
        Assert.Equal($"No such metadata object {new string('0', 64)}.commit", e.Message);
        Assert.False(Directory.Exists(_tmp.Combine("co")));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void ParallelismDoesNotChangeTheResult(int workers)
    {
        string one = _tmp.Combine("one"), many = _tmp.Combine("many");
        var repo = Repository.Open(Repos.RepoPath("archive"));
        var commit = Checksum.Parse(Repos.Commit("archive"));
        TreeCheckout.Run(repo, commit, one, new CheckoutOptions { MaxParallelism = 1 });
        var stats = TreeCheckout.Run(repo, commit, many, new CheckoutOptions { MaxParallelism = workers });
        TreeSnapshot.AssertEqual(TreeSnapshot.Capture(one), TreeSnapshot.Capture(many), TreeAspects.Default | TreeAspects.ZeroMtime);
        Assert.Equal(FeatureTree.ManyCount, Directory.GetFiles(Path.Combine(many, "many")).Length);
        Assert.Equal(TreeSnapshot.Capture(many).Entries.Values.Count(e => e.IsDirectory), stats.Directories);
    }

    [Fact]
    public void ProgressIsReportedAndEndsWithTheTotals()
    {
        var reports = new List<CheckoutProgress>();
        var progress = new SynchronousProgress(reports);
        var stats = TreeCheckout.Run(Repository.Open(Repos.RepoPath("bare")), Checksum.Parse(Repos.Commit("bare")), _tmp.Combine("co"),
            new CheckoutOptions { Progress = progress });
        Assert.NotEmpty(reports);
        Assert.Equal(new CheckoutProgress(stats.Directories, stats.RegularFiles + stats.Symlinks, stats.BytesCopied), reports[^1]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void InPlaceBuildsUnderTheFinalNameAndGivesTheSameTree(bool inPlace)
    {
        var repo = Repository.Open(Repos.RepoPath("bare"));
        var commit = Checksum.Parse(Repos.Commit("bare"));
        var parent = _tmp.Combine("parent");
        Directory.CreateDirectory(parent);
        var seen = new HashSet<string>();
        var progress = new CallbackProgress(() =>
        {
            lock (seen) foreach (var e in Directory.GetFileSystemEntries(parent)) seen.Add(Path.GetFileName(e));
        });
        TreeCheckout.Run(repo, commit, Path.Join(parent, "co"), new CheckoutOptions { InPlace = inPlace, Progress = progress });
        TreeCheckout.Run(repo, commit, _tmp.Combine("reference"), CheckoutOptions.Default);
        Assert.NotEmpty(seen);
        if (inPlace) Assert.Equal(["co"], seen);
        else Assert.Contains(seen, n => n.StartsWith(".arbor-checkout-", StringComparison.Ordinal)); // "co" only in the last report
        TreeSnapshot.AssertEqual(TreeSnapshot.Capture(_tmp.Combine("reference")), TreeSnapshot.Capture(Path.Join(parent, "co")));
    }

    [Fact]
    public void DirTreeAndDirMetaOverloadEqualsTheSubpathCheckout()
    {
        var repo = Repository.Open(Repos.RepoPath("bare"));
        var commit = repo.LoadCommit(Checksum.Parse(Repos.Commit("bare")));
        var root = repo.LoadDirTree(commit.RootTree);
        var home = root.Dirs.Single(d => d.Name == "home");
        TreeCheckout.Run(repo, home.Tree, home.Meta, _tmp.Combine("by-checksum"), new CheckoutOptions { ForceCopy = true });
        TreeCheckout.Run(repo, commit.RootTree, commit.RootMeta, _tmp.Combine("by-subpath"), new CheckoutOptions { ForceCopy = true, Subpath = "/home" });
        var a = TreeSnapshot.Capture(_tmp.Combine("by-checksum"));
        TreeSnapshot.AssertEqual(TreeSnapshot.Capture(_tmp.Combine("by-subpath")), a);
        Assert.Equal(1000u, a["./user/owned.txt"].Uid);
        Assert.Equal(1000u, a["./user/owned-link"].Gid);
    }

    [Fact]
    public void SkipFilterLeavesOutFilesAndDirectories()
    {
        var dest = _tmp.Combine("co");
        var stats = TreeCheckout.Run(Repository.Open(Repos.RepoPath("bare")), Checksum.Parse(Repos.Commit("bare")), dest,
            new CheckoutOptions { Skip = p => p is "/a.txt" or "/many/" or "/deep/a/b/" });
        Assert.False(File.Exists(Path.Combine(dest, "a.txt")));
        Assert.False(Directory.Exists(Path.Combine(dest, "many")));
        Assert.True(Directory.Exists(Path.Combine(dest, "deep/a")));
        Assert.False(Directory.Exists(Path.Combine(dest, "deep/a/b")));
        Assert.Equal(3, stats.Skipped);
    }

    /// <summary>
    /// basic-test.sh "disable cache checkout": a user-mode checkout from an archive repository that asks for the
    /// uncompressed cache (ostree's checkout command without --disable-cache) inflates each readable, non-empty
    /// regular file into uncompressed-objects-cache/XX/REST.file (setuid and setgid dropped) and hardlinks it;
    /// the next checkout links the same inodes; without it nothing is cached.
    /// </summary>
    [Fact]
    public void UserCheckoutsFromArchiveLinkFromTheUncompressedCache()
    {
        var path = _tmp.Combine("archive");
        ProcessRunner.RunOk("cp", "-a", Repos.RepoPath("archive"), path);
        var repo = Repository.Open(path);
        var commit = Checksum.Parse(Repos.Commit("archive"));
        var cacheDir = repo.FullPath(RepoLayout.UncompressedObjectsCache);
        // the shared repository may have one already, from ostree's own -U checkouts in other tests
        if (Directory.Exists(cacheDir)) Directory.Delete(cacheDir, recursive: true);

        TreeCheckout.Run(repo, commit, _tmp.Combine("plain"), new CheckoutOptions { Mode = CheckoutMode.User });
        Assert.False(Directory.Exists(cacheDir));

        var options = new CheckoutOptions { Mode = CheckoutMode.User, UncompressedCache = true };
        TreeCheckout.Run(repo, commit, _tmp.Combine("first"), options);
        TreeCheckout.Run(repo, commit, _tmp.Combine("second"), options);
        var first = TreeSnapshot.Capture(_tmp.Combine("first"));
        var second = TreeSnapshot.Capture(_tmp.Combine("second"));
        int cached = 0;
        foreach (var (file, checksum) in FilesOf(repo, commit))
        {
            var header = repo.LoadContent(checksum).Header;
            var hex = checksum.ToString();
            var entry = Path.Combine(cacheDir, hex[..2], hex[2..] + ".file");
            bool expectCached = header.IsRegular && repo.LoadContent(checksum).Size > 0 && (header.Mode & 0x100) != 0;
            Assert.Equal(expectCached, File.Exists(entry));
            if (!expectCached) continue;
            cached++;
            var inode = Files.LStat(entry).Inode;
            Assert.Equal(inode, first[file].Inode);
            Assert.Equal(inode, second[file].Inode);
            Assert.Equal(header.Mode & 0xFFF & ~0xC00u, (uint)File.GetUnixFileMode(entry) & 0xFFF);
        }
        Assert.True(cached > 0);
    }

    private static IEnumerable<(string Path, Checksum Checksum)> FilesOf(Repository repo, Checksum commit)
    {
        var stack = new Stack<(string, Checksum)>();
        stack.Push((".", repo.LoadCommit(commit).RootTree));
        while (stack.Count > 0)
        {
            var (dir, tree) = stack.Pop();
            var t = repo.LoadDirTree(tree);
            foreach (var f in t.Files) yield return ($"{dir}/{f.Name}", f.Checksum);
            foreach (var d in t.Dirs) stack.Push(($"{dir}/{d.Name}", d.Tree));
        }
    }

    private sealed class CallbackProgress(Action action) : IProgress<CheckoutProgress>
    {
        public void Report(CheckoutProgress value) => action();
    }

    private sealed class SynchronousProgress(List<CheckoutProgress> reports) : IProgress<CheckoutProgress>
    {
        public void Report(CheckoutProgress value)
        {
            lock (reports) reports.Add(value);
        }
    }
}
