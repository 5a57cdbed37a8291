using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// A booted system with <c>/sysroot</c> and <c>/boot</c> mounted read-only (as prepare-root leaves
/// them with <c>sysroot.readonly=true</c>): the admin commands that lock the sysroot, and the
/// repository commands on the system repository, remount them read-write in a mount namespace of
/// their own, as ostree 2022.7 does, so that the system keeps seeing them read-only.
/// </summary>
public sealed class ReadOnlySysrootCompatTests
{
    public ReadOnlySysrootCompatTests() => Privileged.RequireRoot();

    private static void MountReadOnly(BootedTwins b, string side)
    {
        var r = b.Twin.Ns.Run("sh", ["-c", $"mount -o remount,bind,ro {b.Inner(side)}/sysroot && mount -o remount,bind,ro {b.Inner(side)}/boot"]);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    /// <summary>The options of the mount at <paramref name="path"/> as the test's namespace sees it.</summary>
    private static string Options(BootedTwins b, string path)
    {
        var r = b.Twin.Ns.Run("findmnt", ["-n", "-o", "OPTIONS", "--mountpoint", path]);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout.Split(',')[0].Trim();
    }

    /// <summary>
    /// arbor on the booted system of <paramref name="side"/>, as PID 1 of a PID namespace with its
    /// own /proc: so it shares PID 1's mount namespace and has to leave it, as on a real system.
    /// </summary>
    private static CliResult ArborAsOnTheSystem(BootedTwins b, string side, params string[] args) =>
        b.Twin.Ns.Run("unshare", ["--pid", "--fork", "--mount-proc", "env",
            "ARBOR_ROOT_DIR=" + b.Inner(side), "ARBOR_RUN_DIR=" + b.Inner(side) + "/run", ArborProcess.Executable, .. args]);

    [Fact]
    public void AdminDeployRemountsAReadOnlySysrootPrivately()
    {
        using var b = new BootedTwins();
        foreach (var side in BootedTwins.Sides) MountReadOnly(b, side);
        var v3 = Arbor.Repo.Refs.RevParser.Resolve(b.Twin.Arbor.Repo, "vectoros/v3").ToString();

        var o = b.Ostree("ostree", "admin", "deploy", "--os=" + TwinSysroots.Os, "vectoros/v3");
        var a = ArborAsOnTheSystem(b, "arbor", "admin", "deploy", "--os=" + TwinSysroots.Os, "vectoros/v3", "--sysroot=" + b.Inner("arbor"));
        Assert.True(o.ExitCode == 0, o.ToString());
        Assert.True(a.ExitCode == 0, a.ToString());
        foreach (var side in BootedTwins.Sides)
        {
            Assert.Equal(v3, b.Sysroot(side).Load()[0].Commit.ToString());
            // the system itself still sees both read-only
            Assert.Equal("ro", Options(b, b.Inner(side) + "/sysroot"));
            Assert.Equal("ro", Options(b, b.Inner(side) + "/boot"));
        }

        // status only reads: nothing to remount, nothing to fail
        Assert.Equal(0, ArborAsOnTheSystem(b, "arbor", "admin", "status", "--sysroot=" + b.Inner("arbor")).ExitCode);
    }

    [Fact]
    public void AdminSwitchPullsIntoAReadOnlySysroot()
    {
        using var b = new BootedTwins();
        // a remote that is the system repository itself: the pull only writes the remote ref
        b.Ok("ostree", "ostree", "remote", "add", "--repo=/sysroot/ostree/repo", "--no-gpg-verify", "self", "file:///sysroot/ostree/repo");
        var r = ArborAsOnTheSystem(b, "arbor", "remote", "add", "--repo=" + b.Inner("arbor") + "/sysroot/ostree/repo", "--no-gpg-verify", "self",
            "file://" + b.Inner("arbor") + "/sysroot/ostree/repo");
        Assert.True(r.ExitCode == 0, r.ToString());
        foreach (var side in BootedTwins.Sides) MountReadOnly(b, side);

        var o = b.Ostree("ostree", "admin", "switch", "self:vectoros/v3");
        var a = ArborAsOnTheSystem(b, "arbor", "admin", "switch", "self:vectoros/v3", "--sysroot=" + b.Inner("arbor"));
        Assert.True(o.ExitCode == 0, o.ToString());
        Assert.True(a.ExitCode == 0, a.ToString());
        var v3 = Arbor.Repo.Refs.RevParser.Resolve(b.Twin.Arbor.Repo, "vectoros/v3").ToString();
        foreach (var side in BootedTwins.Sides)
        {
            Assert.Equal(v3, b.Sysroot(side).Load()[0].Commit.ToString());
            Assert.True(File.Exists(b.Twin.Host(side, "ostree/repo/refs/remotes/self/vectoros/v3")), side);
            Assert.Equal("ro", Options(b, b.Inner(side) + "/sysroot"));
        }
    }

    [Fact]
    public void SystemRepositoryCommandsRemountAReadOnlySysrootPrivately()
    {
        using var b = new BootedTwins();
        foreach (var side in BootedTwins.Sides) MountReadOnly(b, side);

        var o = b.Ostree("ostree", "refs", "--repo=/sysroot/ostree/repo", "--create=local/ro", "vectoros/v1");
        var a = ArborAsOnTheSystem(b, "arbor", "refs", "--repo=" + b.Inner("arbor") + "/sysroot/ostree/repo", "--create=local/ro", "vectoros/v1");
        Assert.True(o.ExitCode == 0, o.ToString());
        Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        foreach (var side in BootedTwins.Sides)
        {
            Assert.True(File.Exists(b.Twin.Host(side, "ostree/repo/refs/heads/local/ro")), side);
            Assert.Equal("ro", Options(b, b.Inner(side) + "/sysroot"));
        }
    }

    [Fact]
    public void WithoutAReadOnlySysrootNothingIsRemounted()
    {
        using var b = new BootedTwins();
        // read-write: deploys without entering a namespace (no PID namespace needed to read /proc/1/ns/mnt)
        var a = b.Arbor("arbor", "admin", "deploy", "--os=" + TwinSysroots.Os, "vectoros/v3");
        Assert.True(a.ExitCode == 0, a.ToString());
        Assert.Equal("rw", Options(b, b.Inner("arbor") + "/sysroot"));
    }
}
