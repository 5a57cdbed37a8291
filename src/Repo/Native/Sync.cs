using Microsoft.Win32.SafeHandles;
using static Tmds.Linux.LibC;

namespace Arbor.Repo.Native;

/// <summary>fsync, fdatasync, syncfs, sync.</summary>
internal static unsafe class Sync
{
    public static void FSync(SafeFileHandle handle, string? pathForErrors = null)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try { Errno.Check(fsync((int)handle.DangerousGetHandle()), "fsync", pathForErrors); }
        finally { if (added) handle.DangerousRelease(); }
    }

    /// <summary>fsync of a directory (makes renames inside it durable).</summary>
    public static void FSyncDirectory(string path)
    {
        int fd = OpenDirectory(path);
        try { Errno.Check(fsync(fd), "fsync", path); }
        finally { close(fd); }
    }

    /// <summary>syncfs(2) on the filesystem that holds <paramref name="path"/> (a directory).</summary>
    public static void SyncFs(string path)
    {
        int fd = OpenDirectory(path);
        try { Errno.Check(syncfs(fd), "syncfs", path); }
        finally { close(fd); }
    }

    // File.OpenHandle refuses directories, so open them here: O_RDONLY|O_DIRECTORY|O_CLOEXEC
    private static int OpenDirectory(string path)
    {
        fixed (byte* p = Utf8Path.Z(path))
            return Errno.Check(open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC), "open", path);
    }

    public static void SyncAll() => sync();
}
