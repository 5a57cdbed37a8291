using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// Parts of a repository its reader may not read (mode 000, read as the unprivileged "nobody",
/// since root ignores mode bits): arbor fails with the line ostree prints, naming what it could
/// not open, instead of the BCL's "Access to the path '…' is denied." or a ref "not found".
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UnreadableRepoCompatTests : IDisposable
{
    private const int Nobody = 65534;
    private readonly TempDirectory _tmp = new("compat-unreadable");
    private readonly string _repo;
    private readonly string _commit;

    public UnreadableRepoCompatTests()
    {
        OstreeOracle.Require();
        Privileged.RequireRoot();
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree, smallFiles: 2);
        _repo = _tmp.Combine("repo");
        _commit = RepoBuilders.OstreeCommit(_repo, tree, "main");
        ProcessRunner.RunOk("chmod", "-R", "a+rX", _tmp.Path);
    }

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData("config", "refs")]
    [InlineData(".", "refs")]
    [InlineData("objects", "refs")]
    [InlineData("refs/heads/main", "refs")]
    [InlineData("refs/heads/main", "rev-parse", "main")]
    [InlineData("refs/heads", "refs")]
    [InlineData("refs/heads", "rev-parse", "main")]
    [InlineData("COMMIT", "log", "main")]
    [InlineData("COMMIT", "show", "main")]
    public void ArborSaysWhatOstreeSays(string unreadable, params string[] command)
    {
        var path = unreadable == "COMMIT" ? Path.Join(_repo, "objects", _commit[..2], _commit[2..] + ".commit") : Path.Join(_repo, unreadable);
        ProcessRunner.RunOk("chmod", "000", path);
        string[] args = [.. command, "--repo=" + _repo];

        var arbor = AsNobody(ArborProcess.Executable, args);
        var ostree = AsNobody("/usr/bin/ostree", args);

        Assert.Equal(1, arbor.ExitCode);
        Assert.Equal(ostree.Stderr, arbor.Stderr);
        Assert.Contains("Permission denied", arbor.Stderr);
    }

    private static CliResult AsNobody(string program, string[] args) =>
        ProcessRunner.Run("setpriv", [$"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", program, .. args]);
}
