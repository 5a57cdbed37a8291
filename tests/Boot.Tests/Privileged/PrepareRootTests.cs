using System.Text.Json;

namespace Arbor.Boot.Tests.Privileged;

/// <summary>
/// The published arbor-prepare-root on sysroots made by the real ostree, each run chrooted into a scratch
/// "initramfs" in a private mount namespace; the resulting mount tables are checked and compared with
/// Debian's ostree-prepare-root run the same way.
/// </summary>
public sealed class PrepareRootTests
{
    // ostree-prepare-root binds /var itself only when this flag exists (Debian builds it for systemd's
    // var.mount); arbor always does. With the flag both must produce the same table.
    private const string OstreeMountsVar = "mkdir -p \"$R/run/ostree\" && touch \"$R/run/ostree/initramfs-mount-var\"";

    [Theory]
    [InlineData(SysrootTool.Ostree)]
    [InlineData(SysrootTool.Arbor)]
    public void DefaultDeploymentBecomesTheRoot(SysrootTool tool)
    {
        using var s = new OstreeMadeSysroot(tool: tool);
        var run = ChrootRun.Start(s, BootBinary.Path, s.CommandLines[0]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var deploy = $"/sysroot/ostree/deploy/{OstreeMadeSysroot.Stateroot}/deploy/{s.Deployments[0]}";

        // the deployment, bound on itself then moved, is /sysroot
        var root = run.At("/sysroot");
        Assert.Equal(deploy, root.Root);
        Assert.Equal("/", root.Parent);
        // the physical root is /sysroot/sysroot, not propagating
        var physical = run.At("/sysroot/sysroot");
        Assert.Equal("/sysroot", physical.Root); // the scratch tmpfs's sysroot directory, i.e. the physical root
        Assert.Equal("/sysroot", physical.Parent);
        Assert.DoesNotContain("shared:", physical.Options);
        // /usr read-only, /var the stateroot's var, /boot from the physical root
        var usr = run.At("/sysroot/usr");
        Assert.True(usr.ReadOnly, usr.ToString());
        Assert.Equal(deploy + "/usr", usr.Root);
        var var = run.At("/sysroot/var");
        Assert.Equal($"/sysroot/ostree/deploy/{OstreeMadeSysroot.Stateroot}/var", var.Root);
        Assert.False(var.ReadOnly);
        Assert.Equal("/sysroot/boot", run.At("/sysroot/boot").Root);
        Assert.False(root.ReadOnly);
        // /run/ostree-booted (0640), nothing else; the temporary mount point is gone
        Assert.Equal(new Dictionary<string, string> { ["ostree-booted"] = "640" }, run.RunFiles);
        Assert.False(run.TemporaryLeft);
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [InlineData(SysrootTool.Ostree)]
    [InlineData(SysrootTool.Arbor)]
    public void RollbackDeploymentIsChosenByItsOstreeArgument(SysrootTool tool)
    {
        using var s = new OstreeMadeSysroot(tool: tool);
        var run = ChrootRun.Start(s, BootBinary.Path, s.CommandLines[1]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal($"/sysroot/ostree/deploy/{OstreeMadeSysroot.Stateroot}/deploy/{s.Deployments[1]}", run.At("/sysroot").Root);
        Assert.NotEqual(s.Deployments[0], s.Deployments[1]);
    }

    [Theory]
    [InlineData(0, false, true)]
    [InlineData(1, false, true)]
    [InlineData(0, true, true)]
    [InlineData(0, false, false)]
    [InlineData(0, true, false)]
    public void MountTableEqualsOstreePrepareRoot(int entry, bool readOnlySysroot, bool bootOnRoot)
    {
        BootBinary.RequireOstreeBoot();
        using var s = new OstreeMadeSysroot();
        if (readOnlySysroot) s.Ns.OstreeOk("config", "--repo=" + s.Sysroot + "/ostree/repo", "set", "sysroot.readonly", "true");
        if (!bootOnRoot) File.Delete(s.Host("sysroot/boot/loader")); // as if /boot were a partition not yet mounted

        var ours = ChrootRun.Start(s, BootBinary.Path, s.CommandLines[entry]);
        var theirs = ChrootRun.Start(s, BootBinary.OstreePrepareRoot, s.CommandLines[entry], OstreeMountsVar);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        Assert.True(theirs.ExitCode == 0, theirs.ToString());
        Assert.Equal(theirs.After.Select(m => m.ToString()), ours.After.Select(m => m.ToString()));
        // ostree's generator flag is consumed by ostree only; the rest of /run is the same
        theirs.RunFiles.Remove("ostree/initramfs-mount-var");
        Assert.Equal(theirs.RunFiles, ours.RunFiles);
        Assert.Equal(readOnlySysroot, ours.RunFiles.ContainsKey("ostree-sysroot-ro.stamp"));
        Assert.Equal(bootOnRoot, ours.After.Any(m => m.MountPoint == "/sysroot/boot"));
        if (readOnlySysroot)
        {
            Assert.True(ours.At("/sysroot/sysroot").ReadOnly);
            Assert.False(ours.At("/sysroot/etc").ReadOnly);
            Assert.False(ours.At("/sysroot/var").ReadOnly);
            Assert.True(ours.At("/sysroot/usr").ReadOnly);
        }
    }

    /// <summary>
    /// What <c>admin unlock --hotfix</c> leaves in the deployment (<c>.usr-ovl-upper</c>,
    /// <c>.usr-ovl-work</c>) makes /usr a writable overlay at boot, in the same place of the table
    /// as ostree-prepare-root's (which names the directories relative to the deployment; ours are
    /// absolute, a difference only the superblock options show).
    /// </summary>
    [Fact]
    public void HotfixOverlayIsMountedOnUsrAsOstreePrepareRootMountsIt()
    {
        BootBinary.RequireOstreeBoot();
        using var s = new OstreeMadeSysroot();
        var deploy = $"sysroot/ostree/deploy/{OstreeMadeSysroot.Stateroot}/deploy/{s.Deployments[0]}";
        // as unlock --hotfix: the deployment's immutable flag off, then the two directories
        var r = s.Ns.Run("sh", ["-c", $"chattr -i {s.Ns.InnerPath(deploy)} && mkdir {s.Ns.InnerPath(deploy)}/.usr-ovl-upper {s.Ns.InnerPath(deploy)}/.usr-ovl-work"]);
        Assert.True(r.ExitCode == 0, r.ToString());

        var plan = ChrootRun.Start(s, BootBinary.Path, s.CommandLines[0], "", "--dry-run", "/sysroot");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("/usr:             overlay (.usr-ovl-work)\n", plan.Stdout);
        Assert.Contains($"overlay -> /{deploy}/usr  lowerdir=/{deploy}/usr,upperdir=/{deploy}/.usr-ovl-upper,workdir=/{deploy}/.usr-ovl-work\n", plan.Stdout);
        Assert.Equal(plan.Before.Select(m => m.ToString()), plan.After.Select(m => m.ToString()));

        var ours = ChrootRun.Start(s, BootBinary.Path, s.CommandLines[0]);
        var theirs = ChrootRun.Start(s, BootBinary.OstreePrepareRoot, s.CommandLines[0], OstreeMountsVar);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        Assert.True(theirs.ExitCode == 0, theirs.ToString());
        var usr = ours.At("/sysroot/usr");
        Assert.Equal("overlay", usr.FsType);
        Assert.False(usr.ReadOnly);
        Assert.Equal(theirs.After.Select(m => m.ToString()), ours.After.Select(m => m.ToString()));
    }

    [Fact]
    public void VarIsBoundEvenWithoutOstreesFlag()
    {
        BootBinary.RequireOstreeBoot();
        using var s = new OstreeMadeSysroot(deployments: 1);
        var ours = ChrootRun.Start(s, BootBinary.Path, s.CommandLines[0]);
        var theirs = ChrootRun.Start(s, BootBinary.OstreePrepareRoot, s.CommandLines[0]);
        Assert.Contains(ours.After, m => m.MountPoint == "/sysroot/var");
        Assert.DoesNotContain(theirs.After, m => m.MountPoint == "/sysroot/var"); // left to var.mount under systemd
        Assert.Equal(theirs.After.Where(m => m.MountPoint != "/sysroot/var").Select(m => m.ToString()),
                     ours.After.Where(m => m.MountPoint != "/sysroot/var").Select(m => m.ToString()));
    }

    [Fact]
    public void DryRunPrintsThePlanAndMountsNothing()
    {
        using var s = new OstreeMadeSysroot(deployments: 1);
        var text = ChrootRun.Start(s, BootBinary.Path, s.CommandLines[0], "", "explain", "/sysroot");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Equal(text.Before.Select(m => m.ToString()), text.After.Select(m => m.ToString()));
        Assert.Empty(text.RunFiles);
        var deploy = $"/sysroot/ostree/deploy/{OstreeMadeSysroot.Stateroot}/deploy/{s.Deployments[0]}";
        Assert.Contains($"deployment:       {deploy}\n", text.Stdout);
        Assert.Contains($" 2. bind         {deploy} -> {deploy}  [MS_BIND|MS_SILENT]\n    bind the deployment onto itself", text.Stdout);

        var json = ChrootRun.Start(s, BootBinary.Path, s.CommandLines[0], "", "--dry-run", "--json", "/sysroot");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal(deploy, doc.RootElement.GetProperty("deployment").GetString());
        Assert.Equal(OstreeMadeSysroot.Stateroot, doc.RootElement.GetProperty("stateroot").GetString());
        var steps = doc.RootElement.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal("make-private", steps[0].GetProperty("operation").GetString());
        Assert.Equal("move", steps[^4].GetProperty("operation").GetString());
        Assert.All(steps, st => Assert.False(string.IsNullOrEmpty(st.GetProperty("reason").GetString())));
        Assert.Equal(text.Before.Select(m => m.ToString()), json.After.Select(m => m.ToString()));
    }

    [Fact]
    public void RefusedTargetChangesNoMount()
    {
        using var s = new OstreeMadeSysroot(deployments: 1);
        var ostree = KernelCommandLine.Find(s.CommandLines[0], "ostree")!;
        var link = s.Host("sysroot" + ostree.Replace("/boot.1/", "/boot.1.1/"));
        File.Delete(link);
        File.CreateSymbolicLink(link, "/usr");
        var run = ChrootRun.Start(s, BootBinary.Path, s.CommandLines[0]);
        Assert.Equal(1, run.ExitCode);
        var path = "/sysroot" + ostree.Replace("/boot.1/", "/boot.1.1/");
        Assert.Equal($"arbor-prepare-root: Refusing symbolic link {path} -> /usr: an absolute target leaves the sysroot /sysroot\n", run.Stderr);
        Assert.Equal(run.Before.Select(m => m.ToString()), run.After.Select(m => m.ToString()));
        Assert.Empty(run.RunFiles);
    }

    [Fact]
    public void MissingOstreeArgumentIsOneLine()
    {
        using var s = new OstreeMadeSysroot(deployments: 1);
        var run = ChrootRun.Start(s, BootBinary.Path, "root=/dev/vda rw xostree=/ostree/boot.1/x");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("arbor-prepare-root: No OSTree target; expected ostree=/ostree/boot.N/...\n", run.Stderr);
        Assert.Equal(run.Before.Select(m => m.ToString()), run.After.Select(m => m.ToString()));
    }

    [Fact]
    public void FailingStepNamesItsPath()
    {
        using var s = new OstreeMadeSysroot(deployments: 1);
        // no /run in this initramfs: the plan fails at the ostree-booted stamp, after the binds
        var run = ChrootRun.Start(s, BootBinary.Path, s.CommandLines[0], "rmdir \"$R/run\"");
        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^arbor-prepare-root: step \d+ \(write-file /run/ostree-booted\): .*/run/ostree-booted.*\n$", run.Stderr);
        Assert.DoesNotContain('\n', run.Stderr.TrimEnd('\n'));
    }

    [Fact]
    public void NeedsNoEntropy()
    {
        // Early in boot the kernel's crng may not be ready: getrandom(GRND_NONBLOCK) then fails and a read of
        // /dev/urandom waits for entropy (seconds in a VM). The runtime falls back to that read whenever
        // something seeds a random generator (string hashing, object hash codes via ArrayPool): the mount
        // path must not. strace makes every getrandom fail as it would then, and watches for the fallback.
        const string Strace = "/usr/bin/strace";
        if (!File.Exists(Strace)) throw new Xunit.Sdk.XunitException("strace is missing: apt-get install strace (scripts/setup.sh)");
        using var s = new OstreeMadeSysroot(deployments: 1);
        s.Ns.OstreeOk("config", "--repo=" + s.Sysroot + "/ostree/repo", "set", "sysroot.readonly", "true");
        var run = ChrootRun.Wrapped(s, $"{Strace} -f -qq -e trace=openat,open,getrandom -e inject=getrandom:error=EAGAIN -o /result/strace.log", BootBinary.Path, s.CommandLines[0]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal($"/sysroot/ostree/deploy/{OstreeMadeSysroot.Stateroot}/deploy/{s.Deployments[0]}", run.At("/sysroot").Root);
        var trace = File.ReadAllText(s.Host($"result-{run.Name}/strace.log"));
        Assert.Contains("(INJECTED)", trace);     // getrandom did fail, as before the crng is ready
        Assert.Contains("ostree-booted", trace);  // and the trace saw the whole run
        Assert.DoesNotContain("/dev/urandom", trace);
    }
}
