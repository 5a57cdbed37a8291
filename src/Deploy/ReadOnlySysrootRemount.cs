using Arbor.Repo.Native;

namespace Arbor.Deploy;

/// <summary>
/// A booted system whose <c>/sysroot</c> (and maybe <c>/boot</c>) is mounted read-only
/// (<c>sysroot.readonly</c>) is still updated as ostree 2022.7 updates it: the command moves into a
/// mount namespace of its own and remounts them read-write there, so that the rest of the system
/// keeps seeing them read-only. <see cref="BeforeSysrootLock"/> is ostree's
/// ostree_sysroot_initialize_with_mount_namespace plus _ostree_sysroot_ensure_writable (the admin
/// commands that lock the sysroot), <see cref="BeforeSystemRepoOpen"/> its repo commands' remount of
/// a system repository that is not writable. Nothing happens unless running as root on the booted
/// system with something to remount.
/// </summary>
public static class ReadOnlySysrootRemount
{
    /// <summary>Set in the environment of the re-executed command: it is in its own mount namespace already.</summary>
    public const string PrivateNamespaceVariable = "ARBOR_PRIVATE_MOUNT_NAMESPACE";

    /// <summary>
    /// Runs the command again in a private mount namespace (never returns); set by the
    /// <c>arbor</c> executable. A mount namespace is per thread, so a process with threads
    /// cannot move itself: it starts over from one thread.
    /// </summary>
    public static Action? Reexec { get; set; }

    /// <summary>execve(<paramref name="argv"/>) in a new mount namespace, marked with <see cref="PrivateNamespaceVariable"/>.</summary>
    public static void ReexecInPrivateNamespace(IReadOnlyList<string> argv) =>
        Namespaces.ReexecInPrivateMountNamespace(argv, new Dictionary<string, string> { [PrivateNamespaceVariable] = "1" });

    public static void BeforeSysrootLock(Sysroot sysroot)
    {
        if (!sysroot.Options.RemountReadOnlySysroot || !Environment.IsPrivilegedProcess || !sysroot.IsRunningRoot()) return;
        var root = sysroot.Options.RootPath;
        var readOnly = new[] { "/sysroot", "/boot" }.Where(p => IsReadOnly(Path.Join(root, p))).ToList();
        if (readOnly.Count == 0) return;
        EnterPrivateNamespace("Initializing with mountns: ");
        foreach (var p in readOnly) Remount(Path.Join(root, p), p, MountFlags.Remount | MountFlags.RelativeAtime, "");
    }

    /// <summary>
    /// Before a repository command opens <paramref name="repoPath"/>: when it is the booted system's
    /// repository and cannot be written, <c>/sysroot</c> is remounted read-write in a private namespace.
    /// </summary>
    public static void BeforeSystemRepoOpen(SysrootOptions options, string repoPath)
    {
        if (!options.RemountReadOnlySysroot || !Environment.IsPrivilegedProcess) return;
        if (!options.BootedFlagExists) return;
        var repo = Files.TryStat(repoPath);
        if (repo is null || !IsSystemRepo(options.RootPath, repo.Value) || !IsReadOnly(repoPath)) return;
        EnterPrivateNamespace("");
        Remount(Path.Join(options.RootPath, "/sysroot"), "/sysroot", MountFlags.Remount | MountFlags.Silent, null);
    }

    private static bool IsSystemRepo(string root, FileStatus repo)
    {
        foreach (var candidate in new[] { "/ostree/repo", "/sysroot/ostree/repo" })
            if (Files.TryStat(Path.Join(root, candidate)) is { } s && s.SameFileAs(repo)) return true;
        return false;
    }

    private static bool IsReadOnly(string path)
    {
        try { return FsStat.Get(path).ReadOnly; }
        catch (NativeIOException e) when (e.Errno == Errno.ENOENT) { return false; }
        catch (NativeIOException e) { throw new DeployException($"statvfs({path}): {Errno.Describe(e.Errno)}", e); }
    }

    /// <summary>
    /// As ostree: a process in the same mount namespace as PID 1 leaves it (here by re-executing);
    /// one already elsewhere (a service with private mounts, a re-executed arbor) remounts where it is.
    /// </summary>
    private static void EnterPrivateNamespace(string errorPrefix)
    {
        if (Environment.GetEnvironmentVariable(PrivateNamespaceVariable) is not null) return;
        string init, self;
        try
        {
            init = Namespaces.MountNamespaceOf("1");
            self = Namespaces.MountNamespaceOf("self");
        }
        catch (NativeIOException e) { throw new DeployException($"{errorPrefix}Reading {e.PathName}: {Errno.Describe(e.Errno)}", e); }
        if (init != self) return;
        if (Reexec is null) throw new DeployException($"{errorPrefix}a private mount namespace needs the arbor executable");
        try { Reexec(); }
        catch (NativeIOException e) { throw new DeployException($"{errorPrefix}Failed to invoke {e.Operation}: {Errno.Describe(e.Errno)}", e); }
    }

    private static void Remount(string path, string shownPath, MountFlags flags, string? data)
    {
        try { Mount.Run(path, path, null, flags, data); }
        catch (NativeIOException e) { throw new DeployException($"Remounting {shownPath} read-write: {Errno.Describe(e.Errno)}", e); }
    }
}
