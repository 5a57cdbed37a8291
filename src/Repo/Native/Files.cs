using Microsoft.Win32.SafeHandles;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Arbor.Repo.Native;

/// <summary>stat, chown, chmod, utimensat, mknod, readlink: path-based wrappers with typed results.</summary>
internal static unsafe class Files
{
    private static FileStatus Convert(in stat st) => new(
        (ulong)st.st_dev, (ulong)st.st_ino, (uint)st.st_mode, (uint)st.st_uid, (uint)st.st_gid,
        (ulong)st.st_nlink, (long)st.st_size, (ulong)st.st_rdev, (long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);

    /// <summary>lstat; null when the path does not exist.</summary>
    public static FileStatus? TryLStat(string path)
    {
        stat st;
        fixed (byte* p = Utf8Path.Z(path))
        {
            if (lstat(p, &st) == 0) return Convert(st);
        }
        int e = Errno.Last;
        if (e == Errno.ENOENT || e == Errno.ENOTDIR) return null;
        throw Errno.Error("lstat", path, e);
    }

    public static FileStatus LStat(string path) => TryLStat(path) ?? throw Errno.Error("lstat", path, Errno.ENOENT);

    /// <summary>stat (follows symlinks); null when the path does not exist.</summary>
    public static FileStatus? TryStat(string path) => TryStat(path, notDirectoryIsMissing: true);

    /// <summary>
    /// stat; null when the path is missing. With <paramref name="notDirectoryIsMissing"/> false, only ENOENT is
    /// (as <c>glnx_fstatat_allow_noent</c>): a file where a parent directory should be fails with ENOTDIR.
    /// </summary>
    public static FileStatus? TryStat(string path, bool notDirectoryIsMissing)
    {
        stat st;
        fixed (byte* p = Utf8Path.Z(path))
        {
            if (stat(p, &st) == 0) return Convert(st);
        }
        int e = Errno.Last;
        if (e == Errno.ENOENT || (notDirectoryIsMissing && e == Errno.ENOTDIR)) return null;
        throw Errno.Error("stat", path, e);
    }

    public static FileStatus Stat(string path) => TryStat(path) ?? throw Errno.Error("stat", path, Errno.ENOENT);

    public static FileStatus FStat(SafeFileHandle handle, string? pathForErrors = null)
    {
        stat st;
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            Errno.Check(fstat((int)handle.DangerousGetHandle(), &st), "fstat", pathForErrors);
        }
        finally { if (added) handle.DangerousRelease(); }
        return Convert(st);
    }

    /// <summary>lchown: changes the owner of the path itself, symlinks included.</summary>
    public static void LChown(string path, uint uid, uint gid)
    {
        fixed (byte* p = Utf8Path.Z(path))
            Errno.Check(fchownat(AT_FDCWD, p, uid, gid, AT_SYMLINK_NOFOLLOW), "lchown", path);
    }

    public static void Chmod(string path, uint mode)
    {
        fixed (byte* p = Utf8Path.Z(path))
            Errno.Check(chmod(p, (mode_t)mode), "chmod", path);
    }

