using Arbor.Deploy.Operations;
using Arbor.TestKit;

namespace Arbor.Deploy.Tests.Operations;

/// <summary>
/// Kills at every named step (sysroot.md §7): whatever the point, the boot configuration that
/// both arbor and the real ostree read is the old one or the new one, never a mix, and the next
/// <c>admin cleanup</c> leaves exactly what that configuration uses.
/// </summary>
public sealed class CrashSafetyTests
{
    private static readonly string[] WritePoints =
    [
        CrashPoint.Names.EntriesWritten, CrashPoint.Names.BootLinksCreated, CrashPoint.Names.BootLinksSwapped,
        CrashPoint.Names.LoaderLinkPrepared, CrashPoint.Names.BeforeLoaderSwap, CrashPoint.Names.LoaderSwapped,
        CrashPoint.Names.DeploymentsWritten, CrashPoint.Names.CleanupBootVersions, CrashPoint.Names.CleanupDeployment,
        CrashPoint.Names.CleanupBootDir, CrashPoint.Names.CleanupRefs,
    ];

    public static TheoryData<string, string> KillPoints()
    {
        var data = new TheoryData<string, string>();
        // undeploy changes the count: a new boot version (loader swap path); the removed deployment has its own kernel dir
        foreach (var p in WritePoints) data.Add("undeploy 2", p);
        // two deployments of one commit swapped: same boot configuration, only the symlink farm flips
        foreach (var p in new[] { CrashPoint.Names.BootLinksCreated, CrashPoint.Names.BootLinksSwapped, CrashPoint.Names.DeploymentsWritten, CrashPoint.Names.CleanupBootVersions })
            data.Add("set-default 1", p);
        foreach (var p in new[] { CrashPoint.Names.CleanupBootVersions, CrashPoint.Names.CleanupDeployment, CrashPoint.Names.CleanupRefs })
            data.Add("cleanup", p);
        return data;
    }

    /// <summary>v1 (own kernel), then the same v2 commit twice: three deployments, two sharing a boot configuration.</summary>
    private static ArborSysroot ThreeDeployments()
    {
        var f = new ArborSysroot();
        f.Commit(f.VectorTree("v1tree").File("usr/lib/modules/6.1.0-vec/vmlinuz", "old kernel\n"), "1", 1, "vectoros/v1");
        var v2 = f.Commit(f.VectorTree(), "2", 2);
        f.Deploy(new DeployRequest { Refspec = "vectoros/v1", Stateroot = "vectoros", Kargs = ["quiet"] });
        f.Deploy(new DeployRequest { Refspec = v2, Stateroot = "vectoros", Retain = true });
        f.Deploy(new DeployRequest { Refspec = v2, Stateroot = "vectoros", Retain = true });
        return f;
    }

    private static List<string> Names(Sysroot s) => s.Load().Deployments.Select(d => d.Name).ToList();

    [Theory]
    [MemberData(nameof(KillPoints))]
    public void KilledCommandLeavesOldOrNewConfiguration(string command, string point)
    {
        Privileged.RequireRoot();
        OstreeOracle.Require();
        using var f = ThreeDeployments();
        if (command == "cleanup")
        {
            // something for cleanup to do: an unreferenced copy of a deployment and a stale boot version
            ProcessRunner.RunOk("cp", "-a", f.Full(f.Load()[2].RelativePath), f.Full($"ostree/deploy/vectoros/deploy/{new string('c', 64)}.0"));
            Directory.CreateDirectory(f.Full("boot/loader.0/entries"));
        }
        var before = Names(f.Sysroot);
        var expectedAfter = command switch
        {
            "undeploy 2" => [before[0], before[1]],
            "set-default 1" => [before[1], before[0], before[2]],
            _ => before,
        };

        var r = ArborProcess.Run(["admin", .. command.Split(' '), "--sysroot=" + f.Path], new Dictionary<string, string> { [CrashPoint.EnvironmentVariable] = point });
        Assert.True(r.ExitCode == 137, $"arbor was not killed at {point}: {r}");

        var now = Names(f.Sysroot);
        Assert.True(now.SequenceEqual(before) || now.SequenceEqual(expectedAfter), $"after a kill at {point}: [{string.Join(", ", now)}]");
        Assert.Equal(OstreeOracle.RunOk("admin", "status", "--sysroot=" + f.Path), CliRunner.RunOk("admin", "status", "--sysroot=" + f.Path));

        CliRunner.RunOk("admin", "cleanup", "--sysroot=" + f.Path);
        AssertOnlyWhatTheConfigurationUses(f);
        Assert.Equal(now, Names(f.Sysroot));
        Assert.Equal(OstreeOracle.RunOk("admin", "status", "--sysroot=" + f.Path), CliRunner.RunOk("admin", "status", "--sysroot=" + f.Path));

        // and the interrupted command can simply be run again
        if (command != "cleanup" && !now.SequenceEqual(expectedAfter))
        {
            CliRunner.RunOk(["admin", .. command.Split(' '), "--sysroot=" + f.Path]);
            Assert.Equal(expectedAfter, Names(f.Sysroot));
        }
    }

