using Arbor.Repo.Native;

namespace Arbor.Repo.Checkout;

/// <summary>
/// <c>rm -rf</c> for a checkout: removing an abandoned temporary directory (whose finished
/// subdirectories may already carry modes like 0500) and the targets of Docker whiteouts.
/// Symlinks are removed, never followed. Goes through the Native layer only, so names that are not
/// UTF-8 (which System.IO's enumeration would mangle) are removed too.
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
        if (st.Value.IsDirectory) RemoveDirectory(path, st.Value);
        else Files.Unlink(path);
    }

    private static void RemoveDirectory(string dir, FileStatus st)
    {
        // a restrictive mode on a finished subdirectory (0500): make it writable first
        if (!Files.IsRoot && (st.Mode & 0x1C0) != 0x1C0) Files.Chmod(dir, 0x1C0);
        foreach (var entry in DirEntries.Read(dir))
        {
            var child = Path.Join(dir, entry.Name);
            if (entry.Type is DirEntry.TypeDirectory or DirEntry.TypeUnknown && Files.TryLStat(child) is { IsDirectory: true } childSt)
                RemoveDirectory(child, childSt);
            else Files.Unlink(child);
        }
        Files.Rmdir(dir);
    }
}
