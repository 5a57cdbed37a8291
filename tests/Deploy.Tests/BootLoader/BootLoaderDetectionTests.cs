using Arbor.Deploy.BootLoader;
using Arbor.TestKit;

namespace Arbor.Deploy.Tests.BootLoader;

public sealed class BootLoaderDetectionTests
{
    private static BootLoaderConfig Config(string bootloader) => new(bootloader, []);

    /// <summary>Builds a sysroot from "path" (empty file), "path->target" (symlink) and "path/" (directory) items.</summary>
    private static string Detect(string bootloader, params string[] items)
    {
        using var tmp = new TempDirectory("detect");
        foreach (var item in items)
        {
            var arrow = item.IndexOf("->", StringComparison.Ordinal);
            var rel = arrow < 0 ? item : item[..arrow];
            var full = tmp.Combine(rel);
            Directory.CreateDirectory(Path.GetDirectoryName(full.TrimEnd('/'))!);
            if (arrow >= 0) File.CreateSymbolicLink(full, item[(arrow + 2)..]);
            else if (rel.EndsWith('/')) Directory.CreateDirectory(full);
            else File.WriteAllText(full, "");
        }
        var backend = BootLoaderDetection.Query(Sysroot.Open(tmp.Path), Config(bootloader));
        return backend switch
        {
            null => "none",
            Grub2Backend g => g.EfiConfig is null ? "grub2" : $"grub2 efi {Path.GetRelativePath(tmp.Path, g.EfiConfig)} atomic={g.IsAtomic}",
            _ => backend.Name,
        };
    }

    [Theory]
    [InlineData("none")]
    [InlineData("syslinux", "boot/syslinux/syslinux.cfg->../loader/syslinux.cfg")]   // dangling: lstat is enough
    [InlineData("grub2", "boot/grub/grub.cfg")]
    [InlineData("grub2", "boot/grub2/grub.cfg->../loader/grub.cfg")]
    [InlineData("U-Boot", "boot/loader/uEnv.txt")]
    [InlineData("none", "boot/uEnv.txt")]                                              // ostree looks in boot/loader/ only
    [InlineData("none", "boot/efi/EFI/BOOT/grub.cfg")]
    [InlineData("grub2 efi boot/efi/EFI/debian/grub.cfg atomic=False", "boot/efi/EFI/BOOT/grub.cfg", "boot/efi/EFI/debian/grub.cfg")]
    [InlineData("none", "boot/efi/EFI/debian/grub.cfg->missing")]                    // g_file_test follows the link
    [InlineData("none", "elsewhere/grub.cfg", "boot/efi/EFI/link->../../../elsewhere") ]  // a symlinked directory is skipped
    [InlineData("syslinux", "boot/syslinux/syslinux.cfg", "boot/grub/grub.cfg", "boot/loader/uEnv.txt")]
    [InlineData("grub2", "boot/grub/grub.cfg", "boot/loader/uEnv.txt")]
    public void AutoProbesInOstreesOrder(string expected, params string[] items) => Assert.Equal(expected, Detect("auto", items));

    [Theory]
    [InlineData("none", "none", "boot/syslinux/syslinux.cfg")]
    [InlineData("syslinux", "syslinux")]
    [InlineData("uboot", "U-Boot", "boot/grub/grub.cfg")]
    [InlineData("grub2", "grub2", "boot/efi/EFI/debian/grub.cfg")]                    // configured: never probed, so BIOS
    [InlineData("zipl", "zipl", "boot/syslinux/syslinux.cfg")]
    public void AConfiguredBootloaderIsTakenWithoutProbing(string bootloader, string expected, params string[] items) =>
        Assert.Equal(expected, Detect(bootloader, items));
}
