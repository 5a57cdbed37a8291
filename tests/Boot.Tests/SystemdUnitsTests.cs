using Arbor.TestKit;

namespace Arbor.Boot.Tests;

public sealed class SystemdUnitsTests
{
    [Fact]
    public void PrepareRootRunsInTheInitrdBetweenSysrootAndRootFs()
    {
        var u = BootSources.ReadUnit("arbor-prepare-root.service");
        Assert.Equal(["no"], u.Values("Unit", "DefaultDependencies"));
        Assert.Equal(["ostree"], u.Values("Unit", "ConditionKernelCommandLine"));
        Assert.Equal(["/etc/initrd-release"], u.Values("Unit", "ConditionPathExists"));
        Assert.Contains("sysroot.mount", u.Values("Unit", "After"));
        Assert.Contains("sysroot.mount", u.Values("Unit", "Requires"));
        Assert.Equal(["initrd-root-fs.target"], u.Values("Unit", "Before"));
        Assert.Equal(["emergency.target"], u.Values("Unit", "OnFailure"));
        Assert.Equal(["oneshot"], u.Values("Service", "Type"));
        Assert.Equal(["/usr/lib/arbor/arbor-prepare-root", "/sysroot"], u.Values("Service", "ExecStart"));
        Assert.Equal(["journal+console"], u.Values("Service", "StandardError"));
    }

    [Fact]
    public void RemountRunsBeforeLocalFsAfterRemountFs()
    {
        var u = BootSources.ReadUnit("arbor-remount.service");
        Assert.Equal(["/usr/lib/arbor/arbor-prepare-root", "remount"], u.Values("Service", "ExecStart"));
        Assert.Contains("systemd-remount-fs.service", u.Values("Unit", "After"));
        Assert.Contains("local-fs.target", u.Values("Unit", "Before"));
        Assert.Contains("systemd-tmpfiles-setup.service", u.Values("Unit", "Before"));
        Assert.Equal(["local-fs.target"], u.Values("Install", "WantedBy"));
        Assert.Equal(["ostree"], u.Values("Unit", "ConditionKernelCommandLine"));
    }

    [Fact]
    public void FinalizeStagedRunsOnStopWhileSysrootAndBootAreMounted()
    {
        var u = BootSources.ReadUnit("arbor-finalize-staged.service");
        Assert.Empty(u.Values("Service", "ExecStart"));
        Assert.Equal(["/usr/bin/arbor", "admin", "finalize-staged"], u.Values("Service", "ExecStop"));
        Assert.Equal(["/sysroot", "/boot"], u.Values("Unit", "RequiresMountsFor"));
        Assert.Contains("final.target", u.Values("Unit", "Conflicts"));
        Assert.Contains("arbor-finalize-staged-hold.service", u.Values("Unit", "Wants"));
        Assert.Contains("arbor-finalize-staged-hold.service", u.Values("Unit", "After"));
        var p = BootSources.ReadUnit("arbor-finalize-staged.path");
        Assert.Equal(["/run/ostree/staged-deployment"], p.Values("Path", "PathExists"));
        var h = BootSources.ReadUnit("arbor-finalize-staged-hold.service");
        Assert.Equal(["exec"], h.Values("Service", "Type"));
        Assert.Equal(["+/usr/bin/arbor", "admin", "finalize-staged", "--hold"], h.Values("Service", "ExecStart"));
    }

    [Fact]
    public void SystemdAcceptsEveryUnit()
    {
        // systemd-analyze verify in a scratch root holding the host's units, our units, the binaries they name
        // and the initrd's sysroot.mount (made by the fstab generator there); any complaint fails
        const string Analyze = "/usr/bin/systemd-analyze";
        if (!File.Exists(Analyze)) throw new Xunit.Sdk.XunitException("systemd-analyze is missing: apt-get install systemd (scripts/setup.sh)");
        using var tmp = new TempDirectory("units-");
        var root = tmp.Path;
        Directory.CreateDirectory($"{root}/lib/systemd");
        ProcessRunner.RunOk("cp", "-a", "/lib/systemd/system", $"{root}/lib/systemd/");
        Directory.CreateDirectory($"{root}/etc/systemd/system");
        Directory.CreateDirectory($"{root}/usr/lib/arbor");
        Directory.CreateDirectory($"{root}/usr/bin");
        File.Copy(BootBinary.Path, $"{root}/usr/lib/arbor/arbor-prepare-root");
        File.WriteAllText($"{root}/usr/bin/arbor", "#!/bin/sh\n");
        File.SetUnixFileMode($"{root}/usr/bin/arbor", (UnixFileMode)0x1ED);
        File.WriteAllText($"{root}/etc/systemd/system/sysroot.mount", "[Mount]\nWhat=/dev/vda\nWhere=/sysroot\n");
        var units = new List<string>();
        foreach (var f in Directory.GetFiles(BootSources.PathOf("systemd")))
        {
            var dest = $"{root}/etc/systemd/system/{Path.GetFileName(f)}";
            File.Copy(f, dest);
            units.Add(dest);
        }
        var r = ProcessRunner.Run(Analyze, ["verify", "--root=" + root, "--man=no", .. units]);
        Assert.True(r.ExitCode == 0 && r.Stderr.Length == 0 && r.Stdout.Length == 0, r.ToString());
        Assert.Equal(5, units.Count);
    }
}
