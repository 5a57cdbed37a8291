using Arbor.Repo.Native;

namespace Arbor.Boot;

/// <summary>
/// Looks at the physical root and the resolved deployment and gathers <see cref="SysrootFacts"/>. Every
/// directory a mount will land on must be a real directory of the deployment: a symbolic link there
/// (<c>usr</c>, <c>etc</c>, <c>var</c>, <c>sysroot</c>) would redirect the mount into the initramfs, so it is
/// refused with the path named.
/// </summary>
internal static class SysrootProbe
{
    public static SysrootFacts Gather(DeploymentTarget target, SysrootConfig config, string runDirectory, BootLog? log)
    {
        if (target.Sysroot == "/")
            throw new BootException("the physical root is / (PID-1 mode, no initramfs): not supported; boot with an initramfs");
        if (config.Warning is not null) log?.Warning(config.Warning);

        var root = target.Sysroot;
        var deploy = target.Path;
        bool ro = config.ReadOnly;
        if (ro && ReadOnlyFs(root))
            throw new BootException($"sysroot.readonly=true requires {root} to be writable at this point");

        RequireDirectory($"{deploy}/usr", "/usr");
        RequireDirectory($"{deploy}/sysroot", "the physical root's mount point");
        if (ro) RequireDirectory($"{deploy}/etc", "/etc");
        RequireDirectory(target.StaterootVar, "the stateroot's var");
        RequireDirectory($"{deploy}/var", "/var");

        bool bootOnRoot = Files.TryLStat($"{root}/boot/loader") is { IsSymlink: true };
        bool deployBoot = Files.TryLStat($"{deploy}/boot") is { IsDirectory: true };
        bool overlay = Files.TryLStat($"{deploy}/.usr-ovl-work") is not null;
        if (overlay)
        {
            RequireDirectory($"{deploy}/.usr-ovl-work", "the /usr overlay's work directory");
            RequireDirectory($"{deploy}/.usr-ovl-upper", "the /usr overlay's upper directory");
        }
        return new SysrootFacts(
            target,
            ReadOnlySysroot: ro,
            BootOnPhysicalRoot: bootOnRoot,
            DeploymentHasBootDirectory: deployBoot,
            UsrOverlay: overlay,
            DeploymentOnReadOnlyFilesystem: overlay && ReadOnlyFs(deploy),
            MountVar: true,
            RunDirectory: runDirectory);
    }

    private static bool ReadOnlyFs(string path)
    {
        try { return FsStat.Get(path).ReadOnly; }
        catch (NativeIOException e) { throw new BootException(e.Message); }
    }

    private static void RequireDirectory(string path, string what)
    {
        var st = Files.TryLStat(path);
        if (st is null)
            throw new BootException($"{path} ({what}) does not exist");
        if (st.Value.IsSymlink)
            throw new BootException($"Refusing {path} ({what}): a symbolic link as a mount point could lead out of the deployment");
        if (!st.Value.IsDirectory)
            throw new BootException($"{path} ({what}) is not a directory");
    }
}
