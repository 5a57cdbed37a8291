using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Arbor.Repo.Native;

/// <summary>
/// Directory-relative (<c>*at</c>) file operations for tree walks such as checkouts. A directory is
/// held as a <see cref="SafeFileHandle"/> over an <c>O_DIRECTORY</c> fd (null means the current
/// directory), so <see cref="Files.FChmod"/>, <see cref="Files.FChown"/>, <see cref="Xattrs"/> and
/// <see cref="Sync"/> work on it too. Names are single path components, passed as NUL-terminated
/// UTF-8 so the hot path allocates nothing. The <c>Try*</c> methods return 0 or the errno, because
/// callers branch on EEXIST, EXDEV, EMLINK and ENOENT.
/// </summary>
internal static unsafe partial class AtFiles
{
    private const int AtFdCwd = -100;
    private static readonly int ReadFlags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
    private static readonly int CreateFlags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static partial int renameat2(int olddirfd, byte* oldpath, int newdirfd, byte* newpath, uint flags);

    /// <summary>Opens a directory by path (following symlinks, as opendir does).</summary>
    public static SafeFileHandle OpenDirectory(string path)
    {
        int fd;
        fixed (byte* p = Utf8Path.Z(path))
            fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY, 0);
        if (fd < 0) throw Errno.Error("opendir", path, Errno.Last);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public static int TryOpenDirectoryAt(SafeFileHandle? dir, ReadOnlySpan<byte> nameZ, bool followSymlinks, out SafeFileHandle? handle)
    {
        int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY | (followSymlinks ? 0 : O_NOFOLLOW);
        return TryOpen(dir, nameZ, flags, 0, out handle);
    }

    /// <summary>Opens an existing file read-only without following a final symlink.</summary>
    public static int TryOpenForRead(SafeFileHandle? dir, ReadOnlySpan<byte> nameZ, out SafeFileHandle? handle) =>
        TryOpen(dir, nameZ, ReadFlags, 0, out handle);

    /// <summary>Creates a new regular file (O_EXCL, never through a symlink) open for writing.</summary>
    public static int TryCreateExclusive(SafeFileHandle? dir, ReadOnlySpan<byte> nameZ, uint mode, out SafeFileHandle? handle) =>
        TryOpen(dir, nameZ, CreateFlags, mode, out handle);

    private static int TryOpen(SafeFileHandle? dir, ReadOnlySpan<byte> nameZ, int flags, uint mode, out SafeFileHandle? handle)
    {
        CheckZ(nameZ);
        using var d = new FdLease(dir);
        int fd;
        fixed (byte* n = nameZ)
            fd = openat(d.Fd, n, flags, (mode_t)mode);
        if (fd < 0)
        {
            handle = null;
            return Errno.Last;
        }
        handle = new SafeFileHandle(fd, ownsHandle: true);
        return 0;
    }

    public static int TryMkdirAt(SafeFileHandle? dir, ReadOnlySpan<byte> nameZ, uint mode)
    {
        CheckZ(nameZ);
        using var d = new FdLease(dir);
        fixed (byte* n = nameZ)
            return mkdirat(d.Fd, n, (mode_t)mode) == 0 ? 0 : Errno.Last;
    }

