using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Store;

/// <summary>
/// The repository's <c>.lock</c> file, held with an open-file-description lock as ostree 2022.7
/// holds it (so the two tools exclude each other): shared while writing objects and refs,
/// exclusive for prune; waits up to <c>core.lock-timeout-secs</c>. With
/// <c>core.locking=false</c> nothing is locked.
/// </summary>
public sealed class RepoLock : IDisposable
{
    private SafeFileHandle? _handle;

    private readonly string _path;

    private RepoLock(SafeFileHandle? handle, string path)
    {
        _handle = handle;
        _path = path;
    }

    /// <summary>A lock that holds nothing (<c>core.locking=false</c>).</summary>
    public static RepoLock None(string repoPath) => new(null, repoPath);

    /// <summary>
    /// Takes the lock, retrying for <paramref name="timeoutSeconds"/> (a negative value waits for
    /// as long as it takes, as ostree's -1). A repository that cannot be written (its <c>.lock</c>
    /// cannot be opened for writing) is not locked, as ostree does not lock one.
    /// </summary>
    public static RepoLock Acquire(string repoPath, bool exclusive, int timeoutSeconds)
    {
        var path = System.IO.Path.Combine(repoPath, RepoLayout.Lock);
        SafeFileHandle h;
        // read-write as ostree opens it: an exclusive lock needs a file open for writing
        try { h = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete); }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException { HResult: Errno.EROFS })
        {
            // read-only repository: readers need no lock, writers fail later with a clear error
            return None(repoPath);
        }
        var deadline = timeoutSeconds < 0 ? DateTime.MaxValue : DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!TryLock(h, exclusive, path))
        {
            if (DateTime.UtcNow >= deadline)
            {
                h.Dispose();
                // ostree's words: the last try's EAGAIN
                throw new RepoException($"Locking repo {(exclusive ? "exclusive" : "shared")} failed: {Errno.Describe(Errno.EAGAIN)}");
            }
            Thread.Sleep(50);
        }
        return new RepoLock(h, path);
    }

    private static bool TryLock(SafeFileHandle h, bool exclusive, string path)
    {
        try { return OfdLock.TryLock(h, exclusive, wait: false, path); }
        catch
        {
            h.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        var h = Interlocked.Exchange(ref _handle, null);
        if (h is null) return;
        OfdLock.Unlock(h, _path);
        h.Dispose();
    }
}
