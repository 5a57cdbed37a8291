using Arbor.Repo.Commit;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Commit;

public sealed class CommitBuilderTests
{
    private static string MakeTree(string root, params (string Path, string Content)[] files)
    {
        Directory.CreateDirectory(root);
        File.SetUnixFileMode(root, (UnixFileMode)0x1ED);
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            File.SetUnixFileMode(full, (UnixFileMode)0x1A4);
        }
        return root;
    }

    private static CommitRequest Request(string branch, params TreeSource[] trees) => new()
    {
        Branch = branch, Timestamp = 1, OwnerUid = 0, OwnerGid = 0, Trees = trees,
    };

    private static TreeSource Dir(string path) => new(TreeSourceKind.Directory, path);

    private static List<ObjectName> Objects(Repository repo) => ObjectEnumerator.ListAll(repo).ToList();

    [Fact]
    public void LaterTreesReplaceFilesAndMergeDirectories()
    {
        using var tmp = new TempDirectory("cb");
        var a = MakeTree(tmp.Combine("a"), ("keep.txt", "a"), ("both.txt", "from a"), ("sub/one", "1"));
        var b = MakeTree(tmp.Combine("b"), ("both.txt", "from b"), ("sub/two", "2"));
        File.SetUnixFileMode(Path.Combine(b, "sub"), (UnixFileMode)0x1C0); // 0700: b's dirmeta wins
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);

        var c = CommitBuilder.Commit(repo, Request("main", Dir(a), Dir(b))).Commit;

        var root = repo.LoadDirTree(repo.LoadCommit(c).RootTree);
        Assert.Equal(["both.txt", "keep.txt"], root.Files.Select(f => f.Name));
        using (var s = repo.LoadContent(root.Files[0].Checksum).OpenContent())
            Assert.Equal("from b", new StreamReader(s).ReadToEnd());
        var sub = root.Dirs.Single();
        Assert.Equal(["one", "two"], repo.LoadDirTree(sub.Tree).Files.Select(f => f.Name));
        Assert.Equal(0x41C0u, repo.LoadDirMeta(sub.Meta).Mode);
    }

    /// <summary>
    /// `ostree commit -b x` where refs/heads/x is a directory of refs: no parent; the ref write then says "Conflict: …"
    /// while refs are under it, and replaces the directory once it holds none.
    /// </summary>
    [Fact]
    public void ABranchNamingADirectoryOfRefsHasNoParent()
    {
        using var tmp = new TempDirectory("cb");
        var a = MakeTree(tmp.Combine("a"), ("f", "1"));
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        CommitBuilder.Commit(repo, Request("x/y/z", Dir(a)));

        var e = Assert.Throws<RepoException>(() => CommitBuilder.Commit(repo, Request("x", Dir(a))));
        Assert.Equal("Conflict: y/z exists under x when attempting write", e.Message);

        File.Delete(repo.FullPath("refs/heads/x/y/z"));
        var c = CommitBuilder.Commit(repo, Request("x", Dir(a))).Commit;
        Assert.Null(repo.LoadCommit(c).Parent);
        Assert.Equal(c, repo.Refs.TryRead(null, "x"));
    }

    [Fact]
    public void AFileOverADirectoryIsAnErrorAndNothingIsWritten()
    {
        using var tmp = new TempDirectory("cb");
        var a = MakeTree(tmp.Combine("a"), ("x/inner", "1"));
        var b = MakeTree(tmp.Combine("b"), ("x", "file"));
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Bare);

        var e = Assert.Throws<RepoException>(() => CommitBuilder.Commit(repo, Request("main", Dir(a), Dir(b))));
        Assert.Equal("Can't replace directory with file: x", e.Message);
        Assert.Empty(Objects(repo));
        Assert.Null(repo.Refs.TryRead(null, "main"));
        Assert.Equal(["cache"], Directory.GetFileSystemEntries(repo.FullPath("tmp")).Select(Path.GetFileName));
    }

    [Fact]
    public void AFifoIsRefusedAndTheBranchDoesNotMove()
    {
        using var tmp = new TempDirectory("cb");
        var a = MakeTree(tmp.Combine("a"), ("f", "1"));
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        var first = CommitBuilder.Commit(repo, Request("main", Dir(a))).Commit;
        int objects = Objects(repo).Count;
        File.WriteAllText(Path.Combine(a, "g"), "new content");
        ProcessRunner.RunOk("mkfifo", Path.Combine(a, "zz-fifo"));

        var e = Assert.Throws<RepoException>(() => CommitBuilder.Commit(repo, Request("main", Dir(a))));
        Assert.Equal("Not a regular file or symlink: zz-fifo", e.Message);
        Assert.Equal(first, repo.Refs.TryRead(null, "main"));
        Assert.Equal(objects, Objects(repo).Count);
        Assert.Equal(["cache"], Directory.GetFileSystemEntries(repo.FullPath("tmp")).Select(Path.GetFileName));
    }

    [Fact]
    public void SkipIfUnchangedReturnsTheParentAndWritesNothing()
    {
        using var tmp = new TempDirectory("cb");
        var a = MakeTree(tmp.Combine("a"), ("f", "1"));
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        var first = CommitBuilder.Commit(repo, Request("main", Dir(a))).Commit;
        var before = Objects(repo);

        var again = CommitBuilder.Commit(repo, new CommitRequest
        {
            Branch = "main", Timestamp = 99, Subject = "other", OwnerUid = 0, OwnerGid = 0, SkipIfUnchanged = true, Trees = [Dir(a)],
        });
        Assert.True(again.Skipped);
        Assert.Equal(first, again.Commit);
        Assert.Equal(before, Objects(repo));

        File.WriteAllText(Path.Combine(a, "f"), "2");
        var changed = CommitBuilder.Commit(repo, new CommitRequest
        {
            Branch = "main", Timestamp = 99, OwnerUid = 0, OwnerGid = 0, SkipIfUnchanged = true, Trees = [Dir(a)],
        });
        Assert.False(changed.Skipped);
        Assert.Equal(changed.Commit, repo.Refs.TryRead(null, "main"));
        Assert.Equal(first, repo.LoadCommit(changed.Commit).Parent);
    }

    [Fact]
    public void MetadataOrderIsStringsThenVariantsThenKeptThenBindings()
    {
        using var tmp = new TempDirectory("cb");
        var a = MakeTree(tmp.Combine("a"), ("f", "1"));
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive, collectionId: "org.example.Os");
        var parent = CommitBuilder.Commit(repo, new CommitRequest
        {
            Branch = "main", Timestamp = 1, Trees = [Dir(a)], MetadataStrings = [new("kept", "old"), new("kept", "newer")],
        }).Commit;

        var c = CommitBuilder.Commit(repo, new CommitRequest
        {
            Branch = "main", Timestamp = 1, Trees = [Dir(a)],
            MetadataVariants = [new("z.variant", GVariantTextParser.Parse("true"))],
            MetadataStrings = [new("b.string", "x"), new("a.string", "y")],
            KeepMetadata = ["kept"],
            BindRefs = ["zzz", "aaa"],
        }).Commit;

        var meta = repo.LoadCommit(c).Metadata;
        Assert.Equal(["b.string", "a.string", "z.variant", "kept", "ostree.ref-binding", "ostree.collection-binding"], meta.Entries.Select(e => e.Key));
        Assert.Equal("newer", meta.GetString("kept"));
        Assert.Equal(["aaa", "main", "zzz"], meta["ostree.ref-binding"]!.AsStringArray());
        Assert.Equal("org.example.Os", meta.GetString("ostree.collection-binding"));
        Assert.Equal(parent, repo.LoadCommit(c).Parent);
    }

    [Fact]
    public void MissingKeptKeyAndMissingParentAreErrors()
    {
        using var tmp = new TempDirectory("cb");
        var a = MakeTree(tmp.Combine("a"), ("f", "1"));
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        var e = Assert.Throws<RepoException>(() => CommitBuilder.Commit(repo, Request("main", Dir(a)) with { KeepMetadata = ["k"] }));
        Assert.Equal("Either --branch or --parent must be specified when using --keep-metadata", e.Message);
        var first = CommitBuilder.Commit(repo, Request("main", Dir(a))).Commit;
        e = Assert.Throws<RepoException>(() => CommitBuilder.Commit(repo, Request("main", Dir(a)) with { KeepMetadata = ["k"] }));
        Assert.Equal($"Missing metadata key 'k' from commit '{first}'", e.Message);
    }

    [Fact]
    public void OrphanWithoutBindingsHasNoParentNoRefAndEmptyMetadata()
    {
        using var tmp = new TempDirectory("cb");
        var a = MakeTree(tmp.Combine("a"), ("f", "1"));
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        var c = CommitBuilder.Commit(repo, new CommitRequest { Orphan = true, NoBindings = true, Timestamp = 0, Trees = [Dir(a)] }).Commit;
        var commit = repo.LoadCommit(c);
        Assert.Null(commit.Parent);
        Assert.Equal(0, commit.Metadata.Count);
        Assert.Empty(repo.Refs.ListHeads(null));
    }

    [Fact]
    public void RefTreeReproducesTheCommitAndOverridesRewriteIt()
    {
        using var tmp = new TempDirectory("cb");
        var a = MakeTree(tmp.Combine("a"), ("f", "1"), ("d/g", "2"));
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        var first = CommitBuilder.Commit(repo, Request("main", Dir(a))).Commit;
        var firstCommit = repo.LoadCommit(first);

        var copy = CommitBuilder.Commit(repo, new CommitRequest { Branch = "copy", Timestamp = 1, Trees = [new(TreeSourceKind.Ref, "main")] }).Commit;
        Assert.Equal(firstCommit.RootTree, repo.LoadCommit(copy).RootTree);
        Assert.Equal(firstCommit.RootMeta, repo.LoadCommit(copy).RootMeta);

        var owned = CommitBuilder.Commit(repo, new CommitRequest { Branch = "owned", Timestamp = 1, OwnerUid = 42, Trees = [new(TreeSourceKind.Ref, "main")] }).Commit;
        var ownedRoot = repo.LoadDirTree(repo.LoadCommit(owned).RootTree);
        Assert.Equal(42u, repo.LoadContent(ownedRoot.Files[0].Checksum).Header.Uid);
        Assert.Equal(42u, repo.LoadDirMeta(repo.LoadCommit(owned).RootMeta).Uid);

        var e = Assert.Throws<RefNotFoundException>(() => CommitBuilder.Commit(repo, new CommitRequest { Branch = "x", Trees = [new(TreeSourceKind.Ref, "nope")] }));
        Assert.Equal("Refspec 'nope' not found", e.Message);
    }

    [Theory]
    [InlineData(RepoMode.Bare)]
    [InlineData(RepoMode.BareUser)]
    public void LinkCheckoutSpeedupReusesObjectsOfAHardlinkedCheckout(RepoMode mode)
    {
        OstreeOracle.Require();
        using var tmp = new TempDirectory("cb");
        var a = MakeTree(tmp.Combine("a"), ("f", "1"), ("d/g", "2"), ("d/h", "3"));
        var repoPath = tmp.Combine("repo");
        var repo = Repository.Create(repoPath, mode);
        var first = CommitBuilder.Commit(repo, Request("main", Dir(a))).Commit;
        var checkout = tmp.Combine("co");
        OstreeOracle.RunOk("checkout", "--repo=" + repoPath, mode == RepoMode.BareUser ? "-UH" : "-H", "main", checkout);

        using (var tx = repo.BeginTransaction())
        {
            var ctx = new ImportContext(tx, CommitModifier.Create(mode, 0, 0), DevInoCache.Scan(repo));
            var root = new MutableTree();
            Arbor.Repo.Import.DirectoryImporter.Import(ctx, checkout, root);
            Assert.Equal(3, ctx.DevInoHits);
            Assert.Equal(0, tx.StagedCount);
        }
        var again = CommitBuilder.Commit(repo, Request("main", Dir(checkout)) with { LinkCheckoutSpeedup = true, Timestamp = 1 });
        Assert.Equal(repo.LoadCommit(first).RootTree, repo.LoadCommit(again.Commit).RootTree);
    }

    /// <summary>
    /// test-basic-user.sh "link-checkout-speedup maintains uids" with core.disable-xattrs (libtest.sh sets it where
    /// security xattrs cannot be written): ostree looks the inode up whatever happens to xattrs, so a bare-user hit keeps
    /// the object's owner, and -I takes the object as it is; only the devino fast path needs the xattrs read.
    /// </summary>
    [Fact]
    public void LinkCheckoutSpeedupKeepsTheObjectsOwnerWithXattrsDisabled()
    {
        OstreeOracle.Require();
        using var tmp = new TempDirectory("cb");
        var a = MakeTree(tmp.Combine("a"), ("f", "1"), ("d/g", "2"));
        var repoPath = tmp.Combine("repo");
        var repo = Repository.Create(repoPath, RepoMode.BareUser);
        repo.Config.KeyFile.SetBoolean(RepoConfig.CoreGroup, "disable-xattrs", true);
        repo.Config.Save();
        repo.ReloadConfig();
        var first = CommitBuilder.Commit(repo, Request("main", Dir(a)) with { OwnerUid = 0, OwnerGid = 81 }).Commit;
        var checkout = tmp.Combine("co");
        OstreeOracle.RunOk("checkout", "--repo=" + repoPath, "-UH", "main", checkout);

        // the files keep their objects (uid 0, gid 81); directories are read from disk, as ostree reads them
        Checksum FileOf(Checksum commit) => repo.LoadDirTree(repo.LoadCommit(commit).RootTree).Files.Single(f => f.Name == "f").Checksum;
        var speedup = CommitBuilder.Commit(repo, Request("main", Dir(checkout)) with { LinkCheckoutSpeedup = true, Timestamp = 1, OwnerUid = null, OwnerGid = null });
        Assert.Equal(FileOf(first), FileOf(speedup.Commit));
        var canonical = CommitBuilder.Commit(repo, Request("main", Dir(checkout)) with { DevInoCanonical = true, Timestamp = 2 });
        Assert.Equal(FileOf(first), FileOf(canonical.Commit));
        Assert.Equal(81u, repo.LoadContent(FileOf(canonical.Commit)).Header.Gid);
    }

    [Fact]
    public void HardlinksInsideTheTreeBecomeOneObject()
    {
        using var tmp = new TempDirectory("cb");
        var a = MakeTree(tmp.Combine("a"), ("f", "same"));
        ProcessRunner.RunOk("ln", Path.Combine(a, "f"), Path.Combine(a, "g"));
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        var c = CommitBuilder.Commit(repo, Request("main", Dir(a))).Commit;
        var files = repo.LoadDirTree(repo.LoadCommit(c).RootTree).Files;
        Assert.Equal(2, files.Count);
        Assert.Equal(files[0].Checksum, files[1].Checksum);
    }

    [Fact]
    public void ConsumeRemovesTheInputAfterTheCommit()
    {
        using var tmp = new TempDirectory("cb");
        var a = MakeTree(tmp.Combine("a"), ("f", "1"), ("d/g", "2"));
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        var c = CommitBuilder.Commit(repo, Request("main", Dir(a)) with { Consume = true }).Commit;
        Assert.False(Directory.Exists(a));
        Assert.Equal(2, repo.LoadDirTree(repo.LoadCommit(c).RootTree).Files.Count + repo.LoadDirTree(repo.LoadCommit(c).RootTree).Dirs.Count);
    }

    /// <summary>
    /// <c>--consume</c> into bare and bare-user-only repositories adopts the input file (the object
    /// is the same inode); bare-user and archive copy it, as ostree does.
    /// </summary>
    [Theory]
    [InlineData(RepoMode.Bare, true)]
    [InlineData(RepoMode.BareUserOnly, true)]
    [InlineData(RepoMode.BareUser, false)]
    [InlineData(RepoMode.Archive, false)]
    public void ConsumeAdoptsFilesInBareModes(RepoMode mode, bool adopted)
    {
        using var tmp = new TempDirectory("cb");
        var a = MakeTree(tmp.Combine("a"), ("eatme.txt", "a file to consume"));
        var saved = tmp.Combine("saved");
        Arbor.Repo.Native.Links.TryLink(Path.Combine(a, "eatme.txt"), saved);
        var repo = Repository.Create(tmp.Combine("repo"), mode);
        var request = Request("main", Dir(a)) with { Consume = true };
        if (mode == RepoMode.Bare) request = request with { OwnerUid = null, OwnerGid = null };
        var c = CommitBuilder.Commit(repo, request).Commit;
        Assert.False(Directory.Exists(a));
        var file = repo.LoadDirTree(repo.LoadCommit(c).RootTree).Files.Single();
        var objectStatus = Arbor.Repo.Native.Files.LStat(repo.ObjectPath(new ObjectName(file.Checksum, ObjectType.File)));
        Assert.Equal(adopted, objectStatus.SameFileAs(Arbor.Repo.Native.Files.LStat(saved)));
        using (var s = repo.LoadContent(file.Checksum).OpenContent())
            Assert.Equal("a file to consume", new StreamReader(s).ReadToEnd());
    }

    /// <summary>ostree takes the branch as a refspec: <c>-b REMOTE:REF</c> moves refs/remotes/REMOTE/REF, and that is the parent next time.</summary>
    [Fact]
    public void ARemoteRefspecBranchWritesTheRemoteRef()
    {
        using var tmp = new TempDirectory("cb");
        var a = MakeTree(tmp.Combine("a"), ("f", "1"));
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        var first = CommitBuilder.Commit(repo, Request("origin:remote1", Dir(a))).Commit;
        Assert.Equal(first, repo.Refs.TryRead("origin", "remote1"));
        var second = CommitBuilder.Commit(repo, Request("origin:remote1", Dir(a)) with { Timestamp = 2 }).Commit;
        Assert.Equal(first, repo.LoadCommit(second).Parent);
        Assert.Equal("Invalid refspec a:b:c", Assert.Throws<RepoException>(() => CommitBuilder.Commit(repo, Request("a:b:c", Dir(a)))).Message);
    }

    [Fact]
    public void TheClockGivesTheDefaultTimestamp()
    {
        using var tmp = new TempDirectory("cb");
        var a = MakeTree(tmp.Combine("a"), ("f", "1"));
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var now = CommitBuilder.Commit(repo, new CommitRequest { Branch = "main", Trees = [Dir(a)] }, clock).Commit;
        Assert.Equal(1_700_000_000UL, repo.LoadCommit(now).Timestamp);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
