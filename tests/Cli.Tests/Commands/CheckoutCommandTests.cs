using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands;

/// <summary><c>arbor checkout</c>: arguments, defaults and one-line errors.</summary>
public sealed class CheckoutCommandTests : IDisposable
{
    private readonly TempDirectory _tmp = new("co-cli");
    private readonly string _repo, _commit;

    public CheckoutCommandTests()
    {
        OstreeOracle.Require();
        var src = _tmp.Combine("src");
        Directory.CreateDirectory(Path.Combine(src, "etc"));
        File.WriteAllText(Path.Combine(src, "etc", "motd"), "hi\n");
        File.WriteAllText(Path.Combine(src, "README"), "readme\n");
        _repo = _tmp.Combine("repo");
        CliRunner.RunOk("init", $"--repo={_repo}", "--mode=bare");
        _commit = OstreeOracle.RunOk("commit", $"--repo={_repo}", "-b", "os/stable", $"--tree=dir={src}").Trim();
    }

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void ChecksOutSilently()
    {
        var r = CliRunner.Run("checkout", $"--repo={_repo}", "os/stable", _tmp.Combine("co"));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.Equal("", r.Stderr);
        Assert.Equal("hi\n", File.ReadAllText(_tmp.Combine("co", "etc", "motd")));
    }

    [Fact]
    public void DestinationDefaultsToTheCommitArgument()
    {
        var cli = typeof(Arbor.Cli.Program).Assembly.Location;
        var work = _tmp.Combine("cwd");
        Directory.CreateDirectory(work);
        var r = ProcessRunner.Run("dotnet", [cli, "checkout", $"--repo={_repo}", _commit[..10]], workingDirectory: work);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("readme\n", File.ReadAllText(Path.Combine(work, _commit[..10], "README")));
    }

    [Theory]
    [InlineData(new string[0], "error: COMMIT must be specified\n")]
    [InlineData(new[] { "nosuch" }, "error: Refspec 'nosuch' not found\n")]
    [InlineData(new[] { "--union", "--union-add", "os/stable", "x" }, "error: Cannot specify both --union and --union-add\n")]
    [InlineData(new[] { "--union-identical", "os/stable", "x" }, "error: --union-identical requires --require-hardlinks\n")]
    [InlineData(new[] { "-H", "-C", "os/stable", "x" }, "error: Cannot specify both --require-hardlinks and --force-copy\n")]
    [InlineData(new[] { "--fsync=sometimes", "os/stable", "x" }, "error: Invalid boolean argument 'sometimes'\n")]
    [InlineData(new[] { "--subpath=/etc/nope", "os/stable", "x" }, "error: No such file or directory: /etc/nope\n")]
    [InlineData(new[] { "--subpath=/README/x", "os/stable", "x" }, "error: Not a directory\n")]
    public void ErrorsAreOneLine(string[] args, string stderr)
    {
        var r = CliRunner.Run(["checkout", $"--repo={_repo}", .. args.Select(a => a == "x" ? _tmp.Combine("x") : a)]);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(stderr, r.Stderr);
        Assert.False(Directory.Exists(_tmp.Combine("x")));
    }

    [Fact]
    public void ExistingDestinationNeedsAUnionFlag()
    {
        var dest = _tmp.Combine("co");
        CliRunner.RunOk("checkout", $"--repo={_repo}", "os/stable", dest);
        var r = CliRunner.Run("checkout", $"--repo={_repo}", "os/stable", dest);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: mkdirat: File exists\n", r.Stderr);
        Assert.Equal(0, CliRunner.Run("checkout", $"--repo={_repo}", "--union", "os/stable", dest).ExitCode);
        Assert.Equal(0, CliRunner.Run("checkout", $"--repo={_repo}", "--union-add", "os/stable", dest).ExitCode);
        Assert.Equal(0, CliRunner.Run("checkout", $"--repo={_repo}", "--union-identical", "-H", "os/stable", dest).ExitCode);
    }

    [Fact]
    public void AllowNoentOnlyForAMissingSubpath()
    {
        var r = CliRunner.Run("checkout", $"--repo={_repo}", "--allow-noent", "--subpath=/nope", "os/stable", _tmp.Combine("x"));
        Assert.Equal(0, r.ExitCode);
        Assert.False(Directory.Exists(_tmp.Combine("x")));
        r = CliRunner.Run("checkout", $"--repo={_repo}", "--allow-noent", "--subpath=/README/x", "os/stable", _tmp.Combine("x"));
        Assert.Equal("error: Not a directory\n", r.Stderr);
    }

    [Fact]
    public void SkipListLeavesOutListedPaths()
    {
        var list = _tmp.Combine("skip");
        File.WriteAllText(list, "/README\n/etc/\n");
        CliRunner.RunOk("checkout", $"--repo={_repo}", $"--skip-list={list}", "os/stable", _tmp.Combine("co"));
        Assert.Empty(Directory.GetFileSystemEntries(_tmp.Combine("co")));
    }

    [Fact]
    public void FromFileReadsNulSeparatedRecords()
    {
        var list = _tmp.Combine("list");
        File.WriteAllText(list, $"os/stable\0/etc\0{_commit}\0/README\0");
        CliRunner.RunOk("checkout", $"--repo={_repo}", "--union", $"--from-file={list}", _tmp.Combine("co"));
        Assert.Equal(["README", "motd"], Directory.GetFileSystemEntries(_tmp.Combine("co")).Select(Path.GetFileName).Order());
    }
}
