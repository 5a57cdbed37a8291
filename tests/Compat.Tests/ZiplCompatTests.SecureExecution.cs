using System.Globalization;
using System.IO.Compression;
using System.Text;
using Arbor.TestKit;

namespace Arbor.Compat.Tests;

public sealed partial class ZiplCompatTests
{
    private static readonly DateTime KeyTime = new(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    /// <summary>An 8 MiB ext4 file system labelled "se" on a loop device; returns the device.</summary>
    private static string AttachSePartition(BootedTwins b)
    {
        var image = b.Twin.Ns.HostPath("se.img");
        using (var f = File.Create(image)) f.SetLength(8 << 20);
        ProcessRunner.RunOk("mkfs.ext4", "-q", "-L", "se", image);
        var r = b.Twin.Ns.Run("losetup", ["-f", "--show", b.Twin.Ns.InnerPath("se.img")]);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout.Trim();
    }

    /// <summary>What ostree's Secure Execution path reads on the running system, identical on both sides.</summary>
    private static void SetUpSecureExecution(BootedTwins b, string side, string loopDevice)
    {
        var root = b.Root(side);
        WriteFile(root, "sys/firmware/uv/prot_virt_guest", "1\n");
        foreach (var name in new[] { "ibm-z-hostkey-b.crt", "other.crt", "ibm-z-hostkey-a.crt" })
            WriteFile(root, "etc/se-hostkeys/" + name, name + "\n");
        WriteFile(root, "etc/crypttab", "root UUID=r /etc/luks/root\nboot UUID=b /etc/luks/boot\n", KeyTime);
        WriteFile(root, "etc/luks/root", "root-key", KeyTime);
        WriteFile(root, "etc/luks/boot", "boot-key-longer", KeyTime);
        Directory.SetLastWriteTimeUtc(Path.Join(root, "etc/luks"), KeyTime);
        Directory.SetLastWriteTimeUtc(Path.Join(root, "etc"), KeyTime);
        Directory.CreateDirectory(Path.Join(root, "var/tmp"));
        Directory.CreateDirectory(b.Twin.Host(side, "se"));
        // a /dev of its own over the host's, where disk/by-label/se names the loop device
        var dev = b.Inner(side) + "/dev";
        var r = b.Twin.Ns.Run("sh", ["-c", $"set -e; mount -t tmpfs tmpfs {dev}; cp -a /dev/null /dev/zero /dev/urandom {loopDevice} {dev}/; " +
                                           $"mkdir -p {dev}/disk/by-label; ln -s ../../{Path.GetFileName(loopDevice)} {dev}/disk/by-label/se"]);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Fact]
    public void SecureExecutionSealsTheDefaultEntryAsOstree()
    {
        Privileged.RequireRoot();
        using var b = ZiplTwins();
        var loop = AttachSePartition(b);
        try
        {
            foreach (var side in Sides) SetUpSecureExecution(b, side, loop);
            var results = Sides.ToDictionary(side => side, side => DeployV3(b, side));
            Assert.True(results["ostree"].ExitCode == 0, results["ostree"].ToString());
            Assert.Equal(results["ostree"].Stdout, results["arbor"].Stdout);
            Assert.Equal((0, ""), (results["arbor"].ExitCode, results["arbor"].Stderr));

            // genprotimg with the new default entry's kernel, the two host keys in directory order, on the mounted partition; then zipl
            var log = Log(b, "ostree", "zipl.log")!;
            Assert.Matches("^genprotimg -i /boot/ostree/vectoros-[0-9a-f]{64}/vmlinuz-6.1.0-vec -r /proc/PID/fd/N -p /proc/PID/fd/N " +
                           "-k /etc/se-hostkeys/ibm-z-hostkey-.\\.crt -k /etc/se-hostkeys/ibm-z-hostkey-.\\.crt --no-verify -o /sysroot/se/sdboot\n" +
                           "se-mounted\nzipl -V -t /sysroot/se -i /sysroot/se/sdboot\nstamp\n", log);
            Assert.Contains("sealed image\n", log);
            Assert.Equal(log, Log(b, "arbor", "zipl.log"));

            var entry = File.ReadAllLines(Directory.GetFiles(b.Twin.Host("ostree", "boot/loader/entries")).Order(StringComparer.Ordinal).Last());
            Assert.Equal(entry.Single(l => l.StartsWith("options ", StringComparison.Ordinal))["options ".Length..], Log(b, "ostree", "cmdline"));
            Assert.Equal(Log(b, "ostree", "cmdline"), Log(b, "arbor", "cmdline"));

            var archives = Sides.Select(side => LuksArchive(Path.Join(b.Root(side), "run/ramdisk"))).ToArray();
            Assert.Contains("/etc/luks/root\0", archives[0]);
            Assert.Contains("boot-key-longer\0", archives[0]);
            Assert.Equal(archives[0], archives[1]);

            foreach (var side in Sides)
            {
                // the partition was unmounted again; the stamp stays (ostree removes it only after a plain zipl)
                Assert.False(Directory.Exists(Path.Join(b.Root(side), "sysroot/se/lost+found")), side);
                Assert.True(StampExists(b, side), side);
            }
            Assert.Equal(b.Twin.BootState("ostree"), b.Twin.BootState("arbor"));
        }
        finally
        {
            // a still-mounted device is detached once unmounted (with the namespace)
            b.Twin.Ns.Run("losetup", ["-d", loop]);
        }
    }

    [Fact]
    public void AFailureOnTheMountedPartitionReadsAsOstreeAndArborUnmountsIt()
    {
        Privileged.RequireRoot();
        using var b = ZiplTwins();
        var loop = AttachSePartition(b);
        try
        {
            foreach (var side in Sides)
            {
                SetUpSecureExecution(b, side, loop);
                File.Delete(Path.Join(b.Root(side), "etc/luks/boot"));
            }
            var o = DeployV3(b, "ostree");
            var a = DeployV3(b, "arbor");
            Assert.Equal((1, "error: Final bootloader swap: s390x SE: missing luks keys and config\n"), (o.ExitCode, o.Stderr));
            Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
            foreach (var side in Sides) Assert.Null(Log(b, side, "zipl.log"));
            // ostree leaves /sysroot/se mounted after a failed step (not visible here: --mount-proc gives
            // it a mount namespace of its own); arbor, which runs in this one, unmounts it
            Assert.False(Directory.Exists(Path.Join(b.Root("arbor"), "sysroot/se/lost+found")));
            Assert.Equal(b.Twin.BootState("ostree"), b.Twin.BootState("arbor"));
        }
        finally
        {
            b.Twin.Ns.Run("losetup", ["-d", loop]);
        }
    }

    /// <summary>
    /// The ramdisk genprotimg got: the vector initrd, then a gzip-compressed newc cpio, returned
    /// decompressed with its inode numbers blanked (the only field that differs between the sides).
    /// </summary>
    private static string LuksArchive(string ramdisk)
    {
        var bytes = File.ReadAllBytes(ramdisk);
        Assert.Equal("initrd\n", Encoding.ASCII.GetString(bytes, 0, 7));
        using var gzip = new GZipStream(new MemoryStream(bytes, 7, bytes.Length - 7), CompressionMode.Decompress);
        var cpio = new MemoryStream();
        gzip.CopyTo(cpio);
        var text = new StringBuilder(Encoding.Latin1.GetString(cpio.ToArray()));
        int pos = 0;
        while (true)
        {
            Assert.Equal("070701", text.ToString(pos, 6));
            text.Remove(pos + 6, 8).Insert(pos + 6, "--------");
            int size = int.Parse(text.ToString(pos + 54, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            int nameSize = int.Parse(text.ToString(pos + 94, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var name = text.ToString(pos + 110, nameSize - 1);
            pos += (110 + nameSize + 3) & ~3;
            pos += (size + 3) & ~3;
            if (name == "TRAILER!!!") break;
        }
        Assert.Equal(text.Length, pos);
        return text.ToString();
    }
}
