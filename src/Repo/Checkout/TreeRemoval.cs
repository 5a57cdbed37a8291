using Arbor.Repo.Native;

namespace Arbor.Repo.Checkout;

/// <summary>
/// <c>rm -rf</c> for a checkout: removing an abandoned temporary directory (whose finished
/// subdirectories may already carry modes like 0500) and the targets of Docker whiteouts.
/// Symlinks are removed, never followed.
/// </summary>
public static class TreeRemoval
{
    /// <summary>Removes <paramref name="nameZ"/> inside <paramref name="dir"/>, whatever it is; absent is fine.</summary>
    internal static void RemoveAt(DirectoryNode dir, ReadOnlySpan<byte> nameZ)
    {
        int e = AtFiles.TryUnlinkAt(dir.Handle, nameZ, directory: false);
        if (e == 0 || e == Errno.ENOENT) return;
        if (e != Errno.EISDIR && e != Errno.EPERM) throw Errno.Error("unlinkat", dir.ChildPath(nameZ), e);
        RemoveTree(dir.ChildPath(nameZ));
    }

    /// <summary>Removes a path and everything below it; absent is fine.</summary>
    public static void RemoveTree(string path)
    {
        var st = Files.TryLStat(path);
        if (st is null) return;
        if (!st.Value.IsDirectory)
        {
            File.Delete(path);
            return;
        }
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a restrictive mode on a finished subdirectory: make every directory writable, then retry
            MakeWritable(path);
            Directory.Delete(path, recursive: true);
        }
    }

    private static void MakeWritable(string dir)
    {
        Files.Chmod(dir, 0x1C0); // 0700
        foreach (var entry in new DirectoryInfo(dir).EnumerateDirectories())
            if (!entry.Attributes.HasFlag(FileAttributes.ReparsePoint)) MakeWritable(entry.FullName);
    }
}