    /// <summary>Every point, with BLS entries only and with a syslinux configuration to keep in step (the only way to reach the boot loader's point).</summary>
    public static TheoryData<string, bool> DeployPoints()
    {
        var data = new TheoryData<string, bool>();
        foreach (var p in CrashPoint.All)
        {
            if (p != CrashPoint.Names.BootLoaderConfigWritten) data.Add(p, false);
            data.Add(p, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DeployPoints))]
    public void DeployInterruptedAnywhereLeavesOldOrNewConfiguration(string point, bool syslinux)
    {
        Privileged.RequireRoot();
        OstreeOracle.Require();
        using var f = new ArborSysroot();
        if (syslinux)
        {
            // ostree's libtest setup_os_boot_syslinux
            Directory.CreateDirectory(f.Full("boot/loader.0"));
            File.CreateSymbolicLink(f.Full("boot/loader"), "loader.0");
            File.WriteAllText(f.Full("boot/loader.0/syslinux.cfg"), "");
            Directory.CreateDirectory(f.Full("boot/syslinux"));
            File.CreateSymbolicLink(f.Full("boot/syslinux/syslinux.cfg"), "../loader/syslinux.cfg");
        }
        var tree = f.VectorTree();
        f.Commit(tree, "1", 1);
        f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros" });
        f.Commit(tree.File("usr/lib/modules/6.1.0-vec/vmlinuz", "kernel 2\n"), "2", 2);
        f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros" });
        // the third deployment drops the first (not booted, not the merge deployment) and its kernel
        f.Commit(tree.File("usr/lib/modules/6.1.0-vec/vmlinuz", "kernel 3\n"), "3", 3);
        var before = Names(f.Sysroot);

        bool hit = false;
        CrashPoint.TestHook = name =>
        {
            if (name != point) return;
            hit = true;
            throw new OperationCanceledException($"killed at {name}");
        };
        try { f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros" }); }
        catch (OperationCanceledException) { }
        finally { CrashPoint.TestHook = null; }
        Assert.True(hit, $"deploy never reached {point}");

        var now = Names(f.Sysroot);
        Assert.True(now.SequenceEqual(before) || (now.Count == 2 && now[1] == before[0]), $"after a kill at {point}: [{string.Join(", ", now)}]");
        Assert.Equal(OstreeOracle.RunOk("admin", "status", "--sysroot=" + f.Path), CliRunner.RunOk("admin", "status", "--sysroot=" + f.Path));
        if (syslinux) AssertSyslinuxMatchesTheEntries(f);
        Cleanup.Run(f.Sysroot, f.Load());
        AssertOnlyWhatTheConfigurationUses(f);

        f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros" });
        AssertOnlyWhatTheConfigurationUses(f);
        if (syslinux) AssertSyslinuxMatchesTheEntries(f);
    }

    /// <summary>The live syslinux.cfg (through boot/loader) is the one made from the live entries.</summary>
    private static void AssertSyslinuxMatchesTheEntries(ArborSysroot f)
    {
        var entries = SysrootLoader.ReadEntries(f.Path, f.Load().BootVersion.Version);
        Assert.Equal(Arbor.Deploy.BootLoader.SyslinuxConfig.Generate("", entries), File.ReadAllText(f.Full("boot/syslinux/syslinux.cfg")));
    }

    [Fact]
    public void DeployKilledMidCheckoutLeavesWhatBothCleanupsRemove()
    {
        Privileged.RequireRoot();
        OstreeOracle.Require();
        using var f = new ArborSysroot();
        var tree = f.VectorTree();
        for (int i = 0; i < 200; i++) tree.File($"usr/share/many/f{i}", $"{i}\n");
        f.Commit(tree, "1", 1);
        f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros" });
        var v2 = f.Commit(tree.File("usr/lib/modules/6.1.0-vec/vmlinuz", "kernel 2\n"), "2", 2);
        var before = Names(f.Sysroot);

        var r = ArborProcess.Run(["admin", "deploy", "--os=vectoros", "vectoros/stable", "--sysroot=" + f.Path],
            new Dictionary<string, string> { [CrashPoint.EnvironmentVariable] = CrashPoint.Names.CheckingOut });
        Assert.True(r.ExitCode == 137, $"arbor was not killed mid-checkout: {r}");

        // the unfinished tree has the name ostree gives it, nothing else was made
        var deployDir = f.Full("ostree/deploy/vectoros/deploy");
        Assert.Contains($"{v2}.0", Directory.GetDirectories(deployDir).Select(Path.GetFileName));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(deployDir), p => Path.GetFileName(p).StartsWith('.'));
        Assert.Equal(before, Names(f.Sysroot));

        // ostree's cleanup takes it away, and then arbor's deploy simply works
        OstreeOracle.RunOk("admin", "cleanup", "--sysroot=" + f.Path);
        AssertOnlyWhatTheConfigurationUses(f);
        CliRunner.RunOk("admin", "deploy", "--os=vectoros", "vectoros/stable", "--sysroot=" + f.Path);
        Assert.Equal(2, Names(f.Sysroot).Count);
        AssertOnlyWhatTheConfigurationUses(f);
    }

