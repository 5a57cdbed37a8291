using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Store;

namespace Arbor.Deploy;

/// <summary>Where the running system's state lives; tests point these at scratch directories.</summary>
public sealed record SysrootOptions
{
    /// <summary>The directory the running system calls "/" (booted detection compares the sysroot with it).</summary>
    public string RootPath { get; init; } = "/";

    /// <summary>The run directory holding <c>ostree-booted</c> and <c>ostree/deployment-state</c>.</summary>
    public string RunDirectory { get; init; } = "/run";

    /// <summary>
    /// Whether locking the booted sysroot remounts a read-only <c>/sysroot</c> and <c>/boot</c>
    /// read-write in a private mount namespace (<see cref="ReadOnlySysrootRemount"/>); the
    /// <c>admin</c> commands set it, as ostree's do.
    /// </summary>
    public bool RemountReadOnlySysroot { get; init; }

    /// <summary>ostree's debug switches (<c>$OSTREE_SYSROOT_DEBUG</c>, <c>$OSTREE_SYSROOT_OPTS</c>).</summary>
    public SysrootDebug Debug { get; init; } = SysrootDebug.FromEnvironment();

    public static SysrootOptions Default { get; } = new();

    public string BootedFlagPath => Path.Join(RunDirectory, "ostree-booted");

    /// <summary>Whether <c>/run/ostree-booted</c> exists: the running system was booted through ostree.</summary>
    public bool BootedFlagExists => Path.Exists(BootedFlagPath);
    public string DeploymentStateDir => Path.Join(RunDirectory, "ostree", "deployment-state");

    /// <summary><c>/run/ostree/staged-deployment</c>: the staged deployment waiting for <c>admin finalize-staged</c> (sysroot.md §9).</summary>
    public string StagedDeploymentPath => Path.Join(RunDirectory, "ostree", "staged-deployment");

    /// <summary><c>/run/ostree/staged-deployment-locked</c>: while it exists, finalization at shutdown is skipped.</summary>
    public string StagedLockedPath => Path.Join(RunDirectory, "ostree", "staged-deployment-locked");

    /// <summary><c>/run/ostree/staged-initrds</c>: overlay initrds by checksum, copied into /boot when an entry uses them.</summary>
    public string StagedInitrdsDir => Path.Join(RunDirectory, "ostree", "staged-initrds");
}

/// <summary>
/// A physical root holding <c>ostree/</c> and <c>boot/</c>, opened at any directory (never
/// assumed to be "/"): a thin facade over the layout, the system repository, the lock and the
/// deployment list.
/// </summary>
public sealed class Sysroot
{
    private Repository? _repo;

    private Sysroot(string path, SysrootOptions options)
    {
        Path = path;
        Options = options;
    }

    public string Path { get; }
    public SysrootOptions Options { get; }

    /// <summary>Opens a sysroot directory (it need not be initialized yet).</summary>
    public static Sysroot Open(string path, SysrootOptions? options = null)
    {
        if (!Directory.Exists(path)) throw new DeployException($"opendir({path}): No such file or directory");
        return new Sysroot(System.IO.Path.GetFullPath(path), options ?? SysrootOptions.Default);
    }

    public string FullPath(string relative) => SysrootLayout.Full(Path, relative);

    public string DeploymentPath(Deployment d) => FullPath(d.RelativePath);

    /// <summary>The system repository <c>ostree/repo</c>.</summary>
    public Repository Repo => _repo ??= OpenRepo();

    private Repository OpenRepo()
    {
        var path = FullPath(SysrootLayout.Repo);
        if (!Directory.Exists(path)) throw new DeployException($"loading sysroot: opendir({SysrootLayout.Repo}): No such file or directory");
        Repository repo;
        try { repo = Repository.Open(path); }
        catch (RepoException e) { throw new DeployException($"loading sysroot: {e.Message}", e); }
        // ostree checks the [sysroot] settings when it opens the repo
        try { BootLoader.BootLoaderConfig.Read(repo); }
        catch (DeployException e) { throw new DeployException($"loading sysroot: opening repo: {e.Message}", e); }
        return repo;
    }

    /// <summary>Reads the deployment list from the boot loader entries (sysroot.md §2).</summary>
    public DeploymentSet Load()
    {
        _ = Repo;
        if (!Directory.Exists(FullPath(SysrootLayout.Deploy)))
            throw new DeployException($"loading sysroot: fstatat({SysrootLayout.Deploy}): No such file or directory");
        try { return SysrootLoader.Load(this); }
        catch (DeployException e) when (!e.Message.StartsWith("loading sysroot: ", StringComparison.Ordinal))
        {
            throw new DeployException("loading sysroot: " + e.Message, e);
        }
    }

    /// <summary>Takes <c>ostree/lock</c>; <paramref name="onWait"/> is told once when another process holds it.</summary>
    public SysrootLock Lock(Action? onWait = null)
    {
        ReadOnlySysrootRemount.BeforeSysrootLock(this);
        return SysrootLock.Acquire(Path, onWait);
    }

    /// <summary>True when the run directory says ostree booted and this sysroot is the running "/".</summary>
    public bool IsRunningRoot()
    {
        if (!Options.BootedFlagExists) return false;
        var root = Files.TryStat(Options.RootPath);
        var self = Files.TryStat(Path);
        return root is not null && self is not null && root.Value.SameFileAs(self.Value);
    }
}
