using System.Text.RegularExpressions;
using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// The zipl backend (<c>sysroot.bootloader=zipl</c>) against the real ostree 2022.7. Fake
/// <c>zipl</c> and <c>genprotimg</c> programs first in <c>$PATH</c> log how they were run (paths
/// under the booted root written from "/" for arbor, which is not chrooted), whether the stamp
/// existed and what the new <c>boot/loader</c> held at that moment. On booted twins each tool deploys
/// on its own system; Secure Execution is faked with a <c>prot_virt_guest</c> file, host keys and
/// LUKS keys in the booted root's <c>/etc</c>, and a <c>/dev</c> tmpfs whose
/// <c>disk/by-label/se</c> names a loop device holding an ext4 file system.
/// </summary>
public sealed partial class ZiplCompatTests
{
    private static readonly string[] Sides = BootedTwins.Sides;

    private const string FakeZipl = """
        #!/bin/sh
        { echo "zipl $*"; test -e "$FAKE_ROOT/boot/ostree-bootloader-update.stamp" && echo stamp
          ls "$FAKE_ROOT/boot/loader/entries"; test -f "$FAKE_ROOT/sysroot/se/sdboot" && cat "$FAKE_ROOT/sysroot/se/sdboot"; } >> "$FAKE_ROOT/run/zipl.log"
        exit "${FAKE_EXIT:-0}"
        """;

    private const string FakeGenprotimg = """
        #!/bin/sh
        { echo "genprotimg $*"; test -d "$FAKE_ROOT/sysroot/se/lost+found" && echo se-mounted; } >> "$FAKE_ROOT/run/zipl.log"
        while [ $# -gt 0 ]; do
          case "$1" in
            -r) cat "$2" > "$FAKE_ROOT/run/ramdisk" ;;
            -p) cat "$2" > "$FAKE_ROOT/run/cmdline" ;;
            -o) echo "sealed image" > "$2" ;;
          esac
          shift
        done
        """;

    /// <summary>Booted twins whose repos say <c>sysroot.bootloader=zipl</c>, with the fake programs in <c>/run/fakebin</c> of each booted root.</summary>
    private static BootedTwins ZiplTwins()
    {
        var b = new BootedTwins();
        foreach (var side in Sides)
        {
            b.Twin.Ns.OstreeOk("config", "--repo=" + b.Twin.Ns.InnerPath(side + "/ostree/repo"), "set", "sysroot.bootloader", "zipl");
            // the deployment's top directory is immutable: /sys (where the SE flag goes) is made with the flag off
            var inner = b.Inner(side);
            var r = b.Twin.Ns.Run("sh", ["-c", $"set -e; chattr -i {inner}; mkdir -p {inner}/sys/firmware/uv; chattr +i {inner}"]);
            Assert.True(r.ExitCode == 0, r.ToString());
            var bin = Path.Join(b.Root(side), "run/fakebin");
            Directory.CreateDirectory(bin);
            foreach (var (name, text) in new[] { ("zipl", FakeZipl), ("genprotimg", FakeGenprotimg) })
            {
                File.WriteAllText(Path.Join(bin, name), text + "\n");
                File.SetUnixFileMode(Path.Join(bin, name), (UnixFileMode)0x1ED);
            }
        }
        return b;
    }

    /// <summary>Runs <c>admin deploy vectoros/v3</c> with the tool owning <paramref name="side"/> on its booted system.</summary>
    private static CliResult DeployV3(BootedTwins b, string side, string? exit = null)
    {
        // ostree runs chrooted into the booted root; arbor sees the same root under its inner path
        var prefix = side == "ostree" ? "" : b.Inner(side);
        var env = new Dictionary<string, string>
        {
            ["PATH"] = prefix + "/run/fakebin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["FAKE_ROOT"] = prefix,
        };
        if (exit is not null) env["FAKE_EXIT"] = exit;
        string[] args = ["admin", "deploy", "--os=" + TwinSysroots.Os, "vectoros/v3"];
        return side == "ostree" ? b.OstreeWithEnv(side, env, args) : b.ArborWithEnv(side, env, args);
    }

    private static string? Log(BootedTwins b, string side, string name)
    {
        var path = Path.Join(b.Root(side), "run", name);
        if (!File.Exists(path)) return null;
        var text = File.ReadAllText(path);
        return ProcFd().Replace(side == "arbor" ? text.Replace(b.Inner(side), "", StringComparison.Ordinal) : text, "/proc/PID/fd/N");
    }

    [GeneratedRegex("/proc/[0-9]+/fd/[0-9]+")]
    private static partial Regex ProcFd();

    private static bool StampExists(BootedTwins b, string side) => File.Exists(b.Twin.Host(side, "boot/ostree-bootloader-update.stamp"));

