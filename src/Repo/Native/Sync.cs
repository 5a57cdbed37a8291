using Microsoft.Win32.SafeHandles;
using static Tmds.Linux.LibC;

namespace Arbor.Repo.Native;

/// <summary>fsync, fdatasync, syncfs, sync.</summary>
internal static class Sync
{
    public static void FSync(SafeFileHandle handle, string? pathForErrors = null)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try { Errno.Check(fsync((int)handle.DangerousGetHandle()), "fsync", pathForErrors); }
        finally { if (added) handle.DangerousRelease(); }
    }

    /// <summary>fsync of a directory (makes renames inside it durable).</summary>
    public static void FSyncDirectory(string path) => DirSync.FSync(path);

    /// <summary>syncfs(2) on the filesystem that holds the directory <paramref name="path"/>.</summary>
    public static void SyncFs(string path) => DirSync.SyncFs(path);

    public static void SyncAll() => sync();
}
