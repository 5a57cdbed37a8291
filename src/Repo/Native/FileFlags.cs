using static Tmds.Linux.LibC;

namespace Arbor.Repo.Native;

/// <summary>The inode immutable flag (chattr +i) through FS_IOC_GETFLAGS / FS_IOC_SETFLAGS.</summary>
internal static unsafe class FileFlags
{
    private const int FS_IOC_GETFLAGS = unchecked((int)0x80086601);
    private const int FS_IOC_SETFLAGS = 0x40086602;
    public const int FS_IMMUTABLE_FL = 0x10;

    /// <summary>Sets or clears FS_IMMUTABLE_FL on a directory. Returns false where the filesystem
    /// does not support it (EPERM, EOPNOTSUPP, ENOTTY, EINVAL), which ostree also ignores.</summary>
    public static bool TrySetImmutable(string directory, bool immutable)
    {
        int fd;
        fixed (byte* p = Utf8Path.Z(directory))
            fd = open(p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        if (fd < 0)
        {
            int e = Errno.Last;
            if (e == Errno.ENOENT) return false;
            throw Errno.Error("open", directory, e);
        }
        try
        {
            int flags = 0;
            if (ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) return Ignorable(Errno.Last, directory);
            int wanted = immutable ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
            if (wanted == flags) return true;
            if (ioctl(fd, FS_IOC_SETFLAGS, &wanted) != 0) return Ignorable(Errno.Last, directory);
            return true;
        }
        finally { close(fd); }
    }

    public static bool IsImmutable(string directory)
    {
        int fd;
        fixed (byte* p = Utf8Path.Z(directory))
            fd = open(p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        if (fd < 0) return false;
        try
        {
            int flags = 0;
            return ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && (flags & FS_IMMUTABLE_FL) != 0;
        }
        finally { close(fd); }
    }

    private static bool Ignorable(int e, string path) =>
        e is Errno.EPERM or Errno.EOPNOTSUPP or Errno.ENOTTY or Errno.EINVAL ? false : throw Errno.Error("ioctl(FS_IOC_SETFLAGS)", path, e);
}
