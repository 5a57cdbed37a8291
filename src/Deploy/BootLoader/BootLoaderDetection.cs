namespace Arbor.Deploy.BootLoader;

/// <summary>
/// ostree's <c>_ostree_sysroot_query_bootloader</c>: <c>sysroot.bootloader=auto</c> probes syslinux,
/// then GRUB 2, then U-Boot, and takes the first found (none found: BLS entries only);
/// <c>none</c> writes BLS entries only; <c>syslinux</c>, <c>grub2</c>, <c>uboot</c> and <c>zipl</c>
/// use that backend without probing (GRUB then in its BIOS layout); zipl is never probed.
/// </summary>
public static class BootLoaderDetection
{
    public static BootLoaderBackend? Query(Sysroot sysroot, BootLoaderConfig config) => config.Bootloader switch
    {
        "none" => null,
        "syslinux" => new SyslinuxBackend(),
        "uboot" => new UbootBackend(),
        "grub2" => Grub2Backend.Configured(),
        "zipl" => new ZiplBackend(),
        _ => Probe(sysroot),
    };

    private static BootLoaderBackend? Probe(Sysroot sysroot)
    {
        if (SyslinuxBackend.IsActive(sysroot)) return new SyslinuxBackend();
        if (Grub2Backend.Detect(sysroot) is { } grub) return grub;
        if (UbootBackend.IsActive(sysroot)) return new UbootBackend();
        return null;
    }
}
