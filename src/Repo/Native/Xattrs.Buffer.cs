using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Native;

internal static unsafe partial class Xattrs
{
    /// <summary>
    /// fgetxattr into a caller's buffer in one call (a small value, e.g. user.ostreemeta, needs no
    /// size probe). Returns the value's length, -1 when the xattr is absent, or, when it does not
    /// fit, falls back to <see cref="Get(SafeFileHandle, ReadOnlySpan{byte}, string?)"/> through
    /// <paramref name="large"/>.
    /// </summary>
    public static int Get(SafeFileHandle handle, ReadOnlySpan<byte> nulTerminatedName, Span<byte> buffer, out byte[]? large, string? pathForErrors = null)
    {
        large = null;
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            fixed (byte* n = nulTerminatedName)
            fixed (byte* b = buffer)
            {
                nint got = fgetxattr((int)handle.DangerousGetHandle(), n, b, (nuint)buffer.Length);
                if (got >= 0) return (int)got;
                int e = Marshal.GetLastPInvokeError();
                if (IsUnsupported(e)) return -1;
                if (e != Errno.ERANGE) throw Errno.Error("fgetxattr", pathForErrors, e);
            }
        }
        finally { if (added) handle.DangerousRelease(); }
        large = Get(handle, nulTerminatedName[..^1], pathForErrors);
        return large?.Length ?? -1;
    }
}
