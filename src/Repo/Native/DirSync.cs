using static Tmds.Linux.LibC;

namespace Arbor.Repo.Native;

/// <summary>
/// fsync and syncfs through a directory opened with O_DIRECTORY (.NET's File.OpenHandle refuses
/// directories, so <see cref="Sync.FSyncDirectory"/> and <see cref="Sync.SyncFs"/> cannot take one).
/// </summary>
internal static unsafe class DirSync
{
    /// <summary>fsync of a directory: makes the renames and unlinks inside it durable.</summary>
    public static void FSync(string directory) => WithDirectory(directory, fd => fsync(fd), "fsync");

    /// <summary>syncfs(2) on the filesystem holding <paramref name="directory"/>.</summary>
    public static void SyncFs(string directory) => WithDirectory(directory, fd => syncfs(fd), "syncfs");

    private static void WithDirectory(string directory, Func<int, int> call, string operation)
    {
        int fd;
        fixed (byte* p = Utf8Path.Z(directory))
            fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        if (fd < 0) throw Errno.Error("open", directory, Errno.Last);
        try { Errno.Check(call(fd), operation, directory); }
        finally { close(fd); }
    }
}
