namespace Arbor.Repo.Native;

/// <summary>
/// The strerror text of a failed BCL file operation, so it can be worded as ostree words a failed
/// system call ("openat(config): Permission denied") instead of with the BCL's own sentences
/// ("Access to the path '…' is denied."). The BCL keeps errno as the HResult of the IOException
/// it raises, or of the one inside an UnauthorizedAccessException.
/// </summary>
public static class IoErrors
{
    public static string Describe(Exception e) => e switch
    {
        NativeIOException n => Errno.Describe(n.Errno),
        FileNotFoundException or DirectoryNotFoundException => Errno.Describe(Errno.ENOENT),
        UnauthorizedAccessException { InnerException: IOException { HResult: > 0 and < 4096 } inner } => Errno.Describe(inner.HResult),
        UnauthorizedAccessException => Errno.Describe(Errno.EACCES),
        IOException { HResult: > 0 and < 4096 } => Errno.Describe(e.HResult),
        _ => e.Message,
    };
}
