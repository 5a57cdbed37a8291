using Arbor.Deploy.BootLoader;
using Arbor.TestKit;

namespace Arbor.Deploy.Tests.BootLoader;

public sealed class KernelLayoutTests : IDisposable
{
    private readonly TempDirectory _tmp = new("kernel");

    public void Dispose() => _tmp.Dispose();

    private string Write(string rel, string content)
    {
        var p = _tmp.Combine(rel);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        File.WriteAllText(p, content);
        return p;
    }

    [Fact]
    public void ModulesLayoutVectorBootChecksum()
    {
        Write("usr/lib/modules/6.1.0-vec/vmlinuz", "kernel\n");
        Write("usr/lib/modules/6.1.0-vec/initramfs.img", "initrd\n");
        var k = KernelLayout.Find(_tmp.Path);
        var vector = File.ReadLines(Vectors.PathOf("sysroot.txt")).First(l => l.StartsWith("bootcsum ", StringComparison.Ordinal))["bootcsum ".Length..];
        Assert.Equal("ff6d610a0f0d84602d9e2878eb3a16a850f2d31faa2f14108006723892a17899", vector);
        Assert.Equal(vector, k.BootChecksum);
        Assert.Equal("vmlinuz-6.1.0-vec", k.KernelName);
        Assert.Equal("initramfs-6.1.0-vec.img", k.InitramfsName);
        Assert.Null(k.DevicetreeSource);
    }

    [Fact]
    public void InitramfsWithoutExtensionAndDevicetreeAndHmac()
    {
        Write("usr/lib/modules/5.0/vmlinuz", "k");
        Write("usr/lib/modules/5.0/initramfs", "i");
        Write("usr/lib/modules/5.0/devicetree", "d");
        Write("usr/lib/modules/5.0/.vmlinuz.hmac", "h");
        var k = KernelLayout.Find(_tmp.Path);
        Assert.Equal("initramfs", k.InitramfsSource);
        Assert.Equal("initramfs-5.0.img", k.InitramfsName);
        Assert.Equal("devicetree-5.0", k.DevicetreeName);
        Assert.Equal(".vmlinuz-5.0.hmac", k.HmacName);
        Assert.Equal(Sha("kid"), k.BootChecksum);          // the HMAC is not part of the checksum
    }

    [Fact]
    public void DtbDirectoryIsHashedInNameOrderRecursively()
    {
        Write("usr/lib/modules/5.0/vmlinuz", "k");
        Write("usr/lib/modules/5.0/dtb/b.dtb", "B");
        Write("usr/lib/modules/5.0/dtb/a/z.dtb", "Z");
        Write("usr/lib/modules/5.0/dtb/C.dtb", "C");
        var k = KernelLayout.Find(_tmp.Path);
        Assert.Equal("dtb", k.DevicetreeSource);
        Assert.Null(k.DevicetreeName);
        Assert.Equal(Sha("k" + "C" + "Z" + "B"), k.BootChecksum);   // strcmp: "C.dtb" < "a" < "b.dtb"
    }

    [Fact]
    public void DirectoriesWithoutAKernelAreSkipped()
    {
        Directory.CreateDirectory(_tmp.Combine("usr/lib/modules/extra"));
        Write("usr/lib/modules/6.2/vmlinuz", "k");
        Assert.Equal("vmlinuz-6.2", KernelLayout.Find(_tmp.Path).KernelName);
    }

    private const string Csum = "3bb7e5c0ddcd5b8a64b1b4c5a8e2ea3c6c5fba23b1f6a1ee0e0d1e2b0c4d5e6f";

    [Fact]
    public void LegacyLayoutTakesTheChecksumFromTheNames()
    {
        Write($"usr/lib/ostree-boot/vmlinuz-5.0-{Csum}", "k");
        Write($"usr/lib/ostree-boot/initramfs-5.0.img-{Csum}", "i");
        var k = KernelLayout.Find(_tmp.Path);
        Assert.Equal(Csum, k.BootChecksum);
        Assert.Equal("vmlinuz-5.0", k.KernelName);
        Assert.Equal("initramfs-5.0.img", k.InitramfsName);
    }

    [Fact]
    public void LegacyWinsWhenOnlyItHasAnInitramfs()
    {
        Write("usr/lib/modules/5.0/vmlinuz", "k");
        Write($"boot/vmlinuz-5.0-{Csum}", "k");
        Write($"boot/initramfs-5.0.img-{Csum}", "i");
        Assert.Equal(Csum, KernelLayout.Find(_tmp.Path).BootChecksum);
        Write("usr/lib/modules/5.0/initramfs.img", "i");
        Assert.Equal(Sha("ki"), KernelLayout.Find(_tmp.Path).BootChecksum);
    }

    [Fact]
    public void MismatchedLegacyChecksums()
    {
        Write($"boot/vmlinuz-5.0-{Csum}", "k");
        Write($"boot/initramfs-5.0.img-{new string('0', 64)}", "i");
        Assert.Equal("Mismatched kernel checksum vs initrd", Assert.Throws<DeployException>(() => KernelLayout.Find(_tmp.Path)).Message);
    }

    [Fact]
    public void NoKernel()
    {
        Directory.CreateDirectory(_tmp.Combine("boot"));
        Write("boot/vmlinuz-not-a-checksum", "k");
        Assert.Equal("Failed to find kernel in /usr/lib/modules, /usr/lib/ostree-boot or /boot",
            Assert.Throws<DeployException>(() => KernelLayout.Find(_tmp.Path)).Message);
    }

    private static string Sha(string s) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s)));
}