    [Fact]
    public void OnABootedSystemZiplRunsAfterTheSwapAndTheStampGoes()
    {
        Privileged.RequireRoot();
        using var b = ZiplTwins();
        var results = Sides.ToDictionary(side => side, side => DeployV3(b, side));
        Assert.True(results["ostree"].ExitCode == 0, results["ostree"].ToString());
        Assert.Equal(results["ostree"].Stdout, results["arbor"].Stdout);
        Assert.Equal((0, ""), (results["arbor"].ExitCode, results["arbor"].Stderr));

        // zipl ran once, without arguments, with the stamp still there and the new entries in place
        var log = Log(b, "ostree", "zipl.log");
        Assert.StartsWith("zipl \nstamp\nostree-1-vectoros.conf\nostree-2-vectoros.conf\n", log);
        Assert.Equal(log, Log(b, "arbor", "zipl.log"));
        foreach (var side in Sides) Assert.False(StampExists(b, side), side);
        Assert.Equal(b.Twin.BootState("ostree"), b.Twin.BootState("arbor"));
    }

    [Theory]
    [InlineData("zipl-fails")]
    [InlineData("se-no-keys")]
    [InlineData("se-no-keys-dir")]
    [InlineData("se-no-partition")]
    public void FailuresAfterTheSwapReadAsOstree(string failure)
    {
        Privileged.RequireRoot();
        using var b = ZiplTwins();
        foreach (var side in Sides)
        {
            if (failure.StartsWith("se-", StringComparison.Ordinal)) WriteFile(b.Root(side), "sys/firmware/uv/prot_virt_guest", "1\n");
            if (failure == "se-no-keys") WriteFile(b.Root(side), "etc/se-hostkeys/README", "none here\n");
            if (failure == "se-no-partition") WriteFile(b.Root(side), "etc/se-hostkeys/ibm-z-hostkey-1.crt", "key\n");
        }
        var o = DeployV3(b, "ostree", failure == "zipl-fails" ? "3" : null);
        var a = DeployV3(b, "arbor", failure == "zipl-fails" ? "3" : null);
        Assert.Equal(failure switch
        {
            "zipl-fails" => "error: Final bootloader swap: Child process exited with code 3\n",
            "se-no-keys" => "error: Final bootloader swap: s390x SE: no keys\n",
            "se-no-partition" => "error: Final bootloader swap: s390x SE: resolving /dev/disk/by-label/se: No such file or directory\n",
            _ => "error: Final bootloader swap: s390x SE: looking for SE keys: opendir(/etc/se-hostkeys/): No such file or directory\n",
        }, o.Stderr);
        Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr.Replace(b.Inner("arbor"), "", StringComparison.Ordinal)));
        Assert.Equal(Log(b, "ostree", "zipl.log"), Log(b, "arbor", "zipl.log"));
        // the swap happened; the stamp stays for the next try
        foreach (var side in Sides) Assert.True(StampExists(b, side), side);
        Assert.Equal(b.Twin.BootState("ostree"), b.Twin.BootState("arbor"));
    }

    private static void WriteFile(string root, string rel, string text, DateTime? mtime = null)
    {
        var path = Path.Join(root, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        if (mtime is { } t) File.SetLastWriteTimeUtc(path, t);
    }

    [Fact]
    public void NotBootedOstreeAbortsAfterTheSwapWhileArborLeavesTheStamp()
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        t.Commit(t.VectorTree(), "1", 1);
        var bin = t.Ns.HostPath("fakebin");
        Directory.CreateDirectory(bin);
        File.WriteAllText(Path.Join(bin, "zipl"), $"#!/bin/sh\necho \"zipl $*\" >> {t.Ns.InnerPath("zipl.log")}\n");
        File.SetUnixFileMode(Path.Join(bin, "zipl"), (UnixFileMode)0x1ED);
        var env = new Dictionary<string, string> { ["PATH"] = t.Ns.InnerPath("fakebin") + ":/usr/sbin:/usr/bin:/sbin:/bin" };
        var results = new Dictionary<string, CliResult>();
        foreach (var side in Sides)
        {
            t.Ns.OstreeOk("config", "--repo=" + t.Ns.InnerPath(side + "/ostree/repo"), "set", "sysroot.bootloader", "zipl");
            var tool = side == "ostree" ? "/usr/bin/ostree" : ArborProcess.Executable;
            results[side] = t.Ns.Run(tool, ["admin", "deploy", "--os=" + TwinSysroots.Os, "vectoros/stable", "--sysroot=" + t.Ns.InnerPath(side)], env);
        }
        // ostree 2022.7 asserts that the sysroot is booted once the new boot loader configuration is in place
        Assert.NotEqual(0, results["ostree"].ExitCode);
        Assert.Contains("_ostree_bootloader_zipl_post_bls_sync: assertion failed: (self->sysroot->booted_deployment)", results["ostree"].Stderr);
        Assert.True(results["arbor"].ExitCode == 0, results["arbor"].ToString());
        Assert.False(File.Exists(t.Ns.HostPath("zipl.log")));
        foreach (var side in Sides)
        {
            Assert.Equal(0, new FileInfo(t.Host(side, "boot/ostree-bootloader-update.stamp")).Length);
            Assert.Equal("loader.1", new FileInfo(t.Host(side, "boot/loader")).LinkTarget);
        }
        Assert.Equal(File.ReadAllText(Directory.GetFiles(t.Host("ostree", "boot/loader/entries")).Single()),
                     File.ReadAllText(Directory.GetFiles(t.Host("arbor", "boot/loader/entries")).Single()));
    }
}
