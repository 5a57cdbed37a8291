using Arbor.Deploy.IO;
using Arbor.Repo.Native;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// syslinux (ostree-bootloader-syslinux.c): active when <c>boot/syslinux/syslinux.cfg</c> exists
/// (usually a symlink to <c>../loader/syslinux.cfg</c>); the current file, read through that path, is
/// converted by <see cref="SyslinuxConfig"/> into <c>boot/loader.N/syslinux.cfg</c>.
/// </summary>
public sealed class SyslinuxBackend : BootLoaderBackend
{
    public const string ConfigPath = "boot/syslinux/syslinux.cfg";

    public override string Name => "syslinux";

    public static bool IsActive(Sysroot sysroot) => Files.TryLStat(sysroot.FullPath(ConfigPath)) is not null;

    public override void WriteConfig(BootLoaderWrite write)
    {
        var old = BootLoaderFiles.ReadCurrent(write.Sysroot, ConfigPath);
        var text = SyslinuxConfig.Generate(old, write.Entries());
        FsUtil.ReplaceFile(write.LoaderFile("syslinux.cfg"), text, fsync: true);
    }
}
