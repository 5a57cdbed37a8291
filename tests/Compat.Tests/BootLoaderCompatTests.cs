using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// The boot loader backends against the real ostree 2022.7: both tools deploy on twin sysroots
/// set up for syslinux, U-Boot or GRUB (as ostree's own tests set them up), and the configuration
/// files they write are compared byte for byte; <c>admin instutil grub2-generate</c> is compared
/// on one sysroot; GRUB's mkconfig is a fake script (through ostree's <c>OSTREE_GRUB2_EXEC</c>)
/// that records how it was run and calls the tool's own grub2-generate, as 15_ostree does.
/// </summary>
public sealed class BootLoaderCompatTests
{
    private static readonly string[] Sides = ["ostree", "arbor"];

    /// <summary>ostree or arbor (as a process, inside the namespace) runs <c>admin ARGS --sysroot=SYSROOT</c>.</summary>
    private static CliResult Admin(TwinSysroots t, string tool, string sysroot, string[] args, IDictionary<string, string>? env = null) =>
        t.Ns.Run(tool == "ostree" ? "/usr/bin/ostree" : ArborProcess.Executable, ["admin", .. args, "--sysroot=" + t.Ns.InnerPath(sysroot)], env);

    /// <returns>The deploy's stdout.</returns>
    private static string Deploy(TwinSysroots t, string tool, string sysroot, string refspec, IDictionary<string, string>? env = null, params string[] kargs)
    {
        var r = Admin(t, tool, sysroot, ["deploy", "--os=" + TwinSysroots.Os, .. kargs.Select(k => "--karg=" + k), refspec], env);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"{tool} admin deploy on {sysroot} failed:\n{r}");
        return r.Stdout;
    }

    /// <summary>v1 and v2 (another kernel, with a device tree and a system uEnv.txt).</summary>
    private static void CommitTwoVersions(TwinSysroots t)
    {
        var tree = t.VectorTree().File("usr/lib/modules/6.1.0-vec/devicetree", "dtb\n");
        t.Commit(tree, "1", 1);
        tree.File("usr/lib/modules/6.1.0-vec/vmlinuz", "kernel 2\n").File("usr/lib/ostree-boot/uEnv.txt", "fdt_high=0xffffffff\nbootcmd=run x\n");
        t.Commit(tree, "2", 2, "vectoros/v2");
    }

    /// <summary>ostree's libtest setup_os_boot_syslinux, with a non-ostree entry and a DEFAULT of its own.</summary>
    private static void SetUpSyslinux(TwinSysroots t, string side, string config)
    {
        Directory.CreateDirectory(t.Host(side, "boot/loader.0"));
        File.CreateSymbolicLink(t.Host(side, "boot/loader"), "loader.0");
        File.WriteAllText(t.Host(side, "boot/loader.0/syslinux.cfg"), config);
        Directory.CreateDirectory(t.Host(side, "boot/syslinux"));
        File.CreateSymbolicLink(t.Host(side, "boot/syslinux/syslinux.cfg"), "../loader/syslinux.cfg");
    }

    /// <summary>ostree's libtest setup_os_boot_uboot.</summary>
    private static void SetUpUboot(TwinSysroots t, string side)
    {
        Directory.CreateDirectory(t.Host(side, "boot/loader.0"));
        File.CreateSymbolicLink(t.Host(side, "boot/loader"), "loader.0");
        File.WriteAllText(t.Host(side, "boot/loader.0/uEnv.txt"), "");
        File.CreateSymbolicLink(t.Host(side, "boot/uEnv.txt"), "loader/uEnv.txt");
    }

    private const string ForeignSyslinux =
        "PROMPT 1\nTIMEOUT 50\nDEFAULT other\n\nLABEL other\n\tKERNEL /vmlinuz-other\n\tAPPEND root=/dev/sda2\n\n\nLABEL memtest\n\tKERNEL /memtest86+\n";

    private string Read(TwinSysroots t, string side, string rel) => File.ReadAllText(t.Host(side, rel));

    [Theory]
    [InlineData("")]
    [InlineData(ForeignSyslinux)]
    public void SyslinuxConfigMatchesOstree(string initial)
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        CommitTwoVersions(t);
        foreach (var side in Sides) SetUpSyslinux(t, side, initial);
        foreach (var side in Sides) Deploy(t, side, side, "vectoros/stable", null, "root=LABEL=root", "quiet");
        var first = Read(t, "ostree", "boot/syslinux/syslinux.cfg");
        Assert.Contains("\tKERNEL /boot/ostree/vectoros-", first);
        Assert.Equal(first, Read(t, "arbor", "boot/syslinux/syslinux.cfg"));
        Assert.Equal(t.BootState("ostree"), t.BootState("arbor"));

        // a second deployment: two ostree entries, the non-ostree ones kept once; syslinux is atomic ("Transaction complete")
        var outputs = Sides.Select(side => Deploy(t, side, side, "vectoros/v2")).ToArray();
        Assert.Contains("Transaction complete; bootconfig swap: yes; bootversion: boot.0.1, deployment count change: 1\n", outputs[0]);
        Assert.Equal(outputs[0], outputs[1]);
        var second = Read(t, "ostree", "boot/syslinux/syslinux.cfg");
        Assert.Contains("(ostree:1)", second);
        if (initial.Length > 0) Assert.Contains("LABEL memtest\n\tKERNEL /memtest86+\n", second);
        Assert.Equal(second, Read(t, "arbor", "boot/syslinux/syslinux.cfg"));
        Assert.Equal(t.BootState("ostree"), t.BootState("arbor"));
        Assert.Equal(t.OstreeAdminOk("ostree", "status"), t.ArborAdminOk("arbor", "status"));
    }

    [Fact]
    public void EachToolDeploysWithSyslinuxOnTheOthersSysroot()
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        CommitTwoVersions(t);
        foreach (var side in Sides) SetUpSyslinux(t, side, ForeignSyslinux);
        // ostree side: v1 by ostree, v2 by arbor; arbor side: v1 by arbor, v2 by ostree
        Deploy(t, "ostree", "ostree", "vectoros/stable");
        Deploy(t, "arbor", "arbor", "vectoros/stable");
        Deploy(t, "arbor", "ostree", "vectoros/v2");
        Deploy(t, "ostree", "arbor", "vectoros/v2");
        Assert.Equal(Read(t, "ostree", "boot/syslinux/syslinux.cfg"), Read(t, "arbor", "boot/syslinux/syslinux.cfg"));
        Assert.Equal(t.BootState("ostree"), t.BootState("arbor"));
        // and an undeploy (a new boot version) by the other tool again
        Assert.Equal(0, Admin(t, "ostree", "ostree", ["undeploy", "1"]).ExitCode);
        Assert.Equal(0, Admin(t, "arbor", "arbor", ["undeploy", "1"]).ExitCode);
        Assert.Equal(Read(t, "ostree", "boot/syslinux/syslinux.cfg"), Read(t, "arbor", "boot/syslinux/syslinux.cfg"));
    }

    [Fact]
    public void UbootEnvMatchesOstree()
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        CommitTwoVersions(t);
        foreach (var side in Sides) SetUpUboot(t, side);
        foreach (var side in Sides) Deploy(t, side, side, "vectoros/stable", null, "root=LABEL=root");
        var first = Read(t, "ostree", "boot/uEnv.txt");
        Assert.Contains("fdt_file=/boot/ostree/vectoros-", first);
        Assert.Equal(first, Read(t, "arbor", "boot/uEnv.txt"));
        // v2 first (with its own uEnv.txt appended), v1 second; then the other tool on top
        foreach (var side in Sides) Deploy(t, side, side, "vectoros/v2");
        var second = Read(t, "ostree", "boot/uEnv.txt");
        Assert.Contains("bootargs2=", second);
        Assert.Contains("fdt_high=0xffffffff\nbootcmd=run x\n", second);
        Assert.Equal(second, Read(t, "arbor", "boot/uEnv.txt"));
        Assert.Equal(t.BootState("ostree"), t.BootState("arbor"));
        Deploy(t, "arbor", "ostree", "vectoros/stable", null, "console=ttyS0");
        Deploy(t, "ostree", "arbor", "vectoros/stable", null, "console=ttyS0");
        Assert.Equal(Read(t, "ostree", "boot/uEnv.txt"), Read(t, "arbor", "boot/uEnv.txt"));
    }

    [Theory]
    [InlineData("syslinux")]
    [InlineData("uboot")]
    [InlineData("grub2")]
    [InlineData("aboot")]
    public void ConfiguredBootloaderWithoutItsFilesFailsAsOstree(string bootloader)
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        CommitTwoVersions(t);
        foreach (var side in Sides)
        {
            Deploy(t, side, side, "vectoros/stable");
            t.Ns.OstreeOk("config", "--repo=" + t.Ns.InnerPath(side + "/ostree/repo"), "set", "sysroot.bootloader", bootloader);
        }
        var o = Admin(t, "ostree", "ostree", ["deploy", "--os=" + TwinSysroots.Os, "vectoros/v2"]);
        var a = Admin(t, "arbor", "arbor", ["deploy", "--os=" + TwinSysroots.Os, "vectoros/v2"]);
        Assert.NotEqual(0, a.ExitCode);
        Assert.NotEqual(0, o.ExitCode);
        Assert.Equal(o.Stderr, a.Stderr);
        Assert.Equal(t.BootState("ostree"), t.BootState("arbor"));
    }

    /// <summary>The fake grub-mkconfig: logs its arguments (relative to the sysroot) and _OSTREE_* variables, then runs the tool's grub2-generate as 15_ostree does.</summary>
    private const string FakeMkconfig = """
        #!/bin/sh
        set -e
        { echo "$# $1 ${2#$FAKE_SYSROOT/}"; env | grep '^_OSTREE' | sort; } >> "$FAKE_LOG"
        GRUB2_BOOT_DEVICE_ID=uuid-1 GRUB2_PREPARE_ROOT_CACHE="search --fs-uuid --set=root uuid-1" "$FAKE_TOOL" admin instutil grub2-generate --sysroot="$FAKE_SYSROOT" > "$2"
        """;

    private static Dictionary<string, string> GrubEnv(TwinSysroots t, string tool, string side) => new()
    {
        ["OSTREE_GRUB2_EXEC"] = t.Ns.InnerPath("fake-mkconfig"),
        ["FAKE_LOG"] = t.Ns.InnerPath($"mkconfig-{side}.log"),
        ["FAKE_SYSROOT"] = t.Ns.InnerPath(side),
        ["FAKE_TOOL"] = tool == "ostree" ? "/usr/bin/ostree" : ArborProcess.Executable,
    };

    private static void WriteFakeMkconfig(TwinSysroots t)
    {
        File.WriteAllText(t.Ns.HostPath("fake-mkconfig"), FakeMkconfig + "\n");
        File.SetUnixFileMode(t.Ns.HostPath("fake-mkconfig"), (UnixFileMode)0x1ED);
    }

    [Theory]
    [InlineData("bios")]
    [InlineData("efi")]
    public void Grub2DeployRunsMkconfigAsOstree(string layout)
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        CommitTwoVersions(t);
        WriteFakeMkconfig(t);
        foreach (var side in Sides)
        {
            if (layout == "bios")
            {
                Directory.CreateDirectory(t.Host(side, "boot/grub2"));
                File.CreateSymbolicLink(t.Host(side, "boot/grub2/grub.cfg"), "../loader/grub.cfg");
            }
            else
            {
                Directory.CreateDirectory(t.Host(side, "boot/efi/EFI/BOOT"));
                Directory.CreateDirectory(t.Host(side, "boot/efi/EFI/debian"));
                File.WriteAllText(t.Host(side, "boot/efi/EFI/debian/grub.cfg"), "# installer's\n");
            }
        }
        var outputs = new Dictionary<(string, string), string>();
        foreach (var (tool, side) in new[] { ("ostree", "ostree"), ("arbor", "arbor"), ("arbor", "ostree"), ("ostree", "arbor") })
            outputs[(tool, side)] = Deploy(t, tool, side, side == tool ? "vectoros/stable" : "vectoros/v2", GrubEnv(t, tool, side), "root=UUID=x");
        // GRUB on EFI replaces a live file: "Bootloader updated"
        Assert.Contains(layout == "bios" ? "Transaction complete; " : "Bootloader updated; ", outputs[("ostree", "ostree")]);
        Assert.Equal(outputs[("ostree", "ostree")], outputs[("arbor", "arbor")]);
        Assert.Equal(outputs[("ostree", "arbor")], outputs[("arbor", "ostree")]);

        var log = File.ReadAllText(t.Ns.HostPath("mkconfig-ostree.log"));
        Assert.Contains(layout == "bios" ? "2 -o boot/loader.1/grub.cfg\n_OSTREE_GRUB2_BOOTVERSION=1\n" : "_OSTREE_GRUB2_IS_EFI=1\n", log);
        Assert.Equal(log, File.ReadAllText(t.Ns.HostPath("mkconfig-arbor.log")));
        var cfg = layout == "bios" ? "boot/grub2/grub.cfg" : "boot/efi/EFI/debian/grub.cfg";
        var grub = Read(t, "ostree", cfg);
        Assert.Contains("menuentry 'Vector OS 2 (ostree:0)' --class gnu-linux --class gnu --class os --unrestricted 'ostree-0-uuid-1' {\n", grub);
        Assert.Equal(grub, Read(t, "arbor", cfg));
        Assert.Equal(t.BootState("ostree"), t.BootState("arbor"));
        if (layout == "efi")
        {
            Assert.Equal(Read(t, "ostree", "boot/efi/EFI/debian/grub.cfg.old"), Read(t, "arbor", "boot/efi/EFI/debian/grub.cfg.old"));
            Assert.False(File.Exists(t.Host("arbor", "boot/efi/EFI/debian/grub.cfg.new")));
        }
    }

    [Theory]
    [InlineData("/bin/false")]
    [InlineData("false")]
    [InlineData("/bin/true")]
    [InlineData("/nonexistent/usr/sbin/grub-mkconfig")]
    [InlineData("")]
    public void Grub2MkconfigFailuresReadAsOstree(string exec)
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        CommitTwoVersions(t);
        foreach (var side in Sides)
        {
            Deploy(t, side, side, "vectoros/stable");
            t.Ns.OstreeOk("config", "--repo=" + t.Ns.InnerPath(side + "/ostree/repo"), "set", "sysroot.bootloader", "grub2");
        }
        // "": the default /usr/sbin/grub-mkconfig, run chrooted into the new deployment, where it is missing
        var env = exec.Length > 0 ? new Dictionary<string, string> { ["OSTREE_GRUB2_EXEC"] = exec } : null;
        var o = Admin(t, "ostree", "ostree", ["deploy", "--os=" + TwinSysroots.Os, "vectoros/v2"], env);
        var a = Admin(t, "arbor", "arbor", ["deploy", "--os=" + TwinSysroots.Os, "vectoros/v2"], env);
        Assert.StartsWith("error: Bootloader write config: ", o.Stderr);
        // /bin/true writes nothing: the missing file is named with its sysroot's path
        Assert.Equal((o.ExitCode, o.Stderr.Replace(t.Ns.InnerPath("ostree"), "SYSROOT", StringComparison.Ordinal)),
                     (a.ExitCode, a.Stderr.Replace(t.Ns.InnerPath("arbor"), "SYSROOT", StringComparison.Ordinal)));
        Assert.Equal(t.OstreeAdminOk("ostree", "status"), t.ArborAdminOk("arbor", "status"));
    }

    /// <summary>grub-mkconfig inside the deployment (a static busybox runs it): what it sees of its chroot.</summary>
    private const string ChrootedMkconfig = """
        #!/usr/bin/busybox sh
        B=/usr/bin/busybox
        { echo "argc=$# $1"; $B env | $B grep '^_OSTREE' | $B sort; echo "cwd=$($B pwd)"; $B ls /; } > /etc/mkconfig.log
        """;

    [Fact]
    public void Grub2MkconfigRunsChrootedIntoTheNewDeploymentAsOstree()
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        var tree = t.VectorTree().File("usr/sbin/grub-mkconfig", ChrootedMkconfig + "\n", "755");
        Directory.CreateDirectory(Path.Join(tree.Path, "usr/bin"));
        File.Copy("/bin/busybox", Path.Join(tree.Path, "usr/bin/busybox"));
        File.SetUnixFileMode(Path.Join(tree.Path, "usr/bin/busybox"), (UnixFileMode)0x1ED);
        t.Commit(tree, "1", 1);
        foreach (var side in Sides)
        {
            Directory.CreateDirectory(t.Host(side, "boot/grub"));
            File.CreateSymbolicLink(t.Host(side, "boot/grub/grub.cfg"), "../loader/grub.cfg");
        }
        var results = Sides.Select(side => Admin(t, side, side, ["deploy", "--os=" + TwinSysroots.Os, "vectoros/stable"])).ToArray();
        // the program got the host path of boot/loader.1/grub.cfg, which does not exist in the chroot: nothing was written
        Assert.Contains("error: Bootloader write config: openat(", results[0].Stderr);
        Assert.Equal(results[0].Stderr.Replace(t.Ns.InnerPath("ostree"), "SYSROOT", StringComparison.Ordinal),
                     results[1].Stderr.Replace(t.Ns.InnerPath("arbor"), "SYSROOT", StringComparison.Ordinal));
        var logs = Sides.Select(side => File.ReadAllText(Path.Join(Directory.GetDirectories(t.Host(side, "ostree/deploy/vectoros/deploy")).Single(), "etc/mkconfig.log"))).ToArray();
        Assert.StartsWith("argc=2 -o\n_OSTREE_GRUB2_BOOTVERSION=1\ncwd=/\n", logs[0]);
        Assert.Equal(logs[0], logs[1]);
    }

    [Fact]
    public void Grub2GenerateMatchesOstree()
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        CommitTwoVersions(t);
        Deploy(t, "ostree", "ostree", "vectoros/stable", null, "root=LABEL=root");
        Deploy(t, "ostree", "ostree", "vectoros/v2");
        // a title that needs quoting
        var entry = Directory.GetFiles(t.Host("ostree", "boot/loader/entries")).Order(StringComparer.Ordinal).First();
        File.WriteAllText(entry, File.ReadAllText(entry).Replace("title Vector OS 1", "title Vector OS's 1", StringComparison.Ordinal));

        var env = new Dictionary<string, string> { ["GRUB2_BOOT_DEVICE_ID"] = "dev 1", ["GRUB2_PREPARE_ROOT_CACHE"] = "insmod part_gpt\nsearch --set=root x" };
        var cases = new List<(string[] Args, Dictionary<string, string> Env)>();
        foreach (var args in new[] { Array.Empty<string>(), ["0"], ["1"], ["2"], ["abc"], ["1x"], [" 1"], ["+1"], ["4294967297"], ["99999999999999999999"], ["1", "7"] })
            cases.Add((args, env));
        foreach (var version in new[] { "0", "1" })
            cases.Add(([], new Dictionary<string, string>(env) { ["_OSTREE_GRUB2_BOOTVERSION"] = version }));
        cases.Add((["2"], new Dictionary<string, string>()));
        foreach (var (args, e) in cases)
        {
            var o = Admin(t, "ostree", "ostree", ["instutil", "grub2-generate", .. args], e);
            var a = Admin(t, "arbor", "ostree", ["instutil", "grub2-generate", .. args], e);
            Assert.True((o.ExitCode, o.Stdout, o.Stderr) == (a.ExitCode, a.Stdout, a.Stderr), $"grub2-generate [{string.Join(' ', args)}]:\nostree {o}\narbor {a}");
        }
        Assert.Contains("'Vector OS'\\''s 1 (ostree:1)'", Admin(t, "arbor", "ostree", ["instutil", "grub2-generate"], env).Stdout);
        // without grub-mkconfig's variables ostree aborts on an assertion; arbor says what is missing
        var missing = Admin(t, "arbor", "ostree", ["instutil", "grub2-generate"]);
        Assert.Equal((1, "error: GRUB2_BOOT_DEVICE_ID is not set (grub2-generate is run by grub-mkconfig through /etc/grub.d/15_ostree)\n"), (missing.ExitCode, missing.Stderr));
    }
}
