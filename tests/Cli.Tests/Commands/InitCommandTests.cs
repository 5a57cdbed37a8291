using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands;

public sealed class InitCommandTests : IDisposable
{
    private readonly TempDirectory _tmp = new("cli-init");

    public void Dispose() => _tmp.Dispose();

    /// <summary>As ostree: init reads no arguments and ignores those it is given (libtest.sh's `init init --mode=archive`).</summary>
    [Fact]
    public void ExtraArgumentsAreIgnored()
    {
        var repo = Path.Combine(_tmp.Path, "repo");
        var r = CliRunner.Run($"--repo={repo}", "init", "init", "--mode=archive");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stderr);
        Assert.Contains("mode=archive", File.ReadAllText(Path.Combine(repo, "config")));
    }
}
