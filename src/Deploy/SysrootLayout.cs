using System.Globalization;
using Arbor.Repo.Core;

namespace Arbor.Deploy;

/// <summary>
/// Every path inside a sysroot, relative to the physical root (sysroot.md §1). Names that come
/// from outside (stateroots, boot checksums from an <c>ostree=</c> argument) are validated here,
/// so a joined path can never leave the sysroot.
/// </summary>
public static class SysrootLayout
{
    public const string Boot = "boot";
    public const string BootLoaderLink = "boot/loader";
    public const string BootLoaderTmpLink = "boot/loader.tmp";
    public const string BootSelfLink = "boot/boot";
    public const string BootOstree = "boot/ostree";
    public const string InitramfsOverlays = "boot/ostree/initramfs-overlays";
    public const string Ostree = "ostree";
    public const string Repo = "ostree/repo";
    public const string Deploy = "ostree/deploy";
    public const string Lock = "ostree/lock";

    /// <summary>The directories <c>admin init-fs</c> creates besides boot/ and ostree/ (unless --modern).</summary>
    public static readonly (string Name, uint Mode)[] TraditionalTopLevels =
        [("dev", 0x1ED), ("home", 0x1ED), ("proc", 0x1ED), ("run", 0x1ED), ("sys", 0x1ED), ("root", 0x1C0), ("tmp", 0x3FF)];

    private static string I(int n) => n.ToString(CultureInfo.InvariantCulture);

    public static string Stateroot(string stateroot) => $"{Deploy}/{CheckName(stateroot, "stateroot")}";
    public static string StaterootDeployDir(string stateroot) => $"{Stateroot(stateroot)}/deploy";
    public static string StaterootVar(string stateroot) => $"{Stateroot(stateroot)}/var";

    /// <summary><c>CSUM.SERIAL</c>, the name of a deployment directory.</summary>
    public static string DeploymentName(Checksum commit, int serial) => $"{commit}.{I(serial)}";

    public static string DeploymentDir(string stateroot, Checksum commit, int serial) =>
        $"{StaterootDeployDir(stateroot)}/{DeploymentName(commit, serial)}";

    public static string OriginFile(string stateroot, Checksum commit, int serial) =>
        DeploymentDir(stateroot, commit, serial) + ".origin";

    public static string LoaderDir(int bootversion) => $"boot/loader.{I(bootversion)}";
    public static string LoaderLinkTarget(int bootversion) => $"loader.{I(bootversion)}";
    public static string EntriesDir(int bootversion) => $"{LoaderDir(bootversion)}/entries";

    /// <summary><c>ostree-K-STATEROOT.conf</c>, K = count − index (sysroot.md §5).</summary>
    public static string EntryFileName(int k, string stateroot) => $"ostree-{I(k)}-{CheckName(stateroot, "stateroot")}.conf";

    /// <summary><c>ostree/boot.N</c>, the symlink naming the active symlink farm of boot version N.</summary>
    public static string BootLinkDir(int bootversion) => $"{Ostree}/boot.{I(bootversion)}";
    public static string SubBootDirName(int bootversion, int subbootversion) => $"boot.{I(bootversion)}.{I(subbootversion)}";
    public static string SubBootDir(int bootversion, int subbootversion) => $"{Ostree}/{SubBootDirName(bootversion, subbootversion)}";

    /// <summary>The path named by <c>ostree=</c>, without the leading slash.</summary>
    public static string BootLink(int bootversion, string stateroot, string bootcsum, int bootserial) =>
        $"{BootLinkDir(bootversion)}/{CheckName(stateroot, "stateroot")}/{CheckName(bootcsum, "boot checksum")}/{I(bootserial)}";

    /// <summary>The value of the <c>ostree=</c> kernel argument.</summary>
    public static string OstreeKarg(int bootversion, string stateroot, string bootcsum, int bootserial) =>
        "/" + BootLink(bootversion, stateroot, bootcsum, bootserial);

    /// <summary>The target of a farm link, relative to <c>ostree/boot.B.S/STATEROOT/BOOTCSUM/</c>.</summary>
    public static string BootLinkTarget(string stateroot, Checksum commit, int deploySerial) =>
        $"../../../deploy/{CheckName(stateroot, "stateroot")}/deploy/{DeploymentName(commit, deploySerial)}";

    /// <summary><c>ostree/STATEROOT-BOOTCSUM</c> relative to the /boot filesystem (as BLS paths are).</summary>
    public static string KernelDirInBoot(string stateroot, string bootcsum) =>
        $"ostree/{CheckName(stateroot, "stateroot")}-{CheckName(bootcsum, "boot checksum")}";

    public static string KernelDir(string stateroot, string bootcsum) => $"{Boot}/{KernelDirInBoot(stateroot, bootcsum)}";

    /// <summary>The repo ref that keeps deployment <paramref name="index"/>'s commit alive (sysroot.md §3.3).</summary>
    public static string DeploymentRef(int bootversion, int subbootversion, int index) => $"ostree/{I(bootversion)}/{I(subbootversion)}/{I(index)}";

    /// <summary>A stateroot (or boot checksum) is one path component: not empty, ".", "..", and no '/'.</summary>
    public static bool IsValidName(string name) => TreeEntryName.IsValid(name);

    public static string CheckName(string name, string what) =>
        IsValidName(name) ? name : throw new DeployException($"Invalid {what} name '{TreeEntryName.Escape(name)}'");

    /// <summary>Joins a sysroot path and a relative path from this class.</summary>
    public static string Full(string sysroot, string relative) => System.IO.Path.Join(sysroot, relative);
}
