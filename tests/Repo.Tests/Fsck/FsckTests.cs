using Arbor.Repo.Core;
using Arbor.Repo.Fsck;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;
using Arbor.TestKit;
using FsckRunner = Arbor.Repo.Fsck.Fsck;

namespace Arbor.Repo.Tests.Fsck;

/// <summary>fsck on repositories the real ostree wrote, in every mode, sound and damaged.</summary>
public sealed class FsckTests : IDisposable
{
    private readonly TempDirectory _tmp = new("fsck");

    public void Dispose() => _tmp.Dispose();

    private static (FsckResult Result, RecordingReporter Reporter) Run(string repo, FsckOptions? options = null)
    {
        var reporter = new RecordingReporter();
        return (FsckRunner.Run(Repository.Open(repo), options ?? new FsckOptions(), reporter), reporter);
    }

    [Theory]
    [InlineData("archive")]
    [InlineData("bare")]
    [InlineData("bare-user")]
    [InlineData("bare-user-only")]
    public void ARepositoryOstreeWroteIsSoundInEveryMode(string mode)
    {
        var (repo, _) = OstreeRepos.Sample(_tmp.Path, mode);
        var (result, reporter) = Run(repo);
        Assert.True(result.Succeeded);
        Assert.Equal(1, result.VerifiedCommits);
        Assert.Empty(reporter.Problems);
        Assert.Equal(["Validating refs...", "Validating refs in collections...", "Enumerating commits...", "Verifying content integrity of 1 commit objects..."], reporter.Phases);
        var (done, total) = reporter.ProgressCalls[^1];
        Assert.Equal(total, done);
        Assert.Equal(Enumerable.Range(1, total), reporter.ProgressCalls.Select(p => p.Done));
        Assert.Equal("object fsck of 1 commits completed successfully - no errors found.", result.SuccessMessage);
    }

    [Fact]
    public void TheVectorRepositoriesAreSound()
    {
        var (archive, bareUser) = VectorRepos.Extract(_tmp.Path);
        foreach (var repo in new[] { archive, bareUser })
        {
            var (result, reporter) = Run(repo, new FsckOptions { Parallelism = 1 });
            Assert.True(result.Succeeded);
            Assert.Equal(4, result.VerifiedCommits);
            Assert.Equal((34, 34), reporter.ProgressCalls[^1]);
        }
    }

    [Theory]
    [InlineData("archive")]
    [InlineData("bare-user")]
    public void AFlippedContentByteNamesTheObjectAndItsCommit(string mode)
    {
        var (repo, commit) = OstreeRepos.Sample(_tmp.Path, mode);
        var big = OstreeRepos.ChecksumOf(repo, "main", "/big.bin");
        OstreeRepos.FlipByte(OstreeRepos.FileObjectPath(repo, mode, big), mode == "archive" ? 2000 : 1000);
        var (result, reporter) = Run(repo, new FsckOptions { All = true });
        Assert.True(result.FoundCorruption);
        var problem = Assert.Single(reporter.Problems);
        Assert.StartsWith($"In commits {commit}: fsck content object {big}: ", problem);
        Assert.Matches("(Corrupted file object; checksum expected='" + big + "' actual='[0-9a-f]{64}'|Invalid compressed data|Need more input)$", problem);
        Assert.Equal("Repository corruption encountered", Assert.Throws<RepoException>(result.EnsureSuccess).Message);
    }

    [Fact]
    public void WithoutAllTheFirstCorruptObjectStopsTheRun()
    {
        var (repo, commit) = OstreeRepos.Sample(_tmp.Path, "archive");
        var hello = OstreeRepos.ChecksumOf(repo, "main", "/hello.txt");
        OstreeRepos.FlipByte(OstreeRepos.FileObjectPath(repo, "archive", hello), -1);
        var e = Assert.Throws<CorruptObjectException>(() => Run(repo));
        Assert.StartsWith($"In commits {commit}: fsck content object {hello}: ", e.Message);
    }

