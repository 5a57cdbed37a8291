using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands;

/// <summary>core.auto-update-summary: each commit that moves a branch rewrites the summary, as ostree's transactions do.</summary>
public sealed class CommitSummaryTests
{
    [Fact]
    public void CommitsRegenerateTheSummaryWhenTheRepoAsksForIt()
    {
        OstreeOracle.Require();
        using var tmp = new TempDirectory("commit-summary");
        var repo = tmp.Combine("repo");
        var tree = tmp.Combine("tree");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "f"), "1\n");
        CliRunner.RunOk("init", "--repo=" + repo, "--mode=archive");

        var first = CliRunner.RunOk("commit", "--repo=" + repo, "-b", "plain", tree).Trim();
        Assert.False(File.Exists(Path.Combine(repo, "summary")));

        CliRunner.RunOk("config", "--repo=" + repo, "set", "core.auto-update-summary", "true");
        File.WriteAllText(Path.Combine(tree, "f"), "2\n");
        var second = CliRunner.RunOk("commit", "--repo=" + repo, "-b", "auto", tree).Trim();
        var listed = OstreeOracle.RunOk("summary", "--repo=" + repo, "--view");
        Assert.Contains("* auto\n", listed);
        Assert.Contains(second, listed);
        Assert.Contains(first, listed); // every ref, not just the one that moved
    }
}
