using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Native;

/// <summary>Extended attributes of an open file: every (name, value) pair at once.</summary>
internal static unsafe partial class Xattrs
{
    /// <summary>All (name, value) pairs of an open file, in the order the kernel lists them; empty when unsupported.</summary>
    public static List<(byte[] Name, byte[] Value)> GetAll(SafeFileHandle handle, string? pathForErrors = null)
    {
        var result = new List<(byte[], byte[])>();
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            foreach (var name in ListFd(fd, pathForErrors))
            {
                var value = Get(handle, name, pathForErrors);
                if (value is not null) result.Add((name, value));
            }
        }
        finally { if (added) handle.DangerousRelease(); }
        return result;
    }

    /// <summary>lgetxattr into a caller buffer without allocating: 0 and the length, or the errno
    /// (ERANGE when the value does not fit, ENODATA when absent). Both names are NUL-terminated.</summary>
    public static int TryGet(ReadOnlySpan<byte> pathZ, ReadOnlySpan<byte> nameZ, Span<byte> value, out int length)
    {
        if (pathZ.IsEmpty || pathZ[^1] != 0 || nameZ.IsEmpty || nameZ[^1] != 0)
            throw new ArgumentException("path and name must be NUL-terminated");
        fixed (byte* p = pathZ)
        fixed (byte* n = nameZ)
        fixed (byte* v = value)
        {
            nint got = lgetxattr(p, n, v, (nuint)value.Length);
            if (got < 0)
            {
                length = 0;
                return Marshal.GetLastPInvokeError();
            }
            length = (int)got;
            return 0;
        }
    }

    private static List<byte[]> ListFd(int fd, string? path)
    {
        for (int attempt = 0; attempt < 4; attempt++)
        {
            nint size = flistxattr(fd, null, 0);
            if (size < 0)
            {
                int e = Marshal.GetLastPInvokeError();
                if (IsUnsupported(e)) return [];
                throw Errno.Error("flistxattr", path, e);
            }
            if (size == 0) return [];
            var buf = new byte[size];
            fixed (byte* b = buf)
            {
                nint got = flistxattr(fd, b, (nuint)size);
                if (got < 0)
                {
                    int e = Marshal.GetLastPInvokeError();
                    if (e == Errno.ERANGE) continue;
                    throw Errno.Error("flistxattr", path, e);
                }
                return SplitNames(buf.AsSpan(0, (int)got));
            }
        }
        throw Errno.Error("flistxattr", path, Errno.ERANGE);
    }
}