    [Fact]
    public void ATruncatedArchiveObjectNeedsMoreInput()
    {
        var (repo, _) = OstreeRepos.Sample(_tmp.Path, "archive");
        var big = OstreeRepos.ChecksumOf(repo, "main", "/big.bin");
        var path = OstreeRepos.FileObjectPath(repo, "archive", big);
        OstreeRepos.Truncate(path, new FileInfo(path).Length / 2);
        var (_, reporter) = Run(repo, new FsckOptions { All = true });
        Assert.EndsWith($"fsck content object {big}: Need more input", Assert.Single(reporter.Problems));
    }

    [Fact]
    public void ATruncatedArchiveHeaderIsReportedWithItsSize()
    {
        var (repo, _) = OstreeRepos.Sample(_tmp.Path, "archive");
        var big = OstreeRepos.ChecksumOf(repo, "main", "/big.bin");
        OstreeRepos.Truncate(OstreeRepos.FileObjectPath(repo, "archive", big), 5);
        var (_, reporter) = Run(repo, new FsckOptions { All = true });
        Assert.EndsWith($"fsck content object {big}: File header size 26 exceeds size 5", Assert.Single(reporter.Problems));
    }

    [Fact]
    public void AFlippedDirtreeByteIsAChecksumMismatch()
    {
        var (repo, commit) = OstreeRepos.Sample(_tmp.Path, "bare-user");
        var nested = OstreeRepos.ChecksumOfDir(repo, "main", "/sub/nested");
        OstreeRepos.FlipByte(OstreeRepos.ObjectPath(repo, nested, "dirtree"), 2);
        var (_, reporter) = Run(repo, new FsckOptions { All = true });
        var problem = Assert.Single(reporter.Problems);
        Assert.Matches($"^In commits {commit}: fsck {nested}.dirtree: Corrupted dirtree object; checksum expected='{nested}' actual='[0-9a-f]{{64}}'$", problem);
    }

    [Fact]
    public void AMissingObjectMarksItsCommitPartial()
    {
        var (repo, commit) = OstreeRepos.Sample(_tmp.Path, "archive");
        var deep = OstreeRepos.ChecksumOf(repo, "main", "/sub/nested/deep.txt");
        File.Delete(OstreeRepos.FileObjectPath(repo, "archive", deep));
        var (result, reporter) = Run(repo);
        Assert.Equal([$"Object missing in commits {commit}: {deep}.file", $"Marking commit as partial: {commit}"], reporter.Problems);
        Assert.True(result.FoundCorruption);
        Assert.Equal("f", File.ReadAllText(Path.Combine(repo, "state", commit + ".commitpartial")));

        // the next run does not traverse the commit and fails because fsck marked it
        var (again, reporter2) = Run(repo);
        Assert.Equal(0, again.VerifiedCommits);
        Assert.Equal(["1 partial commits not verified"], reporter2.Infos);
        Assert.Equal("1 partial commits from fsck-detected corruption", Assert.Throws<RepoException>(again.EnsureSuccess).Message);
    }

    [Fact]
    public void DeleteRemovesACorruptObjectAndMarksTheCommitPartial()
    {
        var (repo, commit) = OstreeRepos.Sample(_tmp.Path, "archive");
        var hello = OstreeRepos.ChecksumOf(repo, "main", "/hello.txt");
        var path = OstreeRepos.FileObjectPath(repo, "archive", hello);
        OstreeRepos.FlipByte(path, -1);
        var (result, reporter) = Run(repo, new FsckOptions { Delete = true });
        Assert.False(File.Exists(path));
        Assert.Equal(2, reporter.Problems.Count);
        Assert.Equal($"Marking commit as partial: {commit}", reporter.Problems[1]);
        Assert.True(result.FoundCorruption);
    }

