using System.Runtime.InteropServices;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Arbor.Repo.Native;

/// <summary>One directory entry as getdents64 reports it; <see cref="Name"/> is decoded with <see cref="Utf8Path.Decode"/>.</summary>
internal readonly record struct DirEntry(string Name, ulong Inode, byte Type)
{
    public const byte TypeUnknown = 0, TypeDirectory = 4;
}

/// <summary>
/// Directory listing through getdents64 (own import: Tmds.LibC 0.5.0 lacks it), in readdir order.
/// Unlike System.IO's enumeration, names that are not valid UTF-8 come back escaped
/// (<see cref="Utf8Path"/>) rather than replaced with U+FFFD, so they can be opened again.
/// </summary>
internal static unsafe partial class DirEntries
{
    [LibraryImport("libc", EntryPoint = "getdents64", SetLastError = true)]
    private static partial nint getdents64(int fd, byte* dirp, nuint count);

    /// <summary>The entries of <paramref name="path"/> (following a final symlink, as opendir does), without "." and "..".</summary>
    public static List<DirEntry> Read(string path)
    {
        int fd;
        fixed (byte* p = Utf8Path.Z(path))
            fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY, 0);
        if (fd < 0) throw Errno.Error("opendir", path, Errno.Last);
        try
        {
            var entries = new List<DirEntry>();
            const int BufSize = 32 * 1024;
            var buf = new byte[BufSize];
            fixed (byte* b = buf)
            {
                while (true)
                {
                    nint n = getdents64(fd, b, BufSize);
                    if (n < 0)
                    {
                        int e = Marshal.GetLastPInvokeError();
                        if (e == Errno.EINTR) continue;
                        throw Errno.Error("readdir", path, e);
                    }
                    if (n == 0) return entries;
                    for (int off = 0; off < n;)
                    {
                        // struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[]
                        ulong ino = *(ulong*)(b + off);
                        ushort reclen = *(ushort*)(b + off + 16);
                        byte type = b[off + 18];
                        var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(b + off + 19);
                        if (!IsDotOrDotDot(name)) entries.Add(new DirEntry(Utf8Path.Decode(name), ino, type));
                        off += reclen;
                    }
                }
            }
        }
        finally { close(fd); }
    }

    private static bool IsDotOrDotDot(ReadOnlySpan<byte> name) =>
        name.Length > 0 && name.Length <= 2 && name[0] == '.' && (name.Length == 1 || name[1] == '.');
}
