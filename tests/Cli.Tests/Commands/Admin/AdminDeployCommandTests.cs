using Arbor.Deploy.Operations;
using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands.Admin;

/// <summary><c>arbor admin deploy</c> through the CLI: output, --dry-run, bad input and kills at each step.</summary>
public sealed class AdminDeployCommandTests
{
    [Fact]
    public void DeployPrintsOstreesLinesAndStatusMatches()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        var v1 = f.Commit(f.VectorTree(), "1", 1);
        var r = CliRunner.Run("admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "--karg=root=LABEL=root", "--karg-append=quiet", "vectoros/stable");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.EndsWith("Bootloader updated; bootconfig swap: yes; bootversion: boot.1.1, deployment count change: 1\n", r.Stdout);
        var set = f.Load();
        Assert.Equal(v1, set[0].Commit.ToString());
        Assert.StartsWith("root=LABEL=root quiet ostree=/ostree/boot.1/vectoros/", set[0].BootConfig.Options);
        Assert.Equal(OstreeOracle.RunOk("admin", "status", "--sysroot=" + f.Path), CliRunner.RunOk("admin", "status", "--sysroot=" + f.Path));
    }

    [Fact]
    public void DryRunPrintsTheEtcPlanAndWritesNothing()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        var tree = f.VectorTree();
        f.Commit(tree, "1", 1);
        CliRunner.RunOk("admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "vectoros/stable");
        var etc = Path.Join(f.Full(f.Load()[0].RelativePath), "etc");
        File.WriteAllText(Path.Join(etc, "app.conf"), "a=local\n");       // changed here and in v2: conflict
        File.WriteAllText(Path.Join(etc, "dir1/x"), "local\n");          // changed here only: kept local
        File.Delete(Path.Join(etc, "hostname"));                          // removed
        File.WriteAllText(Path.Join(etc, "local.conf"), "l\n");           // added
        var v2 = f.Commit(tree.File("usr/etc/app.conf", "a=2\n").File("usr/etc/new.conf", "n\n"), "2", 2);
        var before = TreeListing.Capture(f.Path);

        var output = CliRunner.RunOk("admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "--dry-run", "vectoros/stable");
        Assert.Equal(
            $"Would deploy {v2} in stateroot vectoros\n" +
            $"Merging /etc from deployment {f.Load()[0].Name}\n" +
            "conflict    app.conf (modified locally and in the new defaults; local version kept)\n" +
            "kept local  dir1/x\n" +
            "removed     hostname\n" +
            "added       local.conf\n" +
            "new default new.conf (new file)\n" +
            "1 kept local, 1 new default, 1 added, 1 removed, 1 conflicts\n", output);
        Assert.Equal(before, TreeListing.Capture(f.Path));
    }

    [Fact]
    public void DryRunWorksOnAStaterootWithNoDeploymentYet()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot(); // os-init made ostree/deploy/vectoros/var only
        var v1 = f.Commit(f.VectorTree(), "1", 1);
        Assert.False(Directory.Exists(f.Full("ostree/deploy/vectoros/deploy")));
        var before = TreeListing.Capture(f.Path);

        var output = CliRunner.RunOk("admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "--dry-run", "vectoros/stable");
        Assert.Equal($"Would deploy {v1} in stateroot vectoros\nNo merge deployment: /etc comes from the new commit's defaults\n", output);
        Assert.Equal(before, TreeListing.Capture(f.Path));

        var r = CliRunner.Run("admin", "deploy", "--sysroot=" + f.Path, "--os=other", "--dry-run", "vectoros/stable");
        Assert.Equal((1, "error: No such stateroot: other\n"), (r.ExitCode, r.Stderr));
    }

    [Fact]
    public void BadInputIsOneLineAndLeavesTheSysrootUnchanged()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        var tree = f.VectorTree();
        f.Commit(tree, "1", 1);
        CliRunner.RunOk("admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "vectoros/stable");
        f.Commit(tree.Remove("usr/lib/modules/6.1.0-vec/vmlinuz"), "2", 2, "vectoros/nokernel");
        var before = TreeListing.Capture(f.Path);

        foreach (var (args, message) in new (string[], string)[]
        {
            (["vectoros/nope"], "error: Refspec 'vectoros/nope' not found\n"),
            ([], "error: REF/REV must be specified\n"),
            (["vectoros/nokernel"], "error: Failed to find kernel in /usr/lib/modules, /usr/lib/ostree-boot or /boot\n"),
            (["--karg-none", "--karg-proc-cmdline", "vectoros/stable"], "error: Can't specify both --karg-proc-cmdline and --karg-none\n"),
        })
        {
            var r = CliRunner.Run(["admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", .. args]);
            Assert.Equal(1, r.ExitCode);
            Assert.Equal(message, r.Stderr);
            Assert.Equal(before, TreeListing.Capture(f.Path));
        }
        var missing = Path.Join(f.Path, "nope");
        var n = CliRunner.Run("admin", "deploy", "--sysroot=" + missing, "--os=vectoros", "vectoros/stable");
        Assert.Equal(1, n.ExitCode);
        Assert.Equal($"error: opendir({missing}): No such file or directory\n", n.Stderr);
    }

    [Theory]
    [InlineData(CrashPoint.Names.DeploymentCheckedOut)]
    [InlineData(CrashPoint.Names.EtcMerged)]
    [InlineData(CrashPoint.Names.DeploymentSealed)]
    [InlineData(CrashPoint.Names.EntriesWritten)]
    [InlineData(CrashPoint.Names.BeforeLoaderSwap)]
    [InlineData(CrashPoint.Names.LoaderSwapped)]
    [InlineData(CrashPoint.Names.DeploymentsWritten)]
    [InlineData(CrashPoint.Names.CleanupDeployment)]
    public void KilledDeployLeavesOldOrNewAndCleanupRemovesLeftovers(string point)
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        var tree = f.VectorTree();
        f.Commit(tree, "1", 1);
        CliRunner.RunOk("admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "vectoros/stable");
        f.Commit(tree.File("usr/lib/modules/6.1.0-vec/vmlinuz", "kernel 2\n"), "2", 2);
        CliRunner.RunOk("admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "vectoros/stable");
        var v3 = f.Commit(tree.File("usr/lib/modules/6.1.0-vec/vmlinuz", "kernel 3\n"), "3", 3);
        var before = f.Load().Deployments.Select(d => d.Name).ToList();

        var r = ArborProcess.Run(["admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "vectoros/stable"],
            new Dictionary<string, string> { [CrashPoint.EnvironmentVariable] = point });
        Assert.NotEqual(0, r.ExitCode);

        var now = f.Load().Deployments.Select(d => d.Name).ToList();
        Assert.True(now.SequenceEqual(before) || (now.Count == 2 && now[0].StartsWith(v3, StringComparison.Ordinal) && now[1] == before[0]),
            $"after a kill at {point}: [{string.Join(", ", now)}]");
        Assert.Equal(OstreeOracle.RunOk("admin", "status", "--sysroot=" + f.Path), CliRunner.RunOk("admin", "status", "--sysroot=" + f.Path));

        CliRunner.RunOk("admin", "cleanup", "--sysroot=" + f.Path);
        var set = f.Load();
        Assert.Equal(set.Deployments.Select(d => d.Name).Order(),
            Directory.GetDirectories(f.Full("ostree/deploy/vectoros/deploy")).Select(Path.GetFileName).Order());
        Assert.Equal([$"loader.{set.BootVersion.Version}"],
            Directory.GetFileSystemEntries(f.Full("boot")).Select(Path.GetFileName).Where(n => n!.StartsWith("loader.", StringComparison.Ordinal)));
    }
}
