using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Native;

/// <summary>flock(2) on an open file: shared or exclusive, blocking with a timeout.</summary>
internal static partial class FileLock
{
    public const int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int flock(int fd, int operation);

    /// <summary>Tries once without blocking; false when another process holds a conflicting lock.</summary>
    public static bool TryLock(SafeFileHandle handle, bool exclusive, string pathForErrors)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (flock((int)handle.DangerousGetHandle(), (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0) return true;
            int e = Marshal.GetLastPInvokeError();
            if (e == Errno.EAGAIN || e == Errno.EINTR) return false;
            throw Errno.Error("flock", pathForErrors, e);
        }
        finally { if (added) handle.DangerousRelease(); }
    }

    public static void Unlock(SafeFileHandle handle)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try { flock((int)handle.DangerousGetHandle(), LOCK_UN); }
        finally { if (added) handle.DangerousRelease(); }
    }
}
