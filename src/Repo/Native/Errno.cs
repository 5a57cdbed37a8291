using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Arbor.Repo.Native;

/// <summary>errno → exception, in one place (the CheckIo model): every wrapper funnels through here.</summary>
internal static class Errno
{
    public const int EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, EBADF = 9, EAGAIN = 11, ENOMEM = 12, EACCES = 13,
        EBUSY = 16, EEXIST = 17, EXDEV = 18, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENOTTY = 25, ENOSPC = 28,
        EROFS = 30, EMLINK = 31, ERANGE = 34, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENODATA = 61,
        EOPNOTSUPP = 95, EDQUOT = 122;

    public static int Last => LibC.errno;

    /// <summary>Throws for rc &lt; 0 with the current errno; returns rc otherwise.</summary>
    public static int Check(int rc, string operation, string? path)
    {
        if (rc < 0) throw new NativeIOException(operation, path, LibC.errno);
        return rc;
    }

    public static long Check(long rc, string operation, string? path)
    {
        if (rc < 0) throw new NativeIOException(operation, path, LibC.errno);
        return rc;
    }

    public static NativeIOException Error(string operation, string? path, int errno) => new(operation, path, errno);

    public static string Describe(int errno) => errno switch
    {
        EPERM => "Operation not permitted",
        ENOENT => "No such file or directory",
        EIO => "Input/output error",
        EACCES => "Permission denied",
        EBUSY => "Device or resource busy",
        EEXIST => "File exists",
        EXDEV => "Invalid cross-device link",
        ENOTDIR => "Not a directory",
        EISDIR => "Is a directory",
        EINVAL => "Invalid argument",
        ENOSPC => "No space left on device",
        EROFS => "Read-only file system",
        EMLINK => "Too many links",
        ENOTEMPTY => "Directory not empty",
        ELOOP => "Too many levels of symbolic links",
        ENODATA => "No data available",
        EOPNOTSUPP => "Operation not supported",
        EDQUOT => "Disk quota exceeded",
        _ => Marshal.GetPInvokeErrorMessage(errno),
    };
}
