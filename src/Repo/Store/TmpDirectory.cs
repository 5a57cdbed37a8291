using Arbor.Repo.Native;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Store;

/// <summary>
/// The repository's <c>tmp/</c> as ostree 2022.7 manages it (ostree-repo.c, libglnx): a
/// transaction's staging directory <c>tmp/NAME</c> is owned by whoever holds an exclusive
/// open-file-description lock on <c>tmp/NAME-lock</c> (GLnxLockFile), so ostree and arbor see each
/// other's live staging directories. <see cref="Clean"/> is ostree's cleanup_tmpdir: directories
/// whose lock is free belong to a dead transaction; <c>staging-*</c> ones are removed (except
/// ostree's for the current boot, which ostree resumes), anything else once older than
/// <c>core.tmp-expiry-secs</c> (default a day). <c>cache</c> is left alone.
/// </summary>
public static class TmpDirectory
{
    private const string StagingPrefix = "staging-";
    private const string LockSuffix = "-lock";
    private const string ArborMarker = "arbor-";

    /// <summary>A directory of tmp/ and the lock that says it is in use.</summary>
    public sealed class Owned : IDisposable
    {
        private readonly SafeFileHandle _lock;
        private readonly string _lockPath;

        internal Owned(string path, string lockPath, SafeFileHandle handle)
        {
            Path = path;
            _lockPath = lockPath;
            _lock = handle;
        }

        public string Path { get; }

        /// <summary>Removes the lock file while still holding the lock (glnx_release_lock_file), then unlocks.</summary>
        public void Dispose()
        {
            try { File.Delete(_lockPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            _lock.Dispose();
        }
    }

    /// <summary>
    /// Creates and locks a new <c>staging-BOOTID-arbor-*</c> directory (lock first, so a cleaner never sees it unlocked):
    /// named for the boot as ostree names its own, and marked as arbor's, which no transaction resumes.
    /// </summary>
    public static Owned CreateStaging(string tmp)
    {
        while (true)
        {
            var path = System.IO.Path.Combine(tmp, StagingPrefix + BootId() + "-" + ArborMarker + TempName.Random());
            var owned = TryLock(path);
            if (owned is null) continue;
            try
            {
                Files.Mkdir(path, 0x1ED);
                return owned;
            }
            catch
            {
                owned.Dispose();
                throw;
            }
        }
    }

    /// <summary>The lock of <paramref name="path"/> (a tmp/ entry), or null when another transaction holds it.</summary>
    private static Owned? TryLock(string path)
    {
        var lockPath = path + LockSuffix;
        var h = OpenFile.OpenLockFile(lockPath);
        try
        {
            if (!OfdLock.TryLockExclusive(h, wait: false, lockPath)) { h.Dispose(); return null; }
        }
        catch
        {
            h.Dispose();
            throw;
        }
        return new Owned(path, lockPath, h);
    }

    /// <summary>
    /// ostree's cleanup_tmpdir: removes staging directories of dead transactions and expired
    /// entries; never one whose lock is held, nor <paramref name="keep"/>. Best effort: an entry
    /// that cannot be removed now is left for a later cleanup.
    /// </summary>
    public static void Clean(Repository repo, string? keep = null)
    {
        var tmp = repo.FullPath(RepoLayout.Tmp);
        if (!Directory.Exists(tmp)) return;
        long expiry = (long)repo.Config.TmpExpiry.TotalSeconds;
        string currentBoot = StagingPrefix + BootId() + "-";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var path in Directory.EnumerateFileSystemEntries(tmp).ToList())
        {
            var name = System.IO.Path.GetFileName(path);
            if (name == "cache" || path == keep) continue;
            if (keep is not null && path == keep + LockSuffix) continue;
            try
            {
                if (Files.TryLStat(path) is not { } st) continue;
                if (st.IsDirectory)
                {
                    using var owned = TryLock(path);
                    if (owned is null) continue; // a live transaction's (arbor's or ostree's)
                    // ostree resumes its own staging directories of this boot; arbor's are never resumed
                    if (name.StartsWith(currentBoot, StringComparison.Ordinal)
                        && !name.AsSpan(currentBoot.Length).StartsWith(ArborMarker, StringComparison.Ordinal)) continue;
                    if (name.StartsWith(StagingPrefix, StringComparison.Ordinal) || now - st.MtimeSeconds > expiry)
                        Directory.Delete(path, recursive: true);
                }
                else if (now - st.MtimeSeconds > expiry)
                {
                    if (name.EndsWith(LockSuffix, StringComparison.Ordinal))
                    {
                        // the lock file of a live transaction stays; a free one is removed by its release
                        using var owned = TryLock(path[..^LockSuffix.Length]);
                        continue;
                    }
                    File.Delete(path);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or NativeIOException) { }
        }
    }

    /// <summary>The boot ID staging directories are named for: <c>$OSTREE_BOOTID</c> when set, as ostree reads it, else the kernel's.</summary>
    private static string BootId()
    {
        if (Environment.GetEnvironmentVariable("OSTREE_BOOTID") is { } env) return env;
        try { return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(); }
        catch (IOException) { return ""; }
    }
}
