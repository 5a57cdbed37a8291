using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Native;

/// <summary>copy_file_range with a read/write fallback (own import: not in Tmds.LibC 0.5.0).</summary>
internal static unsafe partial class CopyRange
{
    [LibraryImport("libc", SetLastError = true)]
    private static partial nint copy_file_range(int fdIn, long* offIn, int fdOut, long* offOut, nuint len, uint flags);

    /// <summary>Copies all of <paramref name="source"/> (from offset 0) to <paramref name="destination"/> (from offset 0).</summary>
    public static void CopyAll(SafeFileHandle source, SafeFileHandle destination, long length, string? pathForErrors = null)
    {
        bool a = false, b = false;
        source.DangerousAddRef(ref a);
        destination.DangerousAddRef(ref b);
        try
        {
            int fdIn = (int)source.DangerousGetHandle(), fdOut = (int)destination.DangerousGetHandle();
            long offIn = 0, offOut = 0;
            while (offIn < length)
            {
                nint n = copy_file_range(fdIn, &offIn, fdOut, &offOut, (nuint)Math.Min(length - offIn, 1L << 30), 0);
                if (n > 0) continue;
                if (n == 0) break;
                int e = Marshal.GetLastPInvokeError();
                if (e is Errno.EXDEV or Errno.EINVAL or Errno.ENOSYS or Errno.EOPNOTSUPP or Errno.EPERM)
                {
                    Fallback(source, destination, offIn, length, pathForErrors);
                    return;
                }
                throw Errno.Error("copy_file_range", pathForErrors, e);
            }
        }
        finally
        {
            if (a) source.DangerousRelease();
            if (b) destination.DangerousRelease();
        }
    }

    private static void Fallback(SafeFileHandle source, SafeFileHandle destination, long offset, long length, string? path)
    {
        var buf = System.Buffers.ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            while (offset < length)
            {
                int n = RandomAccess.Read(source, buf.AsSpan(0, (int)Math.Min(buf.Length, length - offset)), offset);
                if (n <= 0) break;
                RandomAccess.Write(destination, buf.AsSpan(0, n), offset);
                offset += n;
            }
        }
        finally { System.Buffers.ArrayPool<byte>.Shared.Return(buf); }
    }
}
