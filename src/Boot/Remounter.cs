using Arbor.Repo.Native;

namespace Arbor.Boot;

/// <summary>
/// <c>arbor-remount</c>: what ostree-remount does in the real root (boot-stage.md §5), early in boot
/// after systemd-remount-fs: flag the boot, stop propagation under /sysroot, then give /sysroot the
/// read-only or read-write state sysroot.readonly asked for and make /etc (read-only sysroot) and /var
/// writable. <paramref name="root"/> prefixes every path ("/" on a real system; a scratch tree in tests).
/// </summary>
internal sealed class Remounter
{
    private readonly string _root;
    private readonly string _runDirectory;
    private readonly bool _dryRun;
    private readonly TextWriter _out;
    private readonly BootLog _log;

    public Remounter(string root, string runDirectory, bool dryRun, TextWriter stdout, BootLog log)
    {
        _root = root == "/" ? "" : DeploymentTarget.NormalizeRoot(root);
        _runDirectory = runDirectory.TrimEnd('/');
        _dryRun = dryRun;
        _out = stdout;
        _log = log;
    }

    private string P(string absolute) => _root + absolute;

    public void Run()
    {
        var booted = $"{_runDirectory}/{MountPlan.BootedStamp}";
        if (_dryRun) _out.WriteLine($"would create {booted}");
        else
        {
            // normally the generator made it already; redundancy only, so a failure is not fatal (as ostree-remount)
            try { MountExecutor.Execute(new MountStep(MountOperation.WriteFile, null, booted, MountFlags.None, null, MountPlan.BootedStampMode, "")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { _log.Warning($"creating {booted}: {e.Message}"); }
        }

        var sysroot = P("/sysroot");
        if (_dryRun) _out.WriteLine($"would make {sysroot} private (MS_REC|MS_PRIVATE)");
        else
        {
            try { Mount.Run("none", sysroot, null, MountFlags.Recursive | MountFlags.Private); }
            catch (NativeIOException e) { _log.Warning($"While remounting {sysroot} MS_PRIVATE: {e.Message}"); }
        }

        var slash = _root.Length == 0 ? "/" : _root;
        if (FsStat.Get(slash).ReadOnly)
        {
            // the administrator booted read-only (no "rw" on the command line): don't fight it
            _out.WriteLine($"{slash} is read-only: leaving the mounts as they are");
            return;
        }

        var stamp = $"{_runDirectory}/{MountPlan.ReadOnlyStamp}";
        bool readOnly = File.Exists(stamp);
        if (readOnly && !_dryRun) File.Delete(stamp);
        Remount(sysroot, writable: !readOnly);
        if (readOnly) Remount(P("/etc"), writable: true);
        Remount(P("/var"), writable: true);
    }

    private void Remount(string target, bool writable)
    {
        var st = Files.TryLStat(target);
        // missing, or a symbolic link (expected to point into /sysroot, where no mount is): nothing to do
        if (st is null || st.Value.IsSymlink) return;
        FsStat.Info info;
        try { info = FsStat.Get(target); }
        catch (NativeIOException) { return; }
        if (info.ReadOnly != writable) return;
        var mode = writable ? "rw" : "ro";
        if (_dryRun)
        {
            _out.WriteLine($"would remount {mode}: {target}");
            return;
        }
        var flags = MountFlags.Remount | MountFlags.Silent | (writable ? MountFlags.None : MountFlags.ReadOnly);
        try
        {
            Mount.Run(target, target, null, flags);
        }
        catch (NativeIOException e) when (e.Errno == Errno.EINVAL)
        {
            return; // not a mount point: assume things are as they should be
        }
        catch (NativeIOException e)
        {
            throw new BootException($"failed to remount({mode}) {target}: {Errno.Describe(e.Errno)}");
        }
        _out.WriteLine($"Remounted {mode}: {target}");
    }
}
