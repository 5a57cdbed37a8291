using Arbor.Repo.Core;
using Arbor.Repo.Pull;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Pull;

/// <summary>pull-local between repositories of every mode, compared with the real ostree's pull-local.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalPullTests : IDisposable
{
    private readonly TempDirectory _tmp = new("pull-local");

    public void Dispose() => _tmp.Dispose();

    private (string Repo, Checksum Commit) Source(string mode)
    {
        var tree = _tmp.Combine("tree");
        if (!Directory.Exists(tree)) SampleTree.Write(tree);
        var repo = _tmp.Combine("src-" + mode);
        var commit = RepoBuilders.OstreeCommit(repo, tree, "main", updateSummary: false, mode: mode);
        return (repo, Checksum.Parse(commit));
    }

    [Theory]
    [InlineData("archive", RepoMode.Archive)]
    [InlineData("archive", RepoMode.Bare)]
    [InlineData("archive", RepoMode.BareUser)]
    [InlineData("archive", RepoMode.BareUserOnly)]
    [InlineData("bare-user", RepoMode.Archive)]
    [InlineData("bare-user", RepoMode.BareUser)]
    [InlineData("bare-user", RepoMode.Bare)]
    [InlineData("bare", RepoMode.BareUser)]
    public async Task PullLocalBetweenModesMatchesOstree(string sourceMode, RepoMode targetMode)
    {
        var (src, commit) = Source(sourceMode);
        var dst = Repository.Create(_tmp.Combine("dst"), targetMode);

        var result = await Puller.PullLocalAsync(dst, src, new PullOptions { Refs = ["main"] }, TestContext.Current.CancellationToken);

        Assert.True(result.Local);
        Assert.Equal(commit, dst.Refs.Read(null, "main"));
        PullFixture.AssertComplete(dst, commit);
        PullFixture.AssertOstreeFsck(dst.Path);

        var oracle = _tmp.Combine("oracle");
        OstreeOracle.RunOk("init", $"--repo={oracle}", $"--mode={targetMode.ToConfigString()}");
        OstreeOracle.RunOk("pull-local", $"--repo={oracle}", src, "main");
        Assert.Equal(PullFixture.ObjectFiles(oracle).Order(), PullFixture.ObjectFiles(dst.Path).Order());
        foreach (var rel in PullFixture.ObjectFiles(oracle).Where(p => !p.EndsWith(".filez", StringComparison.Ordinal) || sourceMode == "archive"))
        {
            var a = Path.Combine(oracle, rel);
            var b = Path.Combine(dst.Path, rel);
            if (File.ResolveLinkTarget(a, false) is null)
                Assert.True(File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b)), $"{rel} differs from ostree's");
        }
    }

    /// <summary>Metadata is the same in every mode: a trusted pull-local hardlinks it, as ostree does, even between modes.</summary>
    [Fact]
    public async Task PullLocalHardlinksMetadataAcrossModes()
    {
        var (src, commit) = Source("bare-user");
        var dst = Repository.Create(_tmp.Combine("dst"), RepoMode.Archive);
        await Puller.PullLocalAsync(dst, src, new PullOptions { Refs = ["main"] }, TestContext.Current.CancellationToken);
        var name = new ObjectName(commit, ObjectType.Commit);
        var source = Repository.Open(src);
        Assert.True(Arbor.Repo.Native.Files.LStat(source.ObjectPath(name)).SameFileAs(Arbor.Repo.Native.Files.LStat(dst.ObjectPath(name))));
        PullFixture.AssertOstreeFsck(dst.Path);
    }

    /// <summary>Writing a commit again removes its tombstone (ostree's write_metadata_object).</summary>
    [Fact]
    public async Task PullingADeletedCommitAgainRemovesItsTombstone()
    {
        var (src, commit) = Source("archive");
        var dst = Repository.Create(_tmp.Combine("dst"), RepoMode.Archive);
        var name = new ObjectName(commit, ObjectType.Commit);
        ObjectDeleter.WriteTombstone(dst, commit);
        Assert.True(File.Exists(dst.ObjectPath(new ObjectName(commit, ObjectType.TombstoneCommit))));
        await Puller.PullLocalAsync(dst, src, new PullOptions { Refs = ["main"], Untrusted = true }, TestContext.Current.CancellationToken);
        Assert.True(dst.HasObject(name));
        Assert.False(File.Exists(dst.ObjectPath(new ObjectName(commit, ObjectType.TombstoneCommit))));
    }

    [Fact]
    public async Task WithoutRefsEveryRefIsPulledAndRemoteOptionWritesRemoteRefs()
    {
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree);
        var src = _tmp.Combine("src");
        var a = Checksum.Parse(RepoBuilders.OstreeCommit(src, tree, "a", updateSummary: false));
        var b = Checksum.Parse(RepoBuilders.OstreeCommit(src, tree, "sub/b", updateSummary: false));

        var all = Repository.Create(_tmp.Combine("all"), RepoMode.BareUser);
        await Puller.PullLocalAsync(all, src, new PullOptions(), TestContext.Current.CancellationToken);
        Assert.Equal(a, all.Refs.Read(null, "a"));
        Assert.Equal(b, all.Refs.Read(null, "sub/b"));

        var remote = Repository.Create(_tmp.Combine("remote"), RepoMode.BareUser);
        await Puller.PullLocalAsync(remote, src, new PullOptions { Refs = ["a"], LocalRemoteName = "up" }, TestContext.Current.CancellationToken);
        Assert.Equal(a, remote.Refs.Read("up", "a"));
        Assert.Null(remote.Refs.TryRead(null, "a"));
    }

    [Fact]
    public async Task UntrustedLocalPullsVerifyContent()
    {
        var (src, _) = Source("archive");
        var srcRepo = Repository.Open(src);
        var victim = ObjectEnumerator.ListAll(srcRepo).First(o => o.Type == ObjectType.File && new FileInfo(srcRepo.ObjectPath(o)).Length > 200);
        var donor = ObjectEnumerator.ListAll(srcRepo).First(o => o.Type == ObjectType.File && o != victim);
        File.Copy(srcRepo.ObjectPath(donor), srcRepo.ObjectPath(victim), overwrite: true);
        var dst = Repository.Create(_tmp.Combine("dst"), RepoMode.Archive);

        var e = await Assert.ThrowsAsync<CorruptObjectException>(() =>
            Puller.PullLocalAsync(dst, src, new PullOptions { Refs = ["main"], Untrusted = true }, TestContext.Current.CancellationToken));

        Assert.Contains($"checksum expected='{victim.Checksum}' actual='{donor.Checksum}'", e.Message);
        Assert.False(dst.HasObject(victim));
        Assert.Null(dst.Refs.TryRead(null, "main"));
    }

    private static bool SameFile(string a, string b) =>
        Arbor.Repo.Native.Files.LStat(a).SameFileAs(Arbor.Repo.Native.Files.LStat(b));

    /// <summary>
    /// basic-test.sh "pull-local hardlinking, untrusted" and "--untrusted corruption": ostree checksums each
    /// object of a same-owner, same-mode source as fsck does, then hardlinks it (no content bytes written);
    /// a corrupted object fails the pull and is neither stored nor linked, while a trusted pull links it as it is.
    /// </summary>
    [Fact]
    public async Task UntrustedPullLocalHardlinksVerifiedObjectsAndRefusesACorruptedOne()
    {
        var (src, commit) = Source("bare-user");
        var source = Repository.Open(src);
        var dst = Repository.Create(_tmp.Combine("dst"), RepoMode.BareUser);

        var result = await Puller.PullLocalAsync(dst, src, new PullOptions { Refs = ["main"], Untrusted = true }, TestContext.Current.CancellationToken);

        var files = ObjectEnumerator.ListAll(source).Where(o => o.Type == ObjectType.File).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, o => Assert.True(SameFile(source.ObjectPath(o), dst.ObjectPath(o)), $"{o} not hardlinked"));
        Assert.Equal(0, result.ContentBytesWritten);
        PullFixture.AssertOstreeFsck(dst.Path);

        // a copy of the source with one object corrupted in place (its own inode, so the original stays intact)
        var corrupt = Repository.Create(_tmp.Combine("corrupt"), RepoMode.BareUser);
        await Puller.PullLocalAsync(corrupt, src, new PullOptions { Refs = ["main"] }, TestContext.Current.CancellationToken);
        var victim = files.First(o => new FileInfo(source.ObjectPath(o)).Length > 0);
        var path = corrupt.ObjectPath(victim);
        File.Copy(path, path + ".tmp");
        Arbor.Repo.Native.Xattrs.Set(path + ".tmp", "user.ostreemeta"u8, Arbor.Repo.Native.Xattrs.Get(path, "user.ostreemeta"u8)!);
        File.Move(path + ".tmp", path, overwrite: true);
        File.AppendAllText(path, "blah\n");

        var target = Repository.Create(_tmp.Combine("target"), RepoMode.BareUser);
        var e = await Assert.ThrowsAsync<CorruptObjectException>(() =>
            Puller.PullLocalAsync(target, corrupt.Path, new PullOptions { Refs = ["main"], Untrusted = true }, TestContext.Current.CancellationToken));
        Assert.StartsWith($"fsck content object {victim.Checksum}: Corrupted file object; checksum expected='{victim.Checksum}' actual=", e.Message);
        Assert.False(target.HasObject(victim));
        Assert.Null(target.Refs.TryRead(null, "main"));

        await Puller.PullLocalAsync(target, corrupt.Path, new PullOptions { Refs = ["main"] }, TestContext.Current.CancellationToken);
        Assert.True(SameFile(path, target.ObjectPath(victim)));
        Assert.Equal(commit, target.Refs.Read(null, "main"));
    }

    /// <summary>test-basic-user-only.sh "hardlink pull from bare-user": a bare-user regular file's object serves a
    /// bare-user-only repository as it is, so ostree hardlinks it; a symlink's (a regular file there) is converted.</summary>
    [Fact]
    public async Task PullLocalFromBareUserIntoBareUserOnlyHardlinksRegularFilesOnly()
    {
        var files = _tmp.Combine("files");
        Directory.CreateDirectory(files);
        File.WriteAllText(Path.Combine(files, "afile"), "afile\n");
        File.CreateSymbolicLink(Path.Combine(files, "afile-link"), "afile");
        var src = _tmp.Combine("src");
        OstreeOracle.RunOk("init", $"--repo={src}", "--mode=bare-user");
        OstreeOracle.RunOk("commit", $"--repo={src}", "--canonical-permissions", "-b", "main", $"--tree=dir={files}");
        var source = Repository.Open(src);
        var dst = Repository.Create(_tmp.Combine("dst"), RepoMode.BareUserOnly);

        await Puller.PullLocalAsync(dst, src, new PullOptions { Refs = ["main"] }, TestContext.Current.CancellationToken);

        var objects = ObjectEnumerator.ListAll(source).Where(o => o.Type == ObjectType.File).ToList();
        var regular = objects.Single(o => !source.LoadContent(o.Checksum).Header.IsSymlink);
        var symlink = objects.Single(o => source.LoadContent(o.Checksum).Header.IsSymlink);
        Assert.True(SameFile(source.ObjectPath(regular), dst.ObjectPath(regular)));
        Assert.False(SameFile(source.ObjectPath(symlink), dst.ObjectPath(symlink)));
        PullFixture.AssertOstreeFsck(dst.Path);
    }

    /// <summary>test-pull-corruption.sh: a commit stored under another name (its bytes hash to the old one).</summary>
    private (string Src, Checksum Named, Checksum Actual) MisnamedCommit()
    {
        var (src, commit) = Source("archive");
        var srcRepo = Repository.Open(src);
        var named = Checksum.Compute(System.Text.Encoding.UTF8.GetBytes(commit + " hello\n"));
        var to = srcRepo.ObjectPath(new ObjectName(named, ObjectType.Commit));
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Move(srcRepo.ObjectPath(new ObjectName(commit, ObjectType.Commit)), to);
        File.WriteAllText(Path.Combine(src, "refs/heads/main"), named + "\n");
        return (src, named, commit);
    }

    [Fact]
    public async Task TrustedPullLocalImportsMetadataUnchecked()
    {
        var (src, named, _) = MisnamedCommit();
        var dst = Repository.Create(_tmp.Combine("dst"), RepoMode.BareUser);

        await Puller.PullLocalAsync(dst, src, new PullOptions { Refs = ["main"] }, TestContext.Current.CancellationToken);

        Assert.Equal(named, dst.Refs.Read(null, "main"));
        Assert.True(dst.HasObject(new ObjectName(named, ObjectType.Commit)));
    }

    [Fact]
    public async Task UntrustedPullLocalRefusesAMisnamedCommitInOstreesWords()
    {
        var (src, named, actual) = MisnamedCommit();
        var dst = Repository.Create(_tmp.Combine("dst"), RepoMode.BareUser);

        var e = await Assert.ThrowsAsync<CorruptObjectException>(() =>
            Puller.PullLocalAsync(dst, src, new PullOptions { Refs = ["main"], Untrusted = true }, TestContext.Current.CancellationToken));

        Assert.StartsWith($"Corrupted commit object; checksum expected='{named}' actual='{actual}'", e.Message);
        Assert.Null(dst.Refs.TryRead(null, "main"));
    }

    [Fact]
    public async Task TrustedPullLocalBetweenModesStoresContentUnderItsNameUnchecked()
    {
        // pull-test.sh: a bare-user cache with a corrupted file is pulled into an archive repository as it is
        var (src, commit) = Source("bare-user");
        var srcRepo = Repository.Open(src);
        var victim = ObjectEnumerator.ListAll(srcRepo).First(o => o.Type == ObjectType.File && new FileInfo(srcRepo.ObjectPath(o)).Length > 10);
        var path = srcRepo.ObjectPath(victim);
        var bytes = File.ReadAllBytes(path);
        bytes[0] ^= 0xff;
        File.WriteAllBytes(path, bytes);
        var dst = Repository.Create(_tmp.Combine("dst"), RepoMode.Archive);

        await Puller.PullLocalAsync(dst, src, new PullOptions { Refs = ["main"] }, TestContext.Current.CancellationToken);

        Assert.Equal(commit, dst.Refs.Read(null, "main"));
        Assert.True(dst.HasObject(victim));
        var untrusted = Repository.Create(_tmp.Combine("untrusted"), RepoMode.Archive);
        var e = await Assert.ThrowsAsync<CorruptObjectException>(() =>
            Puller.PullLocalAsync(untrusted, src, new PullOptions { Refs = ["main"], Untrusted = true }, TestContext.Current.CancellationToken));
        Assert.Contains($"Corrupted file object; checksum expected='{victim.Checksum}'", e.Message);
    }

    [Fact]
    public async Task WithAutoUpdateSummaryThePulledRefsAreIndexed()
    {
        var (src, commit) = Source("archive");
        var dst = Repository.Create(_tmp.Combine("dst"), RepoMode.Archive);
        dst.Config.KeyFile.SetBoolean(RepoConfig.CoreGroup, "auto-update-summary", true);
        dst.Config.Save();
        dst.ReloadConfig();

        await Puller.PullLocalAsync(dst, src, new PullOptions { Refs = ["main"] }, TestContext.Current.CancellationToken);

        var summary = Arbor.Repo.Summary.SummaryReader.Parse(File.ReadAllBytes(dst.FullPath("summary")), "dst");
        Assert.Equal(commit, Assert.Single(summary.Refs).Commit);
    }

    [Fact]
    public async Task AMissingRefIsAnErrorInOstreesWords()
    {
        var (src, _) = Source("archive");
        var dst = Repository.Create(_tmp.Combine("dst"), RepoMode.BareUser);
        var e = await Assert.ThrowsAsync<PullException>(() =>
            Puller.PullLocalAsync(dst, src, new PullOptions { Refs = ["nope"] }, TestContext.Current.CancellationToken));
        // ostree_repo_resolve_rev on the source repository, as ostree's pull and pull-local say it
        Assert.Equal("Refspec 'nope' not found", e.Message);
    }
}
