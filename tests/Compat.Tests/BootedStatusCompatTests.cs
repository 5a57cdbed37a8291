using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// A booted system, simulated in a private mount namespace: the middle of three deployments is
/// bind-mounted as "/" (with /sysroot, /boot, /run/ostree-booted as at boot), the real ostree runs
/// chrooted into it, arbor gets the same view through ARBOR_ROOT_DIR and ARBOR_RUN_DIR.
/// Booted detection (st_dev/st_ino), pending and rollback must come out the same.
/// </summary>
public sealed class BootedStatusCompatTests
{
    private sealed class BootedSystem : IDisposable
    {
        public TwinSysroots Twin { get; } = new();
        public string Root => Twin.Ns.HostPath("booted");

        public BootedSystem()
        {
            var tree = BootedTwins.BootableTree(Twin);
            Twin.Commit(tree, "1", 1, "vectoros/v1");
            Twin.Commit(tree.File("usr/etc/app.conf", "a=2\n"), "2", 2, "vectoros/v2");
            Twin.Commit(tree.File("usr/etc/app.conf", "a=3\n"), "3", 3, "vectoros/v3");
            foreach (var v in new[] { "v1", "v2", "v3" })
                Twin.OstreeAdminOk("ostree", "deploy", "--os=" + TwinSysroots.Os, "--retain", "--karg=quiet", "vectoros/" + v);
            var middle = Twin.Ns.InnerPath("ostree/" + Twin.ArborSysroot("ostree").Load()[1].RelativePath);
            BootedTwins.MountAsBooted(Twin.Ns, middle, Twin.Ns.InnerPath("ostree"), Twin.Ns.InnerPath("booted"));
            Assert.Equal(0, Twin.Ns.Run("mount", ["-t", "proc", "proc", Twin.Ns.InnerPath("booted/proc")]).ExitCode);
        }

        public CliResult Ostree(params string[] args) => Twin.Ns.Run("chroot", [Twin.Ns.InnerPath("booted"), "/usr/bin/ostree", .. args]);

        public CliResult Arbor(params string[] args) => ArborProcess.Run([.. args, "--sysroot=" + Root],
            new Dictionary<string, string> { ["ARBOR_ROOT_DIR"] = Root, ["ARBOR_RUN_DIR"] = Root + "/run" });

        public void Dispose() => Twin.Dispose();
    }

    [Fact]
    public void BootedPendingAndRollbackAreDetectedLikeOstree()
    {
        Privileged.RequireRoot();
        using var sys = new BootedSystem();
        var expected = sys.Ostree("admin", "status");
        Assert.True(expected.ExitCode == 0, expected.ToString());
        var lines = expected.Stdout.Split('\n');
        Assert.EndsWith(" (pending)", lines[0]);
        Assert.StartsWith("* ", lines[3]);
        Assert.EndsWith(" (rollback)", lines[6]);
        Assert.Equal(expected.Stdout, sys.Arbor("admin", "status").Stdout);
        Assert.Contains("\"booted\": true", sys.Arbor("admin", "status", "--json").Stdout);
    }

    [Fact]
    public void BootedSystemDefaultsAndRefusals()
    {
        Privileged.RequireRoot();
        using var sys = new BootedSystem();
        // config-diff without --os diffs the booted deployment
        Assert.Equal(sys.Ostree("admin", "config-diff").Stdout, sys.Arbor("admin", "config-diff").Stdout);
        // the booted deployment cannot be undeployed (refused before anything is written; the
        // chrooted ostree stops earlier, at setting up its mount namespace, so the words come from its source)
        var a = sys.Arbor("admin", "undeploy", "1");
        Assert.NotEqual(0, a.ExitCode);
        Assert.Equal("error: Cannot undeploy currently booted deployment 1\n", a.Stderr);
        Assert.Equal(sys.Ostree("admin", "status").Stdout, sys.Arbor("admin", "status").Stdout);
    }
}
