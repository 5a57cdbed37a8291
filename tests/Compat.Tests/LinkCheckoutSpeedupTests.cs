using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// <c>commit --link-checkout-speedup</c> of a hardlink checkout (ostree's rpm-ostree pattern: check out,
/// change a little, commit again): files still hardlinked into the repo are taken by (device, inode)
/// without reading them, and the commit is the one ostree makes with the same flag.
/// </summary>
public sealed class LinkCheckoutSpeedupTests
{
    [Theory]
    [InlineData("bare")]
    [InlineData("bare-user")]
    public void RecommittingAHardlinkCheckoutMatchesOstree(string mode)
    {
        OstreeOracle.Require();
        Privileged.RequireRoot();
        using var tmp = new TempDirectory("link-speedup");
        var tree = CommitCompatTests.BuildTree(tmp.Combine("tree"));
        var ostreeRepo = tmp.Combine("ostree-repo");
        var arborRepo = tmp.Combine("arbor-repo");
        string[] ts = ["--timestamp=2021-06-01T12:00:00Z"];
        string[] checkoutMode = mode == "bare-user" ? ["-U"] : [];
        foreach (var repo in new[] { ostreeRepo, arborRepo })
        {
            OstreeOracle.RunOk("init", "--repo=" + repo, "--mode=" + mode);
            OstreeOracle.RunOk(["commit", "--repo=" + repo, "-b", "main", .. ts, tree]);
            OstreeOracle.RunOk(["checkout", "--repo=" + repo, "-H", .. checkoutMode, "main", repo + ".co"]);
            // replace, never write in place: the checkout's files are the repo's objects
            File.Delete(Path.Combine(repo + ".co", "with space.txt"));
            File.WriteAllText(Path.Combine(repo + ".co", "with space.txt"), "changed after checkout\n");
            File.Delete(Path.Combine(repo + ".co", "empty"));
        }

        var o = OstreeOracle.RunOk(["commit", "--repo=" + ostreeRepo, "-b", "main", "--link-checkout-speedup", .. ts, ostreeRepo + ".co"]).Trim();
        var a = CliRunner.RunOk(["commit", "--repo=" + arborRepo, "-b", "main", "--link-checkout-speedup", .. ts, arborRepo + ".co"]).Trim();
        Assert.Equal(o, a);

        // the same objects in both repositories: nothing stored twice or left behind
        Assert.Equal(Objects(ostreeRepo), Objects(arborRepo));
        Assert.Contains("no errors found", OstreeOracle.RunOk("fsck", "--repo=" + arborRepo));
    }

    private static string[] Objects(string repo) =>
        Directory.GetFiles(Path.Combine(repo, "objects"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(repo, f)).Order(StringComparer.Ordinal).ToArray();
}
