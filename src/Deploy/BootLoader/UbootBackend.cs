using Arbor.Deploy.IO;
using Arbor.Repo.Native;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// U-Boot (ostree-bootloader-uboot.c): active when <c>boot/loader/uEnv.txt</c> exists; that file
/// must be readable, and <c>boot/loader.N/uEnv.txt</c> is written by <see cref="UbootEnv"/>, with the
/// default deployment's own <c>usr/lib/ostree-boot/uEnv.txt</c> appended.
/// </summary>
public sealed class UbootBackend : BootLoaderBackend
{
    public const string ConfigPath = "boot/loader/uEnv.txt";

    public override string Name => "U-Boot";

    public static bool IsActive(Sysroot sysroot) => Files.TryLStat(sysroot.FullPath(ConfigPath)) is not null;

    public override void WriteConfig(BootLoaderWrite write)
    {
        // read only to fail as ostree does when it is gone
        BootLoaderFiles.ReadCurrent(write.Sysroot, ConfigPath);
        var text = UbootEnv.Generate(write.Entries(), rel => ReadSystemUenv(write.Sysroot, rel));
        FsUtil.ReplaceFile(write.LoaderFile("uEnv.txt"), text, fsync: true);
    }

    private static string? ReadSystemUenv(Sysroot sysroot, string rel)
    {
        try { return File.ReadAllText(sysroot.FullPath(rel)); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        catch (IOException e) { throw new DeployException($"Reading {rel}: {e.Message}", e); }
    }
}
