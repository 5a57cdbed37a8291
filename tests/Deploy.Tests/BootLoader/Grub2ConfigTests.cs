using Arbor.Deploy.BootLoader;

namespace Arbor.Deploy.Tests.BootLoader;

public sealed class Grub2ConfigTests
{
    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("OS's 1 (ostree:0)", "'OS'\\''s 1 (ostree:0)'")]
    [InlineData("", "''")]
    public void ShellQuote(string s, string expected) => Assert.Equal(expected, Grub2Config.ShellQuote(s));

    [Fact]
    public void MenuEntries()
    {
        var a = BootLoaderEntry.Parse("title OS 2 (ostree:0)\nversion 2\noptions root=x ostree=/ostree/boot.1/os/abc/0\nlinux /ostree/os-abc/vmlinuz\ninitrd /ostree/os-abc/initramfs.img\ndevicetree /ostree/os-abc/dt\n");
        var b = BootLoaderEntry.Parse("version 1\nlinux /vmlinuz\n");
        Assert.Equal(
            "menuentry 'OS 2 (ostree:0)' --class gnu-linux --class gnu --class os --unrestricted 'ostree-0-dev' {\n" +
            "load_video\nset gfxpayload=keep\ninsmod gzio\nsearch x\n" +
            "linux /ostree/os-abc/vmlinuz root=x ostree=/ostree/boot.1/os/abc/0\ninitrd /ostree/os-abc/initramfs.img\ndevicetree /ostree/os-abc/dt\n}\n" +
            "menuentry '(Untitled)' --class gnu-linux --class gnu --class os --unrestricted 'ostree-1-dev' {\n" +
            "load_video\nset gfxpayload=keep\ninsmod gzio\nsearch x\nlinux /vmlinuz\n}\n",
            Grub2Config.Generate([a, b], "dev", "search x"));
    }

    [Fact]
    public void AnEntryWithoutLinuxFails() =>
        Assert.Equal("No \"linux\" key in bootloader config",
            Assert.Throws<DeployException>(() => Grub2Config.Generate([BootLoaderEntry.Parse("title x\n")], "d", "")).Message);
}
