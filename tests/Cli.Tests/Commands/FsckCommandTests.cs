using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands;

public sealed class FsckCommandTests : IDisposable
{
    private readonly TempDirectory _tmp = new("cli-fsck");
    private readonly string _archive;

    public FsckCommandTests() => _archive = VectorRepos.Extract(_tmp.Path).Archive;

    public void Dispose() => _tmp.Dispose();

    private const string Success = """
        Validating refs...
        Validating refs in collections...
        Enumerating commits...
        Verifying content integrity of 4 commit objects...
        fsck objects (1/34) 2%
        fsck objects (34/34) 100%
        object fsck of 4 commits completed successfully - no errors found.

        """;

    [Fact]
    public void ASoundRepositoryPrintsOstreesOutput()
    {
        var r = CliRunner.Run("fsck", $"--repo={_archive}");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Success, r.Stdout);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void QuietKeepsOnlyProgressAndTheVerdict()
    {
        var r = CliRunner.Run("fsck", "-q", $"--repo={_archive}");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("fsck objects (1/34) 2%\nfsck objects (34/34) 100%\nobject fsck of 4 commits completed successfully - no errors found.\n", r.Stdout);
    }

    [Fact]
    public void CorruptionIsNamedOnStderrAndFailsTheCommand()
    {
        var small = "3241e024a29e5bda32a4159e3109cee164c2db0288a8a5098f3759c820d3ae7b";
        OstreeRepos.FlipByte(OstreeRepos.ObjectPath(_archive, small, "filez"), 290);
        var r = CliRunner.Run("fsck", "--all", $"--repo={_archive}");
        Assert.Equal(1, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"In commits {Vectors.Value("commit.1")}, {Vectors.Value("commit.2")}: fsck content object {small}: Corrupted file object; checksum expected='{small}' actual=", lines[0]);
        Assert.Equal("error: Repository corruption encountered", lines[1]);
        Assert.DoesNotContain("completed successfully", r.Stdout);
    }

    [Fact]
    public void WithoutAllTheFirstCorruptionIsTheError()
    {
        var small = "3241e024a29e5bda32a4159e3109cee164c2db0288a8a5098f3759c820d3ae7b";
        OstreeRepos.FlipByte(OstreeRepos.ObjectPath(_archive, small, "filez"), 290);
        var r = CliRunner.Run("fsck", $"--repo={_archive}");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: In commits ", r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void NotARepositoryIsAOneLineError()
    {
        var r = CliRunner.Run("fsck", $"--repo={_tmp.Combine("nope")}");
        Assert.NotEqual(0, r.ExitCode);
        Assert.StartsWith("error: ", r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
