using Arbor.Deploy.IO;
using Arbor.Repo.Native;

namespace Arbor.Deploy.Operations;

/// <summary>
/// <c>admin unlock [--hotfix|--transient]</c> (ostree_sysroot_deployment_unlock): a writable
/// overlayfs on the booted deployment's <c>/usr</c>. Development and transient overlays keep their
/// upper and work directories in a fresh <c>/var/tmp/ostree-unlock-ovl.XXXXXX</c> and are recorded in
/// <c>/run/ostree/deployment-state/CSUM.SERIAL/unlocked-development|unlocked-transient</c>, so they
/// end with the boot; a hotfix first deploys a clone of the booted deployment as the rollback, keeps
/// its directories in the deployment (<c>.usr-ovl-upper</c>, <c>.usr-ovl-work</c>, which
/// prepare-root mounts again at boot) and records <c>unlocked=hotfix</c> in the origin.
/// </summary>
public static class UnlockOperation
{
    public const string HotfixUpper = ".usr-ovl-upper";
    public const string HotfixWork = ".usr-ovl-work";
    public const string DevelopmentFlag = "unlocked-development";
    public const string TransientFlag = "unlocked-transient";

    /// <summary>The temporary overlay directory's name before its random suffix (as ostree names it).</summary>
    public const string TemporaryPrefix = "ostree-unlock-ovl.";

    private const string HotfixOptions = $"lowerdir=usr,upperdir={HotfixUpper},workdir={HotfixWork}";

    /// <summary>The state words of status and of the errors (ostree_deployment_unlocked_state_to_string).</summary>
    public static string Name(UnlockedState state) => state.ToString().ToLowerInvariant();

    /// <param name="journal">Receives the clone deployment's progress lines (hotfix only).</param>
    public static void Run(Sysroot sysroot, UnlockedState target, Action<string>? journal = null, Action? onLockWait = null)
    {
        if (target == UnlockedState.None) throw new ArgumentException("unlock cannot re-lock", nameof(target));
        using var l = sysroot.Lock(onLockWait);
        var set = sysroot.Load();
        var booted = set.Booted ?? throw new DeployException("Not currently booted into an OSTree system");
        if (booted.Unlocked != UnlockedState.None)
            throw new DeployException($"Deployment is already in unlocked state: {Name(booted.Unlocked)}");
        var merge = set.MergeDeployment(booted.Stateroot) ?? throw new DeployException("No previous deployment to duplicate");

        // for hotfixes, a rollback target first
        if (target == UnlockedState.Hotfix) new DeployOperation().CloneAsRollback(sysroot, set, booted, merge, journal);

        var dir = sysroot.DeploymentPath(booted);
        FileFlags.TrySetImmutable(dir, false);
        // the overlay directories get /usr's permission bits, whatever the umask
        uint usrMode = Files.Stat(Path.Join(dir, "usr")).Permissions;
        string options;
        string? recorded = null;
        if (target == UnlockedState.Hotfix)
        {
            MkdirUnmasked(Path.Join(dir, HotfixUpper), usrMode);
            MkdirUnmasked(Path.Join(dir, HotfixWork), usrMode);
            options = HotfixOptions;
        }
        else
        {
            // recorded as the running system spells it (the same path when the root is "/")
            recorded = MakeTemporaryDirectory(sysroot.Options.RootPath, "/var/tmp");
            var temporary = sysroot.Options.RootPath.TrimEnd('/') + recorded;
            MkdirUnmasked(Path.Join(temporary, "upper"), usrMode);
            MkdirUnmasked(Path.Join(temporary, "work"), usrMode);
            options = $"lowerdir=usr,upperdir={temporary}/upper,workdir={temporary}/work";
        }

        MountOverlay(dir, Path.Join(sysroot.Options.RootPath, "usr"), options, readOnly: target == UnlockedState.Transient);

        if (target == UnlockedState.Hotfix)
        {
            var origin = booted.Origin?.Clone() ?? OriginFile.Parse("");
            origin.Unlocked = Name(target);
            FsUtil.ReplaceFile(sysroot.FullPath(booted.OriginRelativePath), origin.ToString(), fsync: true);
        }
        else
        {
            var stateDir = Path.Join(sysroot.Options.DeploymentStateDir, booted.Name);
            FsUtil.EnsureDirectory(stateDir);
            FsUtil.ReplaceFile(Path.Join(stateDir, target == UnlockedState.Development ? DevelopmentFlag : TransientFlag), recorded!);
        }
        // clients watch the deploy directory's mtime for state changes
        FsUtil.Touch(sysroot.FullPath(SysrootLayout.Deploy));
    }

    /// <summary>mkdir -p, then chmod, so that the umask does not narrow the mode.</summary>
    private static void MkdirUnmasked(string path, uint mode)
    {
        if (Files.TryStat(path) is not { IsDirectory: true }) Files.TryMkdir(path, mode);
        Files.Chmod(path, mode);
    }

    /// <summary>mkdtemp(PARENT/ostree-unlock-ovl.XXXXXX) with mode 0755, PARENT under ROOT; returns the path without ROOT.</summary>
    private static string MakeTemporaryDirectory(string root, string parent)
    {
        const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int attempt = 0; attempt < 100; attempt++)
        {
            var path = parent + "/" + TemporaryPrefix + System.Security.Cryptography.RandomNumberGenerator.GetString(Letters, 6);
            try
            {
                if (Files.TryMkdir(root.TrimEnd('/') + path, 0x1ED)) return path;
            }
            catch (IOException e) { throw new DeployException($"mkdtemp: {e.Message}", e); }
        }
        throw new DeployException($"mkdtemp: File exists: {parent}");
    }

    /// <summary>
    /// mount("overlay", TARGET, "overlay", [MS_RDONLY], OPTIONS) from inside the deployment
    /// directory, so that the options name its <c>usr</c> as ostree's do (<c>lowerdir=usr,…</c>).
    /// </summary>
    private static void MountOverlay(string deployment, string target, string options, bool readOnly)
    {
        var cwd = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(deployment);
            Mount.Run("overlay", target, "overlay", readOnly ? MountFlags.ReadOnly : MountFlags.None, options);
        }
        catch (IOException e) { throw new DeployException($"Failed overlayfs mount: {e.Message}", e); }
        finally { Directory.SetCurrentDirectory(cwd); }
    }
}
