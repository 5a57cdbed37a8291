using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.Import;

/// <summary>
/// <c>ostree checksum [--ignore-xattrs] PATH</c> (ostree_checksum_file): the checksum the path would
/// have as an object, not following a symlink at PATH. A regular file, symlink or other
/// non-directory is a FILE object (owner, mode, xattrs and, for a regular file, its content; a
/// fifo or device is its header alone); a directory is the checksum of its dirmeta.
/// </summary>
public static class LocalFileChecksum
{
    public static Checksum Compute(string path, bool ignoreXattrs)
    {
        FileStatus st;
        try
        {
            st = Files.TryLStat(path) ?? throw new RepoException(ignoreXattrs
                ? $"fstatat({path}): No such file or directory"
                // without --ignore-xattrs ostree goes through GIO, which names the absolute path
                : $"Error when getting information for file \u201C{System.IO.Path.GetFullPath(path)}\u201D: No such file or directory");
        }
        catch (NativeIOException e) { throw new RepoException(e.Message); }

        var xattrs = ignoreXattrs ? XattrList.Empty : DirectoryImporter.ReadXattrs(path);
        if (st.IsDirectory)
            return Checksum.Compute(new DirMetaObject(st.Uid, st.Gid, st.Mode, xattrs).Serialize());
        var header = new FileHeader(st.Uid, st.Gid, st.Mode, st.IsSymlink ? Files.ReadLink(path) : "", xattrs);
        if (!st.IsRegular) return ContentHasher.Compute(header, ReadOnlySpan<byte>.Empty);
        using var stream = HandleReadStream.Open(path);
        return ContentHasher.Compute(header, stream);
    }
}
