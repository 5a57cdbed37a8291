using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Native;

/// <summary>
/// Open-file-description locks (fcntl F_OFD_SETLK / F_OFD_SETLKW) on a whole file: the locks
/// ostree takes on a sysroot's <c>ostree/lock</c> and a repository's <c>.lock</c>, so arbor and
/// ostree exclude each other (flock and fcntl locks do not interact on Linux). Like flock locks they
/// belong to one open of the file, not to the process. A shared lock needs the file open for
/// reading, an exclusive one for writing. Own import: the struct form of fcntl.
/// </summary>
internal static unsafe partial class OfdLock
{
    private const int F_OFD_SETLK = 37, F_OFD_SETLKW = 38;
    private const short F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct FLock
    {
        public short l_type;
        public short l_whence;
        public long l_start;
        public long l_len;
        public int l_pid;
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int fcntl_lock(int fd, int cmd, FLock* lk);

    /// <summary>Takes an exclusive lock; false (when not waiting) if another open file description holds one.</summary>
    public static bool TryLockExclusive(SafeFileHandle handle, bool wait, string pathForErrors) =>
        Apply(handle, F_WRLCK, wait ? F_OFD_SETLKW : F_OFD_SETLK, pathForErrors);

    /// <summary>Takes a shared or exclusive lock; false (when not waiting) if another open file description holds a conflicting one.</summary>
    public static bool TryLock(SafeFileHandle handle, bool exclusive, bool wait, string pathForErrors) =>
        Apply(handle, exclusive ? F_WRLCK : F_RDLCK, wait ? F_OFD_SETLKW : F_OFD_SETLK, pathForErrors);

    public static void Unlock(SafeFileHandle handle, string pathForErrors) => Apply(handle, F_UNLCK, F_OFD_SETLK, pathForErrors);

    private static bool Apply(SafeFileHandle handle, short type, int cmd, string path)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var lk = new FLock { l_type = type, l_whence = 0, l_start = 0, l_len = 0 };
            while (true)
            {
                if (fcntl_lock((int)handle.DangerousGetHandle(), cmd, &lk) == 0) return true;
                int e = Marshal.GetLastPInvokeError();
                if (e == Errno.EINTR) continue;
                if (e is Errno.EAGAIN or Errno.EACCES) return false;
                throw Errno.Error("fcntl(F_OFD_SETLK)", path, e);
            }
        }
        finally { if (added) handle.DangerousRelease(); }
    }
}
