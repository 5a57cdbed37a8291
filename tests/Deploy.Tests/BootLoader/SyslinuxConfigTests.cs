using Arbor.Deploy.BootLoader;

namespace Arbor.Deploy.Tests.BootLoader;

public sealed class SyslinuxConfigTests
{
    private static BootLoaderEntry Entry(string title, string version, bool initrd = true, string? devicetree = null)
    {
        var e = BootLoaderEntry.Parse($"title {title}\nversion {version}\noptions root=LABEL=r ostree=/ostree/boot.1/os/abc/{version}\nlinux /ostree/os-abc/vmlinuz-6\n");
        if (initrd) e.Initrd = "/ostree/os-abc/initramfs-6.img";
        if (devicetree is not null) e.Set("devicetree", devicetree);
        return e;
    }

    private static readonly BootLoaderEntry[] Two = [Entry("OS 2 (ostree:0)", "2"), Entry("OS 1 (ostree:1)", "1", initrd: false, devicetree: "/ostree/os-abc/devicetree-6")];

    private const string Generated =
        "LABEL OS 2 (ostree:0)\n\tKERNEL /boot/ostree/os-abc/vmlinuz-6\n\tINITRD /boot/ostree/os-abc/initramfs-6.img\n\tAPPEND root=LABEL=r ostree=/ostree/boot.1/os/abc/2\n" +
        "LABEL OS 1 (ostree:1)\n\tKERNEL /boot/ostree/os-abc/vmlinuz-6\n\tDEVICETREE /boot/ostree/os-abc/devicetree-6\n\tAPPEND root=LABEL=r ostree=/ostree/boot.1/os/abc/1\n";

    [Fact]
    public void AnEmptyConfigGetsADefaultAndTheEntries() =>
        Assert.Equal("DEFAULT OS 2 (ostree:0)\n" + Generated, SyslinuxConfig.Generate("", Two));

    [Fact]
    public void OstreeBlocksAndAnOstreeDefaultAreReplaced()
    {
        var old = "TIMEOUT 5\nDEFAULT Old (ostree:0)\nLABEL Old (ostree:0)\n\tKERNEL /boot/ostree/os-old/vmlinuz\n\tAPPEND x\n" +
                  "LABEL legacy\n\tKERNEL /ostree/os-legacy/vmlinuz\n";
        // the empty string after the old file's last newline is a line too: one blank line before the entries
        Assert.Equal("TIMEOUT 5\n\nDEFAULT OS 2 (ostree:0)\n" + Generated, SyslinuxConfig.Generate(old, Two));
    }

    [Fact]
    public void OtherEntriesStayAndTheirDefaultIsDroppedNotRegenerated()
    {
        var old = "PROMPT 1\nDEFAULT other\n\nLABEL other\n\tKERNEL /vmlinuz-other\n\tAPPEND root=/dev/sda\n\n\nLABEL ostree\n\tKERNEL /boot/ostree/x\n";
        Assert.Equal("PROMPT 1\n\nLABEL other\n\tKERNEL /vmlinuz-other\n\tAPPEND root=/dev/sda\n" + Generated, SyslinuxConfig.Generate(old, Two));
    }

    [Fact]
    public void TheOldDefaultFormatIsRegenerated() =>
        Assert.StartsWith("DEFAULT OS 2 (ostree:0)\n", SyslinuxConfig.Generate("DEFAULT ostree:os:0\n", Two));

    [Fact]
    public void ALabelWithoutKernelIsJudgedByThePreviousOne()
    {
        // ostree never resets the KERNEL it saw: "bare" follows an ostree block and is dropped with it
        var old = "LABEL a\n\tKERNEL /boot/ostree/a\nLABEL bare\n\tAPPEND x\n";
        Assert.Equal("DEFAULT OS 2 (ostree:0)\n" + Generated, SyslinuxConfig.Generate(old, Two));
    }

    [Fact]
    public void Errors()
    {
        Assert.Equal("No KERNEL argument found after LABEL", Assert.Throws<DeployException>(() => SyslinuxConfig.Generate("LABEL a\n\tAPPEND x\n", Two)).Message);
        var noLinux = BootLoaderEntry.Parse("title x\n");
        Assert.Equal("No \"linux\" key in bootloader config", Assert.Throws<DeployException>(() => SyslinuxConfig.Generate("", [noLinux])).Message);
    }

    [Fact]
    public void AnEntryWithoutTitleIsUntitled() =>
        Assert.StartsWith("DEFAULT (Untitled)\nLABEL (Untitled)\n\tKERNEL /boot/vmlinuz\n", SyslinuxConfig.Generate("", [BootLoaderEntry.Parse("linux /vmlinuz\n")]));
}
