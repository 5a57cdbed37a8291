using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// <c>admin deploy --stage</c> and <c>admin finalize-staged</c> on booted systems (<see cref="BootedTwins"/>):
/// the state file in /run is byte for byte ostree's, each tool reads and finalizes what the other
/// staged, and stage + finalize leaves the same sysroot as ostree's (boot entries, links, origins,
/// the merged /etc, the seal).
/// </summary>
public sealed class StagedDeployCompatTests
{
    private const string Os = TwinSysroots.Os;

    private static string StagedDir(BootedTwins b, string side)
    {
        var set = b.Sysroot(side).Load();
        Assert.True(set[0].IsStaged, side);
        return b.Twin.Host(side, set[0].RelativePath);
    }

    private static bool IsImmutable(string dir) =>
        ProcessRunner.RunOk("lsattr", "-d", dir).Split(' ')[0].Contains('i', StringComparison.Ordinal);

    private static void AssertSameSysroots(BootedTwins b)
    {
        var t = b.Twin;
        Assert.Equal(t.BootState("ostree"), t.BootState("arbor"));
        Assert.Equal(t.DeploymentRefs("ostree"), t.DeploymentRefs("arbor"));
        var status = b.Ok("ostree", "ostree", "admin", "status");
        Assert.Equal(status, b.Ok("ostree", "arbor", "admin", "status"));
        Assert.Equal(status, b.Ok("arbor", "ostree", "admin", "status"));
        Assert.Equal(status, b.Ok("arbor", "arbor", "admin", "status"));
    }

    [Fact]
    public void StageThenFinalizeGivesOstreesSysroot()
    {
        Privileged.RequireRoot();
        using var b = new BootedTwins();
        foreach (var side in BootedTwins.Sides)
        {
            b.EditEtc(side);
            Assert.Equal("", b.Ok(side, side, "admin", "deploy", "--stage", "--karg-append=x=1", "vectoros/v3"));
        }

        // the state is the same bytes, and each tool shows the other's staged deployment as ostree does
        Assert.Equal(File.ReadAllBytes(b.StagedState("ostree")), File.ReadAllBytes(b.StagedState("arbor")));
        AssertSameSysroots(b);
        var status = b.Ok("arbor", "arbor", "admin", "status");
        Assert.EndsWith(" (staged)", status.Split('\n')[0]);
        Assert.Contains("\"staged\": true", b.Ok("arbor", "arbor", "admin", "status", "--json"));
        // staged: /etc made from /usr/etc, not merged yet, not sealed
        foreach (var side in BootedTwins.Sides)
        {
            var dir = StagedDir(b, side);
            Assert.False(File.Exists(Path.Join(dir, "etc/local.conf")));
            Assert.Equal("3\n", File.ReadAllText(Path.Join(dir, "etc/v3")));
            Assert.False(IsImmutable(dir));
        }
        Assert.Equal(TreeListing.Capture(StagedDir(b, "ostree"), rel => rel.StartsWith("etc", StringComparison.Ordinal)),
            TreeListing.Capture(StagedDir(b, "arbor"), rel => rel.StartsWith("etc", StringComparison.Ordinal)));

        // /etc edited after staging is what gets merged at shutdown
        foreach (var side in BootedTwins.Sides) File.WriteAllText(Path.Join(b.Root(side), "etc/late.conf"), "late\n");
        var printed = b.Ok("ostree", "ostree", "admin", "finalize-staged");
        Assert.StartsWith("Copying /etc changes: 1 modified, 1 removed, 3 added", printed);
        Assert.Equal(printed, b.Ok("arbor", "arbor", "admin", "finalize-staged"));

        foreach (var side in BootedTwins.Sides)
        {
            Assert.False(File.Exists(b.StagedState(side)));
            var dir = b.Twin.DeploymentDir(side, 0);
            Assert.True(IsImmutable(dir), side);
            Assert.Equal("late\n", File.ReadAllText(Path.Join(dir, "etc/late.conf")));
            Assert.Equal("a=local\n", File.ReadAllText(Path.Join(dir, "etc/app.conf")));
            Assert.False(File.Exists(Path.Join(dir, "etc/hostname")));
        }
        AssertSameSysroots(b);
        Assert.EndsWith(" (pending)", b.Ok("arbor", "arbor", "admin", "status").Split('\n')[0]);
        Assert.Matches(@"\noptions quiet ostree=\S+ x=1\n", b.Twin.BootState("arbor"));
        Assert.Equal(TreeListing.Capture(Path.Join(b.Twin.DeploymentDir("ostree", 0), "etc"), rel => rel == "ld.so.cache"),
            TreeListing.Capture(Path.Join(b.Twin.DeploymentDir("arbor", 0), "etc"), rel => rel == "ld.so.cache"));

        // nothing staged any more: a second run does nothing, like ostree's
        Assert.Equal("", b.Ok("arbor", "arbor", "admin", "finalize-staged"));
        AssertSameSysroots(b);
    }

