using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Arbor.Repo.Native;

/// <summary>futimens with nanoseconds (atime left alone): copies keep their source's mtime, as glnx_file_copy_at's do.</summary>
internal static unsafe class FileTimes
{
    private const long UTIME_OMIT = (1L << 30) - 2;

    public static void SetMtime(SafeFileHandle handle, long seconds, long nanoseconds, string? pathForErrors = null)
    {
        timespec* ts = stackalloc timespec[2];
        ts[0].tv_sec = (time_t)0L; ts[0].tv_nsec = (long_t)UTIME_OMIT;
        ts[1].tv_sec = (time_t)seconds; ts[1].tv_nsec = (long_t)nanoseconds;
        bool added = false;
        handle.DangerousAddRef(ref added);
        try { Errno.Check(futimens((int)handle.DangerousGetHandle(), ts), "futimens", pathForErrors); }
        finally { if (added) handle.DangerousRelease(); }
    }
}
