using Arbor.Deploy.IO;
using Arbor.Repo.Native;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// GRUB 2 (ostree-bootloader-grub2.c, as Debian builds it): active when <c>boot/grub/grub.cfg</c>
/// or <c>boot/grub2/grub.cfg</c> exists (BIOS), else when a directory of <c>boot/efi/EFI/</c> other
/// than <c>BOOT</c> holds a <c>grub.cfg</c> (EFI). The configuration is made by running
/// <c>/usr/sbin/grub-mkconfig -o PATH</c> (or <c>$OSTREE_GRUB2_EXEC</c>) with
/// <c>_OSTREE_GRUB2_BOOTVERSION</c> (and <c>_OSTREE_GRUB2_IS_EFI=1</c>) set, its output silenced unless
/// <c>$OSTREE_DEBUG_GRUB2</c> is set; grub-mkconfig runs <c>/etc/grub.d/15_ostree</c>, which calls
/// <c>admin instutil grub2-generate</c>. BIOS: PATH is <c>boot/loader.N/grub.cfg</c> (the
/// <c>grub.cfg</c> symlinks point into <c>boot/loader/</c>, so the swap switches it). EFI: PATH is
/// <c>grub.cfg.new</c> beside the live file, which is then copied to <c>grub.cfg.old</c> and
/// replaced, not atomically (FAT). When the program is grub-mkconfig and the sysroot is neither
/// booted nor "/", it runs chrooted into the new default deployment in a private mount namespace.
/// </summary>
public sealed class Grub2Backend : BootLoaderBackend
{
    public const string MkconfigPath = "/usr/sbin/grub-mkconfig";
    public const string ExecVariable = "OSTREE_GRUB2_EXEC";
    public const string DebugVariable = "OSTREE_DEBUG_GRUB2";
    public const string BootVersionVariable = "_OSTREE_GRUB2_BOOTVERSION";
    public const string IsEfiVariable = "_OSTREE_GRUB2_IS_EFI";

    private static readonly string[] BiosConfigs = ["boot/grub/grub.cfg", "boot/grub2/grub.cfg"];
    private const string EfiDir = "boot/efi/EFI";

    /// <summary>The EFI <c>grub.cfg</c> (host path), or null for a BIOS set-up.</summary>
    public string? EfiConfig { get; }

    private Grub2Backend(string? efiConfig) => EfiConfig = efiConfig;

    public override string Name => "grub2";

    public override bool IsAtomic => EfiConfig is null;

    /// <summary>The backend when GRUB is found on the sysroot, else null.</summary>
    public static Grub2Backend? Detect(Sysroot sysroot)
    {
        // g_file_query_exists: a dangling symlink counts
        foreach (var rel in BiosConfigs)
            if (Files.TryLStat(sysroot.FullPath(rel)) is not null) return new Grub2Backend(null);
        var efi = sysroot.FullPath(EfiDir);
        if (Files.TryStat(efi) is not { IsDirectory: true }) return null;
        foreach (var sub in Directory.EnumerateFileSystemEntries(efi))
        {
            if (Path.GetFileName(sub) == "BOOT" || Files.TryLStat(sub) is not { IsDirectory: true }) continue;
            var cfg = Path.Join(sub, "grub.cfg");
            if (Files.TryStat(cfg) is not null) return new Grub2Backend(cfg);
        }
        return null;
    }

    /// <summary>The backend named by <c>sysroot.bootloader=grub2</c>: ostree does not probe then, so always BIOS.</summary>
    public static Grub2Backend Configured() => new(null);

    public override void WriteConfig(BootLoaderWrite write)
    {
        var configured = Environment.GetEnvironmentVariable(ExecVariable);
        var program = string.IsNullOrEmpty(configured) ? MkconfigPath : configured;
        bool isMkconfig = program.EndsWith(MkconfigPath, StringComparison.Ordinal);
        string? chroot = isMkconfig && !write.Booted && write.Sysroot.Path != "/"
            ? write.Sysroot.DeploymentPath(write.Deployments[0]) : null;

        string output;
        if (EfiConfig is not null)
        {
            output = Path.Join(Path.GetDirectoryName(EfiConfig)!, "grub.cfg.new");
            FsUtil.EnsureUnlinked(output);
        }
        else
        {
            output = write.LoaderFile("grub.cfg");
        }

        var env = new Dictionary<string, string> { [BootVersionVariable] = write.BootVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (EfiConfig is not null) env[IsEfiVariable] = "1";
        bool quiet = Environment.GetEnvironmentVariable(DebugVariable) is null;
        if (chroot is null)
        {
            ChildProcess.Run(program, ["-o", output], env, quiet);
        }
        else
        {
            // ostree forks, enters a private mount namespace and chroots before exec: a program
            // missing inside the deployment fails as a failed exec
            var inside = RootedPath.Resolve(chroot, program);
            if (inside is null || Files.TryStat(inside) is not { IsRegular: true }) throw ChildProcess.FailedToExecute(program, Errno.ENOENT);
            ChildProcess.Run("unshare", ["--mount", "--propagation", "private", "--root=" + chroot, "--", program, "-o", output], env, quiet, shownName: program);
        }

        SyncOutput(output);
        if (EfiConfig is not null) ReplaceEfiConfig(EfiConfig, output);
    }

    /// <summary>fdatasync of what the program wrote; "openat(PATH): …" when it wrote nothing.</summary>
    private static void SyncOutput(string path)
    {
        try
        {
            using var h = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            Sync.FSync(h, path);
        }
        catch (FileNotFoundException e) { throw new DeployException($"openat({path}): No such file or directory", e); }
        catch (DirectoryNotFoundException e) { throw new DeployException($"openat({path}): No such file or directory", e); }
    }

    private static void ReplaceEfiConfig(string live, string fresh)
    {
        var old = Path.Join(Path.GetDirectoryName(live)!, "grub.cfg.old");
        FsUtil.EnsureUnlinked(old);
        File.Copy(live, old, overwrite: true);
        // not atomic: the EFI system partition is FAT, where ostree does the same
        FsUtil.EnsureUnlinked(live);
        Rename.Replace(fresh, live);
    }
}