    [Fact]
    public void EachToolFinalizesWhatTheOtherStaged()
    {
        Privileged.RequireRoot();
        using var b = new BootedTwins();
        // ostree stages on the arbor-made system and arbor finalizes it; the other way round on the other
        b.EditEtc("ostree");
        b.EditEtc("arbor");
        b.Ok("ostree", "arbor", "admin", "deploy", "--stage", "vectoros/v3");
        b.Ok("arbor", "ostree", "admin", "deploy", "--stage", "vectoros/v3");
        Assert.Equal(File.ReadAllBytes(b.StagedState("ostree")), File.ReadAllBytes(b.StagedState("arbor")));
        AssertSameSysroots(b);
        Assert.Equal(b.Ok("ostree", "ostree", "admin", "finalize-staged"), b.Ok("arbor", "arbor", "admin", "finalize-staged"));
        AssertSameSysroots(b);
        Assert.Equal("local\n", File.ReadAllText(Path.Join(b.Twin.DeploymentDir("arbor", 0), "etc/local.conf")));
        Assert.Equal("local\n", File.ReadAllText(Path.Join(b.Twin.DeploymentDir("ostree", 0), "etc/local.conf")));
    }

    [Fact]
    public void LockedStagingSurvivesFinalizeAndAnOrdinaryWriteDiscardsIt()
    {
        Privileged.RequireRoot();
        using var b = new BootedTwins();
        foreach (var side in BootedTwins.Sides)
        {
            b.Ok(side, side, "admin", "deploy", "--stage", "vectoros/v3");
            // staging again replaces the first one (its directory goes), now locked
            b.Ok(side, side, "admin", "deploy", "--stage", "--lock-finalization", "--karg=y=2", "vectoros/v3");
            var locked = Path.Join(b.Root(side), "run/ostree/staged-deployment-locked");
            Assert.True(File.Exists(locked), side);
            Assert.Equal((UnixFileMode)0x1A0, File.GetUnixFileMode(locked));
            Assert.Equal("", b.Ok(side, side, "admin", "finalize-staged"));
            Assert.True(File.Exists(b.StagedState(side)), side);
        }
        Assert.Equal(File.ReadAllBytes(b.StagedState("ostree")), File.ReadAllBytes(b.StagedState("arbor")));
        AssertSameSysroots(b);
        Assert.EndsWith(".1 (staged)", b.Ok("arbor", "arbor", "admin", "status").Split('\n')[0]);

        // undeploy 0 drops the staged deployment: state file and directory
        foreach (var side in BootedTwins.Sides)
        {
            var dir = StagedDir(b, side);
            b.Ok(side, side, "admin", "undeploy", "0");
            Assert.False(File.Exists(b.StagedState(side)), side);
            Assert.False(Directory.Exists(dir), side);
        }
        AssertSameSysroots(b);

        // so does an ordinary deploy while one is staged (the new one is not staged)
        foreach (var side in BootedTwins.Sides) b.Ok(side, side, "admin", "deploy", "--stage", "vectoros/v3");
        foreach (var side in BootedTwins.Sides) b.Ok(side, side, "admin", "deploy", "--retain", "vectoros/v1");
        foreach (var side in BootedTwins.Sides) Assert.False(File.Exists(b.StagedState(side)), side);
        AssertSameSysroots(b);
    }

