using Arbor.TestKit;

namespace Arbor.Cli.Tests.Common;

/// <summary>
/// <c>arbor … | head</c>: when the reader closes the pipe, the built <c>arbor</c> stops with the status
/// a shell shows for ostree killed by SIGPIPE (141), printing nothing — no stack trace, no "error:"
/// line — for text output (<c>ls -R</c>) and raw bytes (<c>cat</c>) alike. The outputs are larger
/// than a pipe's buffer, so the write that fails is certain.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BrokenPipeTests : IDisposable
{
    private readonly TempDirectory _tmp = new("cli-epipe");
    private readonly string _repo;

    public BrokenPipeTests()
    {
        var tree = _tmp.Combine("tree");
        Directory.CreateDirectory(Path.Combine(tree, "many"));
        for (int i = 0; i < 3000; i++) File.WriteAllText(Path.Combine(tree, "many", $"file-with-a-long-name-{i:D5}"), "");
        File.WriteAllBytes(Path.Combine(tree, "big"), new byte[1 << 20]);
        _repo = _tmp.Combine("repo");
        RepoBuilders.OstreeCommit(_repo, tree, "main", updateSummary: false);
    }

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData("ls", "-R", "main")]
    [InlineData("cat", "main", "/big")]
    public void AClosedPipeEndsTheCommandQuietly(string command, params string[] args)
    {
        var quoted = string.Join(' ', args.Select(a => $"'{a}'"));
        var script = $"set -o pipefail; '{ArborProcess.Executable}' {command} --repo='{_repo}' {quoted} | head -c 0";
        var r = ProcessRunner.Run("bash", ["-c", script]);
        Assert.Equal((141, ""), (r.ExitCode, r.Stderr));
    }
}