    [Fact]
    public void BareUserWithoutOstreemetaIsReportedAsOstreeDoes()
    {
        var (repo, commit) = OstreeRepos.Sample(_tmp.Path, "bare-user");
        var hello = OstreeRepos.ChecksumOf(repo, "main", "/hello.txt");
        Arbor.Repo.Native.Xattrs.Remove(OstreeRepos.FileObjectPath(repo, "bare-user", hello), "user.ostreemeta"u8);
        var (_, reporter) = Run(repo, new FsckOptions { All = true });
        Assert.Equal($"In commits {commit}: fsck content object {hello}: Opening content object {hello}: fgetxattr(user.ostreemeta): No data available", Assert.Single(reporter.Problems));
    }

    [Fact]
    public void BareUserMetadataWithInvalidModeBitsIsReported()
    {
        var (repo, _) = OstreeRepos.Sample(_tmp.Path, "bare-user");
        var hello = OstreeRepos.ChecksumOf(repo, "main", "/hello.txt");
        uint mode = 0x1A1ED; // a bit above S_IFMT | 07777
        Arbor.Repo.Native.Xattrs.Set(OstreeRepos.FileObjectPath(repo, "bare-user", hello), "user.ostreemeta"u8,
            new DirMetaObject(0, 0, mode, XattrList.Empty).Serialize());
        var (_, reporter) = Run(repo, new FsckOptions { All = true });
        Assert.EndsWith($"fsck content object {hello}: Invalid mode {mode}; invalid bits in mode", Assert.Single(reporter.Problems));
    }

    [Fact]
    public void AWrongModeOnABareObjectChangesItsChecksum()
    {
        var (repo, _) = OstreeRepos.Sample(_tmp.Path, "bare");
        var tool = OstreeRepos.ChecksumOf(repo, "main", "/bin/tool");
        OstreeRepos.SetMode(OstreeRepos.FileObjectPath(repo, "bare", tool), 0x180);
        var (_, reporter) = Run(repo, new FsckOptions { All = true });
        Assert.Matches($"fsck content object {tool}: Corrupted file object; checksum expected='{tool}' actual='[0-9a-f]{{64}}'$", Assert.Single(reporter.Problems));
    }

    [Fact]
    public void AFifoInPlaceOfABareObjectIsNotAFile()
    {
        var (repo, _) = OstreeRepos.Sample(_tmp.Path, "bare-user-only");
        var hello = OstreeRepos.ChecksumOf(repo, "main", "/hello.txt");
        var path = OstreeRepos.FileObjectPath(repo, "bare-user-only", hello);
        File.Delete(path);
        ProcessRunner.RunOk("mkfifo", path);
        var (_, reporter) = Run(repo, new FsckOptions { All = true });
        Assert.EndsWith($"fsck content object {hello}: Opening content object {hello}: Not a regular file or symlink", Assert.Single(reporter.Problems));
    }

    [Theory]
    [InlineData("..", "Invalid path uplink filename '..'")]
    [InlineData(".", "Invalid self-referential filename '.'")]
    [InlineData("a/b", "Invalid / in filename a/b")]
    [InlineData("", "Invalid empty filename")]
    public void AHandCraftedDirtreeWithABadNameIsCorrupt(string name, string expected)
    {
        var (repoPath, _) = OstreeRepos.Sample(_tmp.Path, "archive");
        var hello = Checksum.Parse(OstreeRepos.ChecksumOf(repoPath, "main", "/hello.txt"));
        var (commit, tree) = HostileObjects.CommitWithFileName(repoPath, name, hello);
        var (result, reporter) = Run(repoPath, new FsckOptions { All = true });
        Assert.True(result.FoundCorruption);
        Assert.Equal($"In commits {commit}: fsck {tree}.dirtree: {tree}.dirtree: {expected}", Assert.Single(reporter.Problems));
    }

    [Fact]
    public void AMissingRefCommitIsFatalAfterReportingIt()
    {
        var (repo, commit) = OstreeRepos.Sample(_tmp.Path, "archive");
        File.Delete(OstreeRepos.ObjectPath(repo, commit, "commit"));
        var reporter = new RecordingReporter();
        var e = Assert.Throws<ObjectNotFoundException>(() => FsckRunner.Run(Repository.Open(repo), new FsckOptions { All = true }, reporter));
        Assert.Equal($"Loading commit for ref main: No such metadata object {commit}.commit", e.Message);
        Assert.Equal([$"Object missing: {commit}.commit"], reporter.Problems);
    }