    [Fact]
    public void CleanupRemovesTheTemporaryCheckoutOfOlderBuilds()
    {
        Privileged.RequireRoot();
        OstreeOracle.Require();
        using var f = new ArborSysroot();
        f.Commit(f.VectorTree(), "1", 1);
        f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros" });
        // what a kill mid-checkout left before deployments were checked out under their final name
        var stray = f.Full("ostree/deploy/vectoros/deploy/.arbor-checkout-pEOcy5");
        Directory.CreateDirectory(Path.Join(stray, "usr/lib"));
        File.WriteAllText(Path.Join(stray, "usr/lib/f"), "x");
        File.SetUnixFileMode(stray, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        CliRunner.RunOk("admin", "cleanup", "--sysroot=" + f.Path);
        Assert.False(Directory.Exists(stray));
        AssertOnlyWhatTheConfigurationUses(f);
        OstreeOracle.RunOk("admin", "cleanup", "--sysroot=" + f.Path);
    }

    /// <summary>After cleanup: one loader directory, one farm, the listed deployments and their kernels, nothing else.</summary>
    private static void AssertOnlyWhatTheConfigurationUses(ArborSysroot f)
    {
        var set = f.Load();
        var bv = set.BootVersion;
        IEnumerable<string> Names(string dir, string prefix) =>
            Directory.GetFileSystemEntries(f.Full(dir)).Select(p => Path.GetFileName(p)!).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order();
        Assert.Equal([$"loader.{bv.Version}"], Names("boot", "loader."));
        Assert.Equal(new[] { $"boot.{bv.Version}", $"boot.{bv.Version}.{bv.SubVersion}" }.Order(), Names("ostree", "boot."));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(f.Full("boot")).Concat(Directory.GetFileSystemEntries(f.Full("ostree"))), p => p.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.Equal(set.Deployments.Select(d => d.Name).Order(),
            Directory.GetDirectories(f.Full("ostree/deploy/vectoros/deploy")).Select(Path.GetFileName).Order());
        Assert.Equal(set.Deployments.Select(d => d.Name + ".origin").Order(),
            Directory.GetFiles(f.Full("ostree/deploy/vectoros/deploy")).Select(Path.GetFileName).Order());
        Assert.Equal(set.Deployments.Select(d => "vectoros-" + d.BootChecksum).Distinct().Order(),
            Directory.GetDirectories(f.Full("boot/ostree")).Select(Path.GetFileName).Order());
        Assert.Equal(set.Count, f.Sysroot.Repo.Refs.ListHeads("ostree").Count);
    }
}
