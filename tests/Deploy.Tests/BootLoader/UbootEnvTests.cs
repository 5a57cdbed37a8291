using Arbor.Deploy.BootLoader;

namespace Arbor.Deploy.Tests.BootLoader;

public sealed class UbootEnvTests
{
    private static BootLoaderEntry Entry(string extra, string options = "root=LABEL=r ostree=/ostree/boot.1/os/abc/0") =>
        BootLoaderEntry.Parse($"title t\nversion 1\noptions {options}\nlinux /ostree/os-abc/vmlinuz\n{extra}");

    [Fact]
    public void EntriesAreNumberedFromTheSecond()
    {
        var entries = new[]
        {
            Entry("initrd /ostree/os-abc/initramfs.img\ndevicetree /ostree/os-abc/devicetree\n"),
            Entry("fdtdir /ostree/os-abc/dtb\n", "ostree=/ostree/boot.1/os/abc/1"),
            Entry(""),
        };
        var seen = new List<string>();
        var text = UbootEnv.Generate(entries, rel => { seen.Add(rel); return null; });
        Assert.Equal(
            "kernel_image=/boot/ostree/os-abc/vmlinuz\nramdisk_image=/boot/ostree/os-abc/initramfs.img\nfdt_file=/boot/ostree/os-abc/devicetree\n" +
            "bootargs=root=LABEL=r ostree=/ostree/boot.1/os/abc/0\n" +
            "kernel_image2=/boot/ostree/os-abc/vmlinuz\nfdtdir2=/boot/ostree/os-abc/dtb\nbootargs2=ostree=/ostree/boot.1/os/abc/1\n" +
            "kernel_image3=/boot/ostree/os-abc/vmlinuz\nbootargs3=root=LABEL=r ostree=/ostree/boot.1/os/abc/0\n", text);
        // only the first entry's deployment is asked for its own uEnv.txt, through its last ostree=
        Assert.Equal(["ostree/boot.1/os/abc/0/usr/lib/ostree-boot/uEnv.txt"], seen);
    }

    [Fact]
    public void TheSystemUenvFollowsTheFirstBootargs()
    {
        var text = UbootEnv.Generate([Entry("", "ostree=/ostree/boot.0/os/abc/9 ostree=/ostree/boot.1/os/abc/0"), Entry("")],
            rel => rel.StartsWith("ostree/boot.1/", StringComparison.Ordinal) ? "fdt_high=0xffffffff\n" : null);
        Assert.Contains("bootargs=ostree=/ostree/boot.0/os/abc/9 ostree=/ostree/boot.1/os/abc/0\nfdt_high=0xffffffff\n\nkernel_image2=", text);
    }

    [Fact]
    public void Errors()
    {
        Assert.Equal("No ostree= kernel argument found in boot loader configuration file",
            Assert.Throws<DeployException>(() => UbootEnv.Generate([Entry("", "quiet")], _ => null)).Message);
        Assert.Equal("No \"linux\" key in bootloader config",
            Assert.Throws<DeployException>(() => UbootEnv.Generate([BootLoaderEntry.Parse("title x\n")], _ => null)).Message);
    }
}
