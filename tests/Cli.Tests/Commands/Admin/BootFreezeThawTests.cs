using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands.Admin;

/// <summary>
/// The freeze-thaw cycle of /boot's filesystem before the boot configuration swap runs with a watchdog process (the
/// arbor executable again): a normal deploy completes through it; ostree's <c>test-fifreeze</c> switch lets the
/// watchdog time out, thaw and say so, and fails the deploy before anything is swapped.
/// </summary>
public sealed class BootFreezeThawTests
{
    [Fact]
    public void DeployGoesThroughTheWatchdogAndTestFifreezeAbortsBeforeTheSwap()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        var tree = f.VectorTree();
        f.Commit(tree, "1", 1);
        var ok = ArborProcess.Run(["admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "vectoros/stable"]);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal("", ok.Stderr);

        f.Commit(tree.File("usr/lib/modules/6.1.0-vec/vmlinuz", "kernel 2\n"), "2", 2);
        var loader = new FileInfo(f.Full("boot/loader")).LinkTarget;
        var r = ArborProcess.Run(["admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "vectoros/stable"],
            new Dictionary<string, string> { ["OSTREE_SYSROOT_DEBUG"] = "mutable-deployments,test-fifreeze" });
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("fifreeze watchdog was run\n", r.Stderr);
        Assert.EndsWith("Full sync: During fsfreeze-thaw: aborting due to test-fifreeze\n", r.Stderr);
        Assert.Equal(loader, new FileInfo(f.Full("boot/loader")).LinkTarget);
        Assert.Single(f.Load().Deployments);
    }
}