    [Fact]
    public void VerifyBindingsRejectsARefTheCommitDoesNotName()
    {
        var (repo, commit) = OstreeRepos.Sample(_tmp.Path, "archive");
        OstreeOracle.RunOk("refs", $"--repo={repo}", "main", "--create=other");
        var e = Assert.Throws<CorruptObjectException>(() => Run(repo, new FsckOptions { VerifyBindings = true }));
        Assert.Equal($"Commit {commit}: Commit has no requested ref ‘other’ in ref binding metadata (‘main’)", e.Message);
        Assert.True(Run(repo).Result.Succeeded);
    }

    [Fact]
    public void VerifyBackRefsRejectsABindingThatPointsElsewhere()
    {
        var (repo, first) = OstreeRepos.Sample(_tmp.Path, "archive");
        var tree2 = OstreeRepos.WriteSampleTree(_tmp.Combine("tree2"), variant: "2");
        OstreeRepos.Commit(repo, "main", tree2, "archive");
        var e = Assert.Throws<CorruptObjectException>(() => Run(repo, new FsckOptions { VerifyBackRefs = true }));
        Assert.Equal($"Ref ‘main’ in bindings for commit {first} does not resolve to that commit", e.Message);
    }

    [Fact]
    public void AddTombstonesDeletesCommitsWhoseParentIsMissing()
    {
        var (repo, first) = OstreeRepos.Sample(_tmp.Path, "archive");
        var second = OstreeRepos.Commit(repo, "main", OstreeRepos.WriteSampleTree(_tmp.Combine("tree2"), variant: "2"), "archive");
        File.Delete(OstreeRepos.ObjectPath(repo, first, "commit"));
        var (result, reporter) = Run(repo, new FsckOptions { AddTombstones = true });
        Assert.Equal([$"Adding tombstone for commit {second}"], reporter.Infos);
        Assert.Equal([Checksum.Parse(second)], result.Tombstoned);
        Assert.False(File.Exists(OstreeRepos.ObjectPath(repo, second, "commit")));
        Assert.Equal(ObjectDeleter.TombstoneBytes(Checksum.Parse(second)), File.ReadAllBytes(OstreeRepos.ObjectPath(repo, second, "tombstone-commit")));
        Assert.True(Repository.Open(repo).Config.TombstoneCommits);
    }

    [Fact]
    public void PartialCommitsAreCountedNotVerified()
    {
        var (repo, commit) = OstreeRepos.Sample(_tmp.Path, "archive");
        Repository.Open(repo).MarkCommitPartial(Checksum.Parse(commit), true);
        var (result, reporter) = Run(repo);
        Assert.True(result.Succeeded);
        Assert.Equal(0, result.VerifiedCommits);
        Assert.Equal(1, result.PartialCommits);
        Assert.Equal(["1 partial commits not verified"], reporter.Infos);
        Assert.Empty(reporter.ProgressCalls);
    }

    [Fact]
    public void ParallelAndSequentialRunsReportTheSameProblemsInTheSameOrder()
    {
        var (repo, _) = OstreeRepos.Sample(_tmp.Path, "archive");
        foreach (var path in new[] { "/hello.txt", "/big.bin", "/bin/tool", "/sub/nested/deep.txt" })
            OstreeRepos.FlipByte(OstreeRepos.FileObjectPath(repo, "archive", OstreeRepos.ChecksumOf(repo, "main", path)), -3);
        var one = Run(repo, new FsckOptions { All = true, Parallelism = 1 }).Reporter.Problems;
        var four = Run(repo, new FsckOptions { All = true, Parallelism = 4 }).Reporter.Problems;
        Assert.Equal(4, one.Count);
        Assert.Equal(one, four);
    }
}
