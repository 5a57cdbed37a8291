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

    [Fact]
    public void ResetAndRefsRegenerateTheSummaryToo()
    {
        using var tmp = new TempDirectory("commit-summary");
        var (repo, tree) = RepoWithTree(tmp);
        var first = CliRunner.RunOk("commit", "--repo=" + repo, "-b", "main", tree).Trim();
        File.WriteAllText(Path.Combine(tree, "f"), "2\n");
        CliRunner.RunOk("commit", "--repo=" + repo, "-b", "main", tree);
        CliRunner.RunOk("config", "--repo=" + repo, "set", "core.auto-update-summary", "true");

        // as ostree's _ostree_repo_write_ref (test-auto-summary.sh)
        CliRunner.RunOk("reset", "--repo=" + repo, "main", "main^");
        Assert.Contains(first, CliRunner.RunOk("summary", "--repo=" + repo, "--view"));
        CliRunner.RunOk("refs", "--repo=" + repo, "--delete", "main");
        Assert.DoesNotContain("* main", CliRunner.RunOk("summary", "--repo=" + repo, "--view"));
    }

    [Fact]
    public void SummaryUpdateWithACollectionIdCommitsOstreeMetadata()
    {
        using var tmp = new TempDirectory("commit-summary");
        var (repo, tree) = RepoWithTree(tmp, "--collection-id=org.example.C");
        CliRunner.RunOk("commit", "--repo=" + repo, "-b", "main", tree);

        // as ostree's summary -u (test-summary-update.sh): one commit per update, empty tree, the metadata and bindings
        CliRunner.RunOk("summary", "--repo=" + repo, "-u", "-m", "map=@a{sv} {}");
        CliRunner.RunOk("summary", "--repo=" + repo, "-u");
        Assert.Contains("(org.example.C, ostree-metadata)\n", CliRunner.RunOk("refs", "--repo=" + repo, "--collections"));
        var raw = CliRunner.RunOk("show", "--repo=" + repo, "ostree-metadata^", "--raw");
        Assert.Contains("'map': <@a{sv} {}>", raw);
        Assert.Contains("'ostree.ref-binding': <['ostree-metadata']>", raw);
        Assert.Contains("'ostree.collection-binding': <'org.example.C'>", raw);
        Assert.Equal("d /\n", System.Text.RegularExpressions.Regex.Replace(CliRunner.RunOk("ls", "--repo=" + repo, "ostree-metadata"), "^d\\S+ +0 +0 +0 ", "d "));
    }

    private static (string Repo, string Tree) RepoWithTree(TempDirectory tmp, params string[] initArgs)
    {
        var repo = tmp.Combine("repo");
        var tree = tmp.Combine("tree");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "f"), "1\n");
        CliRunner.RunOk(["init", "--repo=" + repo, "--mode=archive", .. initArgs]);
        return (repo, tree);
    }
}
