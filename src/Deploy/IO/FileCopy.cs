using Arbor.Repo.Native;

namespace Arbor.Deploy.IO;

/// <summary>
/// Copies that keep owner, mode and extended attributes (and, unless told otherwise, the mtime),
/// as ostree's /etc handling does (glnx_file_copy_at, copy_dir_recurse). Contents go through
/// copy_file_range; nothing is held in memory. With <c>xattrs: false</c> (ostree's
/// <c>OSTREE_SYSROOT_DEBUG=no-xattrs</c>, GLNX_FILE_COPY_NOXATTRS) no extended attribute is copied.
/// Every call goes through the Native layer, never System.IO's File/Directory, so names that are not
/// UTF-8 (escaped by <see cref="DirEntries"/>) are copied byte for byte.
/// </summary>
internal static class FileCopy
{
    /// <summary>Copies a regular file or a symlink; <paramref name="overwrite"/> replaces an existing destination atomically.</summary>
    public static void CopyEntry(string source, string destination, bool overwrite, bool keepMtime = true, bool xattrs = true)
    {
        var st = Files.LStat(source);
        if (st.IsSymlink) CopySymlink(source, destination, st, overwrite, xattrs);
        else if (st.IsRegular) CopyRegular(source, destination, st, overwrite, keepMtime, xattrs);
        else throw new DeployException($"Cannot copy non-regular/non-symlink file: {source}");
    }

    private static void CopyRegular(string source, string destination, FileStatus st, bool overwrite, bool keepMtime, bool xattrs)
    {
        var dir = Path.GetDirectoryName(destination)!;
        var tmp = Path.Join(dir, "." + Path.GetFileName(destination) + ".tmp-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)));
        try
        {
            using (var src = OpenFile.OpenRead(source))
            using (var dst = OpenFile.CreateExclusive(tmp, 0x180))
            {
                CopyRange.CopyAll(src, dst, st.Size, source);
                Files.FChown(dst, st.Uid, st.Gid, tmp);
                if (xattrs)
                    foreach (var (name, value) in Xattrs.GetAll(source)) Xattrs.Set(dst, name, value, tmp);
                // chmod after the xattrs: a 0400 file still takes them through the open descriptor
                Files.FChmod(dst, st.Permissions, tmp);
                if (keepMtime) FileTimes.SetMtime(dst, st.MtimeSeconds, st.MtimeNanoseconds, tmp);
            }
            if (overwrite) Rename.Replace(tmp, destination);
            else if (!Rename.TryNoReplace(tmp, destination)) throw Errno.Error("rename", destination, Errno.EEXIST);
        }
        catch
        {
            // best effort: remove our temporary file
            try { Files.Unlink(tmp); } catch (NativeIOException) { }
            throw;
        }
    }

    private static void CopySymlink(string source, string destination, FileStatus st, bool overwrite, bool xattrs)
    {
        var target = Files.ReadLinkEscaped(source);
        if (overwrite && Files.TryLStat(destination) is { IsDirectory: false }) Files.Unlink(destination);
        Files.Symlink(target, destination);
        if (xattrs)
            foreach (var (name, value) in Xattrs.GetAll(source)) Xattrs.Set(destination, name, value);
        Files.LChown(destination, st.Uid, st.Gid);
    }

    /// <summary>Copies owner, mode and xattrs of one directory onto another.</summary>
    public static void CopyDirectoryAttributes(string source, string destination, bool xattrs = true)
    {
        var st = Files.Stat(source);
        if (xattrs)
            foreach (var (name, value) in Xattrs.GetAll(source)) Xattrs.Set(destination, name, value);
        Files.LChown(destination, st.Uid, st.Gid);
        Files.Chmod(destination, st.Permissions);
    }

    /// <summary>
    /// copy_dir_recurse: creates <paramref name="destination"/> (0700, fine if it exists), copies the
    /// directory's attributes, then every child; existing files are overwritten. Entries that are
    /// neither directories, regular files nor symlinks are an error, as in ostree.
    /// </summary>
    public static void CopyTree(string source, string destination, bool keepMtime = true, bool xattrs = true)
    {
        Files.TryMkdir(destination, 0x1C0);
        CopyDirectoryAttributes(source, destination, xattrs);
        foreach (var entry in DirEntries.Read(source))
        {
            var child = Path.Join(source, entry.Name);
            var st = Files.LStat(child);
            var dst = Path.Join(destination, entry.Name);
            if (st.IsDirectory) CopyTree(child, dst, keepMtime, xattrs);
            else CopyEntry(child, dst, overwrite: true, keepMtime, xattrs);
        }
    }
}
