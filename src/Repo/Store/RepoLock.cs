using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Store;

/// <summary>
/// The repository's <c>.lock</c> file, held with flock(2) as ostree holds it: shared while
/// writing objects and refs, exclusive for prune and ref deletion; waits up to
/// <c>core.lock-timeout-secs</c>.
/// </summary>
public sealed class RepoLock : IDisposable
{
    private SafeFileHandle? _handle;

    private RepoLock(SafeFileHandle handle) => _handle = handle;

    public static RepoLock Acquire(string repoPath, bool exclusive, int timeoutSeconds)
    {
        var path = System.IO.Path.Combine(repoPath, RepoLayout.Lock);
        SafeFileHandle h;
        try
        {
            h = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (UnauthorizedAccessException)
        {
            // read-only repository: readers still work; writers fail later with a clear error
            h = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        var deadline = DateTime.UtcNow.AddSeconds(Math.Max(0, timeoutSeconds));
        while (!FileLock.TryLock(h, exclusive, path))
        {
            if (DateTime.UtcNow >= deadline)
            {
                h.Dispose();
                throw new RepoException($"Locking repo {(exclusive ? "exclusive" : "shared")} failed: timed out after {timeoutSeconds}s waiting for {path}");
            }
            Thread.Sleep(50);
        }
        return new RepoLock(h);
    }

    public void Dispose()
    {
        var h = Interlocked.Exchange(ref _handle, null);
        if (h is null) return;
        FileLock.Unlock(h);
        h.Dispose();
    }
}
