using static Tmds.Linux.LibC;

namespace Arbor.Repo.Native;

/// <summary>
/// FIFREEZE / FITHAW on the filesystem holding a directory (what <c>fsfreeze</c> does): a freeze flushes
/// the filesystem and its journal so that a reader that does not replay journals (GRUB on XFS) sees the data.
/// </summary>
internal static unsafe class FsFreeze
{
    private const int FIFREEZE = unchecked((int)0xC0045877); // _IOWR('X', 119, int)
    private const int FITHAW = unchecked((int)0xC0045878);   // _IOWR('X', 120, int)

    /// <summary>Freezes the filesystem of <paramref name="directory"/>; 0, else the errno (EOPNOTSUPP, EPERM, EBUSY…).</summary>
    public static int TryFreeze(string directory) => WithDirectory(directory, FIFREEZE);

    /// <summary>Thaws it again; 0, else the errno (EINVAL: it was not frozen).</summary>
    public static int TryThaw(string directory) => WithDirectory(directory, FITHAW);

    private static int WithDirectory(string directory, int request)
    {
        int fd;
        fixed (byte* p = Utf8Path.Z(directory))
            fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        if (fd < 0) return Errno.Last;
        try
        {
            int arg = 0;
            return ioctl(fd, request, &arg) == 0 ? 0 : Errno.Last;
        }
        finally { close(fd); }
    }
}