    public static void FChmod(SafeFileHandle handle, uint mode, string? pathForErrors = null)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try { Errno.Check(fchmod((int)handle.DangerousGetHandle(), (mode_t)mode), "fchmod", pathForErrors); }
        finally { if (added) handle.DangerousRelease(); }
    }

    public static void FChown(SafeFileHandle handle, uint uid, uint gid, string? pathForErrors = null)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try { Errno.Check(fchown((int)handle.DangerousGetHandle(), uid, gid), "fchown", pathForErrors); }
        finally { if (added) handle.DangerousRelease(); }
    }

    /// <summary>Sets atime and mtime of the path itself (not following symlinks).</summary>
    public static void LSetTimes(string path, long seconds, long nanoseconds = 0)
    {
        timespec* ts = stackalloc timespec[2];
        ts[0].tv_sec = (time_t)seconds; ts[0].tv_nsec = (long_t)nanoseconds;
        ts[1].tv_sec = (time_t)seconds; ts[1].tv_nsec = (long_t)nanoseconds;
        fixed (byte* p = Utf8Path.Z(path))
            Errno.Check(utimensat(AT_FDCWD, p, ts, AT_SYMLINK_NOFOLLOW), "utimensat", path);
    }

    /// <summary>Sets only the mtime of an open file (atime untouched, as ostree leaves it).</summary>
    public static void FSetMtime(SafeFileHandle handle, long seconds, string? pathForErrors = null)
    {
        const long UTIME_OMIT = (1L << 30) - 2;
        timespec* ts = stackalloc timespec[2];
        ts[0].tv_sec = (time_t)0L; ts[0].tv_nsec = (long_t)UTIME_OMIT;
        ts[1].tv_sec = (time_t)seconds; ts[1].tv_nsec = (long_t)0L;
        bool added = false;
        handle.DangerousAddRef(ref added);
        try { Errno.Check(futimens((int)handle.DangerousGetHandle(), ts), "futimens", pathForErrors); }
        finally { if (added) handle.DangerousRelease(); }
    }

    /// <summary>Creates a device node (used for overlayfs whiteouts: char device 0:0).</summary>
    public static void MkNod(string path, uint mode, ulong device)
    {
        fixed (byte* p = Utf8Path.Z(path))
            Errno.Check(mknod(p, (mode_t)mode, (dev_t)device), "mknod", path);
    }

    public static void Symlink(string target, string path)
    {
        fixed (byte* t = Utf8Path.Z(target))
        fixed (byte* p = Utf8Path.Z(path))
            Errno.Check(symlink(t, p), "symlink", path);
    }

    /// <summary>readlink as raw UTF-8 decoded text.</summary>
    public static string ReadLink(string path)
    {
        var buf = new byte[4096];
        fixed (byte* p = Utf8Path.Z(path))
        fixed (byte* b = buf)
        {
            long n = Errno.Check((long)readlink(p, b, (size_t)buf.Length), "readlink", path);
            return System.Text.Encoding.UTF8.GetString(buf, 0, (int)n);
        }
    }

    /// <summary>readlink decoded with <see cref="Utf8Path.Decode"/>: a target that is not UTF-8 survives <see cref="Symlink"/>.</summary>
    public static string ReadLinkEscaped(string path)
    {
        var buf = new byte[4096];
        fixed (byte* p = Utf8Path.Z(path))
        fixed (byte* b = buf)
        {
            long n = Errno.Check((long)readlink(p, b, (size_t)buf.Length), "readlink", path);
            return Utf8Path.Decode(buf.AsSpan(0, (int)n));
        }
    }

    public static void Unlink(string path)
    {
        fixed (byte* p = Utf8Path.Z(path))
            Errno.Check(unlink(p), "unlink", path);
    }

    public static void Rmdir(string path)
    {
        fixed (byte* p = Utf8Path.Z(path))
            Errno.Check(rmdir(p), "rmdir", path);
    }

    public static void Mkdir(string path, uint mode)
    {
        fixed (byte* p = Utf8Path.Z(path))
            Errno.Check(mkdir(p, (mode_t)mode), "mkdir", path);
    }

    /// <summary>mkdir that reports false instead of failing when the path already exists.</summary>
    public static bool TryMkdir(string path, uint mode)
    {
        fixed (byte* p = Utf8Path.Z(path))
        {
            if (mkdir(p, (mode_t)mode) == 0) return true;
        }
        int e = Errno.Last;
        if (e == Errno.EEXIST) return false;
        throw Errno.Error("mkdir", path, e);
    }

    /// <summary>mkdir -p with <paramref name="mode"/> (the umask applies, as with mkdir(2)).</summary>
    public static void MkdirParents(string path, uint mode)
    {
        if (TryStat(path) is { IsDirectory: true }) return;
        var parent = System.IO.Path.GetDirectoryName(path);
        if (parent is not null && parent != path) MkdirParents(parent, mode);
        TryMkdir(path, mode);
        if (TryStat(path) is not { IsDirectory: true }) throw Errno.Error("mkdir", path, Errno.ENOTDIR);
    }

    /// <summary>faccessat(W_OK, AT_EACCESS): 0 when writable, else the errno (EROFS for a read-only mount, even for root).</summary>
    public static int TryAccessWritable(string path)
    {
        const int W_OK = 2, AT_EACCESS = 0x200;
        fixed (byte* p = Utf8Path.Z(path))
        {
            if (faccessat(AT_FDCWD, p, W_OK, AT_EACCESS) == 0) return 0;
        }
        return Errno.Last;
    }

    /// <summary>faccessat(X_OK, AT_EACCESS) on something that is not a directory, as GLib's g_find_program_in_path tests a candidate.</summary>
    public static bool IsExecutableFile(string path)
    {
        const int X_OK = 1, AT_EACCESS = 0x200;
        fixed (byte* p = Utf8Path.Z(path))
        {
            if (faccessat(AT_FDCWD, p, X_OK, AT_EACCESS) != 0) return false;
        }
        return TryStat(path) is { IsDirectory: false };
    }

    public static uint SetUmask(uint mask) => (uint)umask((mode_t)mask);

    public static bool IsRoot => geteuid() == 0;
    public static uint EffectiveUid => (uint)geteuid();
    public static uint EffectiveGid => (uint)getegid();
}