    [Fact]
    public void RefusalsMatchOstree()
    {
        Privileged.RequireRoot();
        using var b = new BootedTwins();
        foreach (var args in new[]
                 {
                     new[] { "admin", "deploy", "--stage", "--retain-pending", "vectoros/v3" },
                     new[] { "admin", "deploy", "--stage", "--not-as-default", "vectoros/v3" },
                 })
        {
            var o = b.Ostree("ostree", args);
            var a = b.Arbor("arbor", args);
            Assert.NotEqual(0, o.ExitCode);
            Assert.Equal(o.ExitCode, a.ExitCode);
            Assert.Equal(o.Stderr, a.Stderr);
        }
        // staging needs a booted system
        var t = b.Twin;
        var os = t.OstreeAdmin("ostree", "deploy", "--os=" + Os, "--stage", "vectoros/v3");
        var ar = t.Ns.Run(ArborProcess.Executable, ["admin", "deploy", "--os=" + Os, "--stage", "vectoros/v3", "--sysroot=" + t.Ns.InnerPath("arbor")]);
        Assert.Equal("error: Cannot stage deployment: Not currently booted into an OSTree system\n", os.Stderr);
        Assert.Equal(os.Stderr, ar.Stderr);
        Assert.Equal(1, ar.ExitCode);
        AssertSameSysroots(b);
    }

    [Fact]
    public void UpgradeStageThenRebootAsOstreeWould()
    {
        Privileged.RequireRoot();
        using var b = new BootedTwins();
        // a new commit on the ref the booted deployment's origin follows
        var tree = BootedTwins.BootableTree(b.Twin, "v4").File("usr/etc/app.conf", "a=4\n");
        // --reboot hands over to `systemctl reboot` (a stand-in here, alone on PATH) once something was deployed
        var bin = b.Twin.Ns.HostPath("fakebin");
        Directory.CreateDirectory(bin);
        File.WriteAllText(Path.Join(bin, "systemctl"), $"#!/bin/sh\necho \"$@\" > {b.Twin.Ns.InnerPath("rebooted")}\nexit 3\n");
        File.SetUnixFileMode(Path.Join(bin, "systemctl"), (UnixFileMode)0x1ED);
        var env = new Dictionary<string, string> { ["PATH"] = b.Twin.Ns.InnerPath("fakebin") };
        var nothing = b.ArborWithEnv("arbor", env, "admin", "upgrade", "--reboot");
        Assert.Equal(0, nothing.ExitCode);
        Assert.Equal("No update available.\n", nothing.Stdout);
        Assert.False(File.Exists(b.Twin.Ns.HostPath("rebooted")), "no reboot when there was nothing to deploy");

        var v4 = b.Twin.Commit(tree, "4", 4, "vectoros/v2");
        foreach (var side in BootedTwins.Sides) b.EditEtc(side);

        Assert.Equal(b.Ok("ostree", "ostree", "admin", "upgrade", "--stage"), b.Ok("arbor", "arbor", "admin", "upgrade", "--stage"));
        Assert.Equal(File.ReadAllBytes(b.StagedState("ostree")), File.ReadAllBytes(b.StagedState("arbor")));
        AssertSameSysroots(b);
        Assert.Contains($" {v4}.0 (staged)", b.Ok("arbor", "arbor", "admin", "status"));

        b.Twin.Commit(tree.File("usr/etc/app.conf", "a=5\n"), "5", 5, "vectoros/v2");
        var r = b.ArborWithEnv("arbor", env, "admin", "upgrade", "--stage", "--reboot");
        Assert.Equal(3, r.ExitCode);
        Assert.Equal("reboot\n", File.ReadAllText(b.Twin.Ns.HostPath("rebooted")));
        var refused = b.ArborWithEnv("arbor", env, "admin", "upgrade", "--pull-only", "--reboot");
        Assert.Equal("error: Cannot simultaneously specify --pull-only and --reboot\n", refused.Stderr);
    }

    [Fact]
    public void AFailedFinalizationLeavesTheOldBootConfigurationAndAStamp()
    {
        Privileged.RequireRoot();
        using var b = new BootedTwins();
        b.Ok("arbor", "arbor", "admin", "deploy", "--stage", "vectoros/v3");
        var before = b.Twin.BootState("arbor");
        // the staged tree is gone (a damaged disk, a stray rm -rf)
        Directory.Delete(StagedDir(b, "arbor"), recursive: true);
        var r = b.Arbor("arbor", "admin", "finalize-staged");
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: ", r.Stderr);
        var stamp = File.ReadAllText(Path.Join(b.Twin.Host("arbor"), "boot/ostree/finalize-failure.stamp"));
        Assert.Equal(r.Stderr["error: ".Length..].TrimEnd('\n'), stamp);
        Assert.Equal(before.Split("\n== ")[1..], b.Twin.BootState("arbor").Split("\n== ")[1..]);
        Assert.False(File.Exists(b.StagedState("arbor")), "a staged deployment is tried once");
    }
}