    /// <summary>fstatat; <paramref name="follow"/> false stats a symlink itself.</summary>
    public static int TryStatAt(SafeFileHandle? dir, ReadOnlySpan<byte> nameZ, bool follow, out FileStatus status)
    {
        CheckZ(nameZ);
        using var d = new FdLease(dir);
        stat st;
        int rc;
        fixed (byte* n = nameZ)
            rc = fstatat(d.Fd, n, &st, follow ? 0 : AT_SYMLINK_NOFOLLOW);
        if (rc != 0)
        {
            status = default;
            return Errno.Last;
        }
        status = new FileStatus((ulong)st.st_dev, (ulong)st.st_ino, (uint)st.st_mode, (uint)st.st_uid, (uint)st.st_gid,
            (ulong)st.st_nlink, (long)st.st_size, (ulong)st.st_rdev, (long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
        return 0;
    }

    /// <summary>linkat without following symlinks: a symlink source is linked itself.</summary>
    public static int TryLinkAt(SafeFileHandle? sourceDir, ReadOnlySpan<byte> sourceZ, SafeFileHandle? targetDir, ReadOnlySpan<byte> targetZ)
    {
        CheckZ(sourceZ);
        CheckZ(targetZ);
        using var s = new FdLease(sourceDir);
        using var t = new FdLease(targetDir);
        fixed (byte* a = sourceZ)
        fixed (byte* b = targetZ)
            return linkat(s.Fd, a, t.Fd, b, 0) == 0 ? 0 : Errno.Last;
    }

    public static int TrySymlinkAt(ReadOnlySpan<byte> targetZ, SafeFileHandle? dir, ReadOnlySpan<byte> nameZ)
    {
        CheckZ(targetZ);
        CheckZ(nameZ);
        using var d = new FdLease(dir);
        fixed (byte* t = targetZ)
        fixed (byte* n = nameZ)
            return symlinkat(t, d.Fd, n) == 0 ? 0 : Errno.Last;
    }

    /// <summary>fchownat with AT_SYMLINK_NOFOLLOW (lchown relative to a directory).</summary>
    public static int TryChownAt(SafeFileHandle? dir, ReadOnlySpan<byte> nameZ, uint uid, uint gid)
    {
        CheckZ(nameZ);
        using var d = new FdLease(dir);
        fixed (byte* n = nameZ)
            return fchownat(d.Fd, n, uid, gid, AT_SYMLINK_NOFOLLOW) == 0 ? 0 : Errno.Last;
    }

    public static int TryChmodAt(SafeFileHandle? dir, ReadOnlySpan<byte> nameZ, uint mode)
    {
        CheckZ(nameZ);
        using var d = new FdLease(dir);
        fixed (byte* n = nameZ)
            return fchmodat(d.Fd, n, (mode_t)mode, 0) == 0 ? 0 : Errno.Last;
    }

    /// <summary>mknodat (overlayfs whiteouts are character devices 0:0).</summary>
    public static int TryMknodAt(SafeFileHandle? dir, ReadOnlySpan<byte> nameZ, uint mode, ulong device)
    {
        CheckZ(nameZ);
        using var d = new FdLease(dir);
        fixed (byte* n = nameZ)
            return mknodat(d.Fd, n, (mode_t)mode, (dev_t)device) == 0 ? 0 : Errno.Last;
    }

    public static int TryUnlinkAt(SafeFileHandle? dir, ReadOnlySpan<byte> nameZ, bool directory)
    {
        CheckZ(nameZ);
        using var d = new FdLease(dir);
        fixed (byte* n = nameZ)
            return unlinkat(d.Fd, n, directory ? AT_REMOVEDIR : 0) == 0 ? 0 : Errno.Last;
    }

    /// <summary>renameat2; <paramref name="flags"/> takes <see cref="Rename.NoReplace"/> or <see cref="Rename.Exchange"/>.</summary>
    public static int TryRenameAt(SafeFileHandle? fromDir, ReadOnlySpan<byte> fromZ, SafeFileHandle? toDir, ReadOnlySpan<byte> toZ, uint flags)
    {
        CheckZ(fromZ);
        CheckZ(toZ);
        using var f = new FdLease(fromDir);
        using var t = new FdLease(toDir);
        fixed (byte* a = fromZ)
        fixed (byte* b = toZ)
            return renameat2(f.Fd, a, t.Fd, b, flags) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>readlinkat: the raw target bytes (no terminator).</summary>
    public static int TryReadLinkAt(SafeFileHandle? dir, ReadOnlySpan<byte> nameZ, out byte[] target)
    {
        CheckZ(nameZ);
        using var d = new FdLease(dir);
        const int Max = 4096; // PATH_MAX: Linux refuses longer symlink targets
        byte* buf = stackalloc byte[Max];
        long n;
        fixed (byte* p = nameZ)
            n = (long)readlinkat(d.Fd, p, buf, Max);
        if (n < 0)
        {
            target = [];
            return Errno.Last;
        }
        target = new ReadOnlySpan<byte>(buf, (int)n).ToArray();
        return 0;
    }

    private static void CheckZ(ReadOnlySpan<byte> nameZ)
    {
        if (nameZ.Length < 2 || nameZ[^1] != 0)
            throw new ArgumentException("a name must be non-empty and NUL-terminated", nameof(nameZ));
    }

    /// <summary>Keeps a handle alive while its fd is in use; a null handle is AT_FDCWD.</summary>
    private readonly ref struct FdLease
    {
        private readonly SafeHandle? _handle;
        public readonly int Fd;

        public FdLease(SafeHandle? handle)
        {
            if (handle is null)
            {
                Fd = AtFdCwd;
                return;
            }
            bool added = false;
            handle.DangerousAddRef(ref added);
            _handle = handle;
            Fd = (int)handle.DangerousGetHandle();
        }

        public void Dispose() => _handle?.DangerousRelease();
    }
}
