using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands.Admin;

/// <summary>
/// <c>arbor admin upgrade / switch</c> on a local ref: the refusals that happen before anything is
/// written are compared with the real ostree's words (ostree is run only where it stops early).
/// </summary>
public sealed class AdminUpgradeCommandTests
{
    /// <summary>Exit code, stdout and the error line (ostree prints its usage text before a missing-argument error; arbor only the line).</summary>
    private static (int, string, string) Outcome(CliResult r) => (r.ExitCode, r.Stdout, r.Stderr.TrimEnd('\n').Split('\n')[^1]);

    [Fact]
    public void RefusalsAndNoUpdateMatchOstree()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        var tree = f.VectorTree();
        f.Commit(tree, "2", 2);
        CliRunner.RunOk("admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "vectoros/stable");
        static bool InRepo(string rel) => rel.StartsWith("ostree/repo", StringComparison.Ordinal);
        var before = TreeListing.Capture(f.Path, InRepo);

        foreach (var args in new[]
        {
            new[] { "upgrade", "--os=vectoros" },
            ["upgrade", "--os=vectoros", "--pull-only", "--deploy-only"],
            ["switch", "--os=vectoros", "vectoros/stable"],
            ["switch", "--os=vectoros"],
            ["upgrade"],
        })
        {
            var o = OstreeOracle.Run(["admin", .. args, "--sysroot=" + f.Path]);
            var a = CliRunner.Run(["admin", .. args, "--sysroot=" + f.Path]);
            Assert.Equal(Outcome(o), Outcome(a));
        }
        Assert.Equal(before, TreeListing.Capture(f.Path, InRepo));
        Assert.Equal("No update available.\n", CliRunner.RunOk("admin", "upgrade", "--os=vectoros", "--sysroot=" + f.Path));
        var check = CliRunner.Run("admin", "upgrade", "--os=vectoros", "--check", "--sysroot=" + f.Path);
        Assert.Equal((77, "No update available.\n"), (check.ExitCode, check.Stdout));

        // an older commit is refused (same words as ostree), unless --allow-downgrade
        var older = f.Commit(tree.File("usr/etc/app.conf", "a=old\n"), "1", 1);
        var ro = OstreeOracle.Run("admin", "upgrade", "--os=vectoros", "--sysroot=" + f.Path);
        var ra = CliRunner.Run("admin", "upgrade", "--os=vectoros", "--sysroot=" + f.Path);
        Assert.Equal(ro.Stderr, ra.Stderr);
        Assert.Equal(Outcome(ro), Outcome(ra));
        Assert.Contains("is chronologically older than current revision", ra.Stderr);
        Assert.Equal(before, TreeListing.Capture(f.Path, InRepo));

        check = CliRunner.Run("admin", "upgrade", "--os=vectoros", "--check", "--sysroot=" + f.Path);
        Assert.Equal((0, $"Update available: {older}\n"), (check.ExitCode, check.Stdout));
        CliRunner.RunOk("admin", "upgrade", "--os=vectoros", "--allow-downgrade", "--sysroot=" + f.Path);
        var set = f.Load();
        Assert.Equal(older, set[0].Commit.ToString());
        Assert.Equal("vectoros/stable", set[0].Origin!.Refspec);
    }
}
