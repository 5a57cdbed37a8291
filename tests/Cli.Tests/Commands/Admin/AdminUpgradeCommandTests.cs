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
            // the upgrader checks the override before it pulls
            ["upgrade", "--os=vectoros", "--override-commit=nothex"],
            ["upgrade", "--os=vectoros", "--override-commit=" + new string('x', 64)],
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

    /// <summary>A switch reads the merge deployment's origin as an upgrade does: without a refspec it is refused, whatever the target.</summary>
    [Fact]
    public void SwitchNeedsARefspecInTheCurrentOrigin()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        f.Commit(f.VectorTree(), "1", 1);
        CliRunner.RunOk("admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "vectoros/stable");
        File.WriteAllText(f.Full(f.Load()[0].OriginRelativePath), "[origin]\nfoo=bar\n");
        foreach (var target in new[] { "vectoros/stable", "origin:" })
        {
            var o = OstreeOracle.Run("admin", "switch", "--os=vectoros", target, "--sysroot=" + f.Path);
            var a = CliRunner.Run("admin", "switch", "--os=vectoros", target, "--sysroot=" + f.Path);
            Assert.Equal((1, "error: No origin/refspec in current deployment origin; cannot upgrade via ostree\n"), (o.ExitCode, o.Stderr));
            Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        }
        Assert.Equal(1, f.Load().Count);
    }

    [Fact]
    public void OverrideCommitIsNotKeptByTheNextUpgrade()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        var tree = f.VectorTree();
        var v1 = f.Commit(tree, "1", 1);
        CliRunner.RunOk("admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "vectoros/stable");
        var v2 = f.Commit(tree.File("usr/etc/app.conf", "a=2\n"), "2", 2);
        CliRunner.RunOk("admin", "upgrade", "--os=vectoros", "--sysroot=" + f.Path); // v1 stays as the rollback deployment
        Assert.Equal(v2, f.Load()[0].Commit.ToString());

        // as ostree's: the override goes into the new origin, and moves the ref
        CliRunner.RunOk("admin", "upgrade", "--os=vectoros", "--override-commit=" + v1, "--allow-downgrade", "--sysroot=" + f.Path);
        var set = f.Load();
        Assert.Equal(v1, set[0].Commit.ToString());
        Assert.Equal(v1, set[0].Origin!.OverrideCommit);
        Assert.Equal(v1, CliRunner.RunOk("rev-parse", "--repo=" + f.Full("ostree/repo"), "vectoros/stable").Trim());

        // a plain upgrade drops the override and follows the ref again
        var v3 = f.Commit(tree.File("usr/etc/app.conf", "a=3\n"), "3", 3);
        CliRunner.RunOk("admin", "upgrade", "--os=vectoros", "--sysroot=" + f.Path);
        set = f.Load();
        Assert.Equal(v3, set[0].Commit.ToString());
        Assert.Null(set[0].Origin!.OverrideCommit);
    }

    [Fact]
    public void EndOfLifeRebaseIsFollowedAndWrittenIntoTheOrigin()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        var tree = f.VectorTree();
        f.Commit(tree, "1", 1);
        CliRunner.RunOk("admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "vectoros/stable");
        var next = f.Commit(tree.File("usr/etc/app.conf", "a=next\n"), "2", 2, branch: "vectoros/next");
        var empty = Directory.CreateTempSubdirectory("arbor-eol-").FullName;
        try
        {
            CliRunner.RunOk("commit", "--repo=" + f.Full("ostree/repo"), "-b", "vectoros/stable", "--tree=dir=" + empty, "--timestamp=2021-02-03T00:00:00Z",
                "--add-metadata-string=ostree.endoflife=Product discontinued", "--add-metadata-string=ostree.endoflife-rebase=vectoros/next");
        }
        finally { Directory.Delete(empty); }
        CliRunner.RunOk("admin", "upgrade", "--os=vectoros", "--sysroot=" + f.Path);
        var set = f.Load();
        Assert.Equal(next, set[0].Commit.ToString());
        Assert.Equal("vectoros/next", set[0].Origin!.Refspec);
    }

    [Fact]
    public void SwitchMakesAFreshOriginAndComparesRemoteOnlyTargets()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        var tree = f.VectorTree();
        f.Commit(tree, "1", 1);
        var next = f.Commit(tree.File("usr/etc/app.conf", "a=next\n"), "2", 2, branch: "vectoros/next");
        CliRunner.RunOk("admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "vectoros/stable");
        var originPath = f.Full(f.Load()[0].OriginRelativePath);
        File.AppendAllText(originPath, "custom=kept by upgrade, not by switch\n\n[extra]\nx=1\n");

        // "REMOTE:" keeps the ref: the same refspec again is refused as by ostree
        var r = CliRunner.Run("admin", "switch", "--sysroot=" + f.Path, "--os=vectoros", "vectoros:");
        Assert.NotEqual(0, r.ExitCode);

        var output = CliRunner.RunOk("admin", "switch", "--sysroot=" + f.Path, "--os=vectoros", "vectoros/next");
        Assert.Contains("Deleting ref '(null):vectoros/stable'\n", output);
        var set = f.Load();
        Assert.Equal(next, set[0].Commit.ToString());
        Assert.Equal("[origin]\nrefspec=vectoros/next\n", set[0].Origin!.ToString());
    }
}
