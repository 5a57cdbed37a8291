using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands;

public sealed class PruneCommandTests : IDisposable
{
    private readonly TempDirectory _tmp = new("cli-prune");
    private readonly string _archive;

    public PruneCommandTests() => _archive = VectorRepos.Extract(_tmp.Path).Archive;

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void NothingUnreachablePrintsSo()
    {
        var r = CliRunner.Run("prune", $"--repo={_archive}");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("Total objects: 34\nNo unreachable objects\n", r.Stdout);
    }

    [Fact]
    public void NoPruneThenPruneReportTheSameObjects()
    {
        Assert.Equal("Total objects: 34\nWould delete: 3 objects, freeing 907 bytes\n", CliRunner.RunOk("prune", $"--repo={_archive}", "--refs-only", "--depth=0", "--no-prune"));
        Assert.Equal("Total objects: 34\nDeleted 3 objects, 907 bytes freed\n", CliRunner.RunOk("prune", $"--repo={_archive}", "--refs-only", "--depth=0"));
        Assert.Equal("Total objects: 31\nNo unreachable objects\n", CliRunner.RunOk("prune", $"--repo={_archive}", "--refs-only", "--depth=0"));
    }

    [Fact]
    public void KilobytesUseANoBreakSpace()
    {
        CliRunner.RunOk("refs", $"--repo={_archive}", "--delete", "vectors/large-dirtree");
        Assert.Equal("Total objects: 34\nDeleted 3 objects, 73.3\u00A0kB freed\n", CliRunner.RunOk("prune", $"--repo={_archive}", "--refs-only"));
    }

    [Fact]
    public void CommitOnlySaysSo()
    {
        Assert.Equal("Total (commit only) objects: 4\nDeleted 1 objects, 206 bytes freed\n",
            CliRunner.RunOk("prune", $"--repo={_archive}", "--refs-only", "--depth=0", "--commit-only"));
    }

    [Theory]
    [InlineData("--keep-younger-than=garbage", "error: Could not parse 'garbage'")]
    [InlineData("--retain-branch-depth=main", "error: Invalid value main, must specify BRANCH=DEPTH")]
    [InlineData("--retain-branch-depth=main=x", "error: Invalid depth x")]
    [InlineData("--retain-branch-depth=main=99999999999", "error: Out of range depth 99999999999")]
    [InlineData("--static-deltas-only", "error: --static-deltas-only requires --delete-commit; see https://github.com/ostreedev/ostree/issues/1479")]
    [InlineData("--only-branch=nope", "error: Refspec 'nope' not found")]
    public void BadArgumentsAreOneLineErrors(string argument, string expected)
    {
        var r = CliRunner.Run("prune", $"--repo={_archive}", argument);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(expected + "\n", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    /// <summary>As ostree: --static-deltas-only without --delete-commit is refused before the date is read.</summary>
    [Theory]
    [InlineData("--keep-younger-than=October 20 2015")]
    [InlineData("--keep-younger-than=garbage")]
    public void StaticDeltasOnlyIsCheckedBeforeTheDate(string date)
    {
        var r = CliRunner.Run("prune", $"--repo={_archive}", "--static-deltas-only", date);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: --static-deltas-only requires --delete-commit; see https://github.com/ostreedev/ostree/issues/1479\n", r.Stderr);
    }

    [Fact]
    public void DeleteCommitCannotBeCombinedWithNoPrune()
    {
        var r = CliRunner.Run("prune", $"--repo={_archive}", $"--delete-commit={Vectors.Value("commit.1")}", "--no-prune");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: Cannot specify both --delete-commit and --no-prune\n", r.Stderr);
    }

    [Fact]
    public void DeleteCommitRefusesAReferencedCommit()
    {
        var r = CliRunner.Run("prune", $"--repo={_archive}", $"--delete-commit={Vectors.Value("commit.2")}");
        Assert.Equal($"error: Commit '{Vectors.Value("commit.2")}' is referenced by 'vectors/main'\n", r.Stderr);
    }
}
