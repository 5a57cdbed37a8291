using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary><c>pull-local --require-static-deltas</c> against the real ostree 2022.7: through the source's deltas, or the same refusal.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PullLocalDeltaCompatTests : IDisposable
{
    private readonly TempDirectory _tmp = new("pull-local-delta");
    private readonly string _source;
    private readonly string _commit;

    public PullLocalDeltaCompatTests()
    {
        OstreeOracle.Require();
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree, 1, largeBytes: 20_000);
        _source = _tmp.Combine("source");
        _commit = RepoBuilders.OstreeCommit(_source, tree, "main", "v1", updateSummary: false);
    }

    public void Dispose() => _tmp.Dispose();

    private (CliResult Ostree, CliResult Arbor, string OstreeRepo, string ArborRepo) PullBoth(string mode, params string[] extra)
    {
        var repos = new Dictionary<string, string>();
        var results = new Dictionary<string, CliResult>();
        foreach (var tool in new[] { "ostree", "arbor" })
        {
            var repo = _tmp.Combine($"{tool}-{Guid.NewGuid():N}");
            Assert.Equal(0, ToolRunner.Run(tool, "init", $"--repo={repo}", $"--mode={mode}").ExitCode);
            results[tool] = ToolRunner.Run(tool, ["pull-local", $"--repo={repo}", "--require-static-deltas", .. extra, _source, "main"]);
            repos[tool] = repo;
        }
        return (results["ostree"], results["arbor"], repos["ostree"], repos["arbor"]);
    }

    [Fact]
    public void AFromScratchDeltaIsPulled()
    {
        OstreeOracle.RunOk("static-delta", "generate", $"--repo={_source}", "--empty", "main");
        OstreeOracle.RunOk("summary", "-u", $"--repo={_source}");
        var (o, a, oRepo, aRepo) = PullBoth("bare-user");
        Assert.Equal(0, o.ExitCode);
        Assert.True(a.ExitCode == 0, a.ToString());
        Assert.StartsWith("1 delta parts", o.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("1 delta parts", a.Stdout, StringComparison.Ordinal);
        Assert.Equal(_commit, CliRunner.RunOk("rev-parse", $"--repo={aRepo}", "main").Trim());
        Assert.Equal(Objects(oRepo), Objects(aRepo));
        CliRunner.RunOk("fsck", $"--repo={aRepo}");
    }

    private static List<string> Objects(string repo) =>
        Directory.EnumerateFiles(Path.Combine(repo, "objects"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(repo, f)).Order(StringComparer.Ordinal).ToList();

    [Theory]
    [InlineData(true, "bare-user")]
    [InlineData(false, "bare-user")]
    [InlineData(true, "archive")]
    public void WithoutADeltaItFailsAsOstreeFails(bool summary, string mode)
    {
        if (summary) OstreeOracle.RunOk("summary", "-u", $"--repo={_source}");
        var (o, a, _, aRepo) = PullBoth(mode);
        Assert.Equal(1, o.ExitCode);
        Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        Assert.Empty(CliRunner.RunOk("refs", $"--repo={aRepo}"));
    }
}
