using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Native;

/// <summary>Extended attributes without following symlinks (own imports: Tmds.LibC 0.5.0 lacks them).</summary>
internal static unsafe partial class Xattrs
{
    [LibraryImport("libc", SetLastError = true)] private static partial nint llistxattr(byte* path, byte* list, nuint size);
    [LibraryImport("libc", SetLastError = true)] private static partial nint lgetxattr(byte* path, byte* name, byte* value, nuint size);
    [LibraryImport("libc", SetLastError = true)] private static partial int lsetxattr(byte* path, byte* name, byte* value, nuint size, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial int lremovexattr(byte* path, byte* name);
    [LibraryImport("libc", SetLastError = true)] private static partial int fsetxattr(int fd, byte* name, byte* value, nuint size, int flags);
    [LibraryImport("libc", SetLastError = true)] private static partial nint fgetxattr(int fd, byte* name, byte* value, nuint size);
    [LibraryImport("libc", SetLastError = true)] private static partial nint flistxattr(int fd, byte* list, nuint size);

    private static bool IsUnsupported(int e) => e == Errno.EOPNOTSUPP || e == Errno.ENODATA;

    /// <summary>Names of the xattrs of a path (not following symlinks); empty when unsupported.</summary>
    public static List<byte[]> List(string path)
    {
        var p = Utf8Path.Z(path);
        fixed (byte* pp = p)
        {
            for (int attempt = 0; attempt < 4; attempt++)
            {
                nint size = llistxattr(pp, null, 0);
                if (size < 0)
                {
                    int e = Marshal.GetLastPInvokeError();
                    if (IsUnsupported(e)) return [];
                    throw Errno.Error("llistxattr", path, e);
                }
                if (size == 0) return [];
                var buf = new byte[size];
                fixed (byte* b = buf)
                {
                    nint got = llistxattr(pp, b, (nuint)size);
                    if (got < 0)
                    {
                        int e = Marshal.GetLastPInvokeError();
                        if (e == Errno.ERANGE) continue;
                        throw Errno.Error("llistxattr", path, e);
                    }
                    return SplitNames(buf.AsSpan(0, (int)got));
                }
            }
        }
        throw Errno.Error("llistxattr", path, Errno.ERANGE);
    }

    private static List<byte[]> SplitNames(ReadOnlySpan<byte> list)
    {
        var names = new List<byte[]>();
        while (!list.IsEmpty)
        {
            int nul = list.IndexOf((byte)0);
            if (nul < 0) nul = list.Length;
            if (nul > 0) names.Add(list[..nul].ToArray());
            list = nul < list.Length ? list[(nul + 1)..] : default;
        }
        return names;
    }

    /// <summary>The value of one xattr, or null when absent.</summary>
    public static byte[]? Get(string path, ReadOnlySpan<byte> name)
    {
        var p = Utf8Path.Z(path);
        var n = Utf8Path.Z(name);
        fixed (byte* pp = p)
        fixed (byte* nn = n)
        {
            for (int attempt = 0; attempt < 4; attempt++)
            {
                nint size = lgetxattr(pp, nn, null, 0);
                if (size < 0)
                {
                    int e = Marshal.GetLastPInvokeError();
                    if (IsUnsupported(e)) return null;
                    throw Errno.Error("lgetxattr", path, e);
                }
                var buf = new byte[size];
                fixed (byte* b = buf)
                {
                    nint got = lgetxattr(pp, nn, b, (nuint)size);
                    if (got < 0)
                    {
                        int e = Marshal.GetLastPInvokeError();
                        if (e == Errno.ERANGE) continue;
                        if (IsUnsupported(e)) return null;
                        throw Errno.Error("lgetxattr", path, e);
                    }
                    return got == size ? buf : buf[..(int)got];
                }
            }
        }
        throw Errno.Error("lgetxattr", path, Errno.ERANGE);
    }

    public static byte[]? Get(string path, string name) => Get(path, Encoding.UTF8.GetBytes(name));

    /// <summary>All (name, value) pairs of a path, in the order the kernel lists them.</summary>
    public static List<(byte[] Name, byte[] Value)> GetAll(string path)
    {
        var result = new List<(byte[], byte[])>();
        foreach (var name in List(path))
        {
            var v = Get(path, name);
            if (v is not null) result.Add((name, v));
        }
        return result;
    }

    public static void Set(string path, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var p = Utf8Path.Z(path);
        var n = Utf8Path.Z(name);
        fixed (byte* pp = p)
        fixed (byte* nn = n)
        fixed (byte* v = value)
        {
            if (lsetxattr(pp, nn, v, (nuint)value.Length, 0) != 0)
                throw Errno.Error($"lsetxattr {Encoding.UTF8.GetString(name)}", path, Marshal.GetLastPInvokeError());
        }
    }

    public static void Set(SafeFileHandle handle, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value, string? pathForErrors = null)
    {
        var n = Utf8Path.Z(name);
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            fixed (byte* nn = n)
            fixed (byte* v = value)
            {
                if (fsetxattr((int)handle.DangerousGetHandle(), nn, v, (nuint)value.Length, 0) != 0)
                    throw Errno.Error($"fsetxattr {Encoding.UTF8.GetString(name)}", pathForErrors, Marshal.GetLastPInvokeError());
            }
        }
        finally { if (added) handle.DangerousRelease(); }
    }

    public static byte[]? Get(SafeFileHandle handle, ReadOnlySpan<byte> name, string? pathForErrors = null)
    {
        var n = Utf8Path.Z(name);
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            fixed (byte* nn = n)
            {
                for (int attempt = 0; attempt < 4; attempt++)
                {
                    nint size = fgetxattr(fd, nn, null, 0);
                    if (size < 0)
                    {
                        int e = Marshal.GetLastPInvokeError();
                        if (IsUnsupported(e)) return null;
                        throw Errno.Error("fgetxattr", pathForErrors, e);
                    }
                    var buf = new byte[size];
                    fixed (byte* b = buf)
                    {
                        nint got = fgetxattr(fd, nn, b, (nuint)size);
                        if (got < 0)
                        {
                            int e = Marshal.GetLastPInvokeError();
                            if (e == Errno.ERANGE) continue;
                            throw Errno.Error("fgetxattr", pathForErrors, e);
                        }
                        return got == size ? buf : buf[..(int)got];
                    }
                }
            }
        }
        finally { if (added) handle.DangerousRelease(); }
        throw Errno.Error("fgetxattr", pathForErrors, Errno.ERANGE);
    }

    public static void Remove(string path, ReadOnlySpan<byte> name)
    {
        var p = Utf8Path.Z(path);
        var n = Utf8Path.Z(name);
        fixed (byte* pp = p)
        fixed (byte* nn = n)
        {
            if (lremovexattr(pp, nn) != 0)
            {
                int e = Marshal.GetLastPInvokeError();
                if (e != Errno.ENODATA) throw Errno.Error("lremovexattr", path, e);
            }
        }
    }
}
