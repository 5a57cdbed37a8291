using Arbor.Deploy.IO;

namespace Arbor.Deploy.Operations;

/// <summary>What <c>admin finalize-staged</c> did.</summary>
public enum FinalizeOutcome
{
    /// <summary>No staged deployment (the state file is absent).</summary>
    NothingStaged,

    /// <summary><c>/run/ostree/staged-deployment-locked</c> exists: left staged.</summary>
    Locked,

    /// <summary>The staged deployment was merged, sealed and written first in the boot configuration.</summary>
    Finalized,
}

/// <summary>
/// <c>admin finalize-staged</c> (sysroot.md §9), run by the finalize unit when the system shuts
/// down: unless finalization is locked, the state file is removed (a staged deployment is tried
/// once), the /etc merge runs against the merge deployment's /etc as it is now, the deployment is
/// sealed and written as the new default (the same list rule as <c>deploy</c>, without repo
/// prune), and what the boot configuration no longer uses is cleaned up. A failure is also
/// written to <c>boot/ostree/finalize-failure.stamp</c> for the next boot to report.
/// </summary>
public static class FinalizeStagedOperation
{
    public const string FailureStamp = "boot/ostree/finalize-failure.stamp";

    public static FinalizeOutcome Run(Sysroot sysroot, Action<string>? journal = null, Action? onLockWait = null, Action<string>? notes = null)
    {
        try { return RunInner(sysroot, journal, onLockWait, notes); }
        catch (DeployException e)
        {
            WriteFailureStamp(sysroot, e.Message);
            throw;
        }
    }

    private static FinalizeOutcome RunInner(Sysroot sysroot, Action<string>? journal, Action? onLockWait, Action<string>? notes)
    {
        using var l = sysroot.Lock(onLockWait);
        var set = sysroot.Load();
        if (set.Staged is not { } staged) return FinalizeOutcome.NothingStaged;
        var options = sysroot.Options;
        if (File.Exists(options.StagedLockedPath)) return FinalizeOutcome.Locked;

        var state = set.StagedState!;
        try { File.Delete(options.StagedDeploymentPath); }
        catch (IOException e) { throw new DeployException($"Removing {options.StagedDeploymentPath}: {e.Message}", e); }
        CrashPoint.Hit(CrashPoint.Names.StagedStateRemoved);

        // from here on the staged deployment is an ordinary new one
        var rest = set.Deployments.Skip(1).Select((d, i) => d with { Index = i }).ToList();
        var unstaged = new DeploymentSet(set.BootVersion, rest, rest.FirstOrDefault(d => d.SameAs(set.Booted)), staged: null, set.RootIsBooted);
        Deployment? merge = null;
        if (state.Merge is { } m)
            merge = rest.FirstOrDefault(m.Names)
                ?? throw new DeployException($"Failed to find merge deployment {m.Name} for staged");

        if (!Directory.Exists(sysroot.DeploymentPath(staged)))
            throw new DeployException($"Staged deployment {staged.Name} is missing from {SysrootLayout.StaterootDeployDir(staged.Stateroot)}");
        var finalized = DeployOperation.FinalizeDeployment(sysroot, unstaged, staged with { IsStaged = false, Index = -1 }, merge, journal, notes);

        var list = DeploymentList.AddDeployment(unstaged, finalized.Stateroot, finalized, merge);
        var result = WriteDeployments.Run(sysroot, unstaged, list, journal, cleanup: false);
        Cleanup.Run(sysroot, result?.Deployments ?? sysroot.Load());
        return FinalizeOutcome.Finalized;
    }

    /// <summary>Opens the sysroot's /boot and keeps it open until disposed (<c>finalize-staged --hold</c>).</summary>
    public static IDisposable HoldBoot(Sysroot sysroot)
    {
        var boot = sysroot.FullPath(SysrootLayout.Boot);
        try { return Arbor.Repo.Native.AtFiles.OpenDirectory(boot); }
        catch (IOException e) { throw new DeployException($"Opening /boot directory: {e.Message}", e); }
    }

    private static void WriteFailureStamp(Sysroot sysroot, string message)
    {
        try
        {
            var path = sysroot.FullPath(FailureStamp);
            FsUtil.EnsureDirectory(Path.GetDirectoryName(path)!);
            FsUtil.ReplaceFile(path, message, fsync: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
