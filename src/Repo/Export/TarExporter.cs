using System.Buffers;
using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;
using ICSharpCode.SharpZipLib.Tar;

namespace Arbor.Repo.Export;

/// <summary>How <see cref="TarExporter"/> names and blocks the archive.</summary>
public sealed record TarExportOptions
{
    /// <summary>--subpath: export only this directory of the commit.</summary>
    public string? Subpath { get; init; }
    /// <summary>--prefix: prepended to every entry name as is (ostree adds no '/').</summary>
    public string? Prefix { get; init; }
    /// <summary>
    /// Pad the end of the archive to a 10240-byte record, as libarchive does when writing to stdout
    /// or a device; a regular output file ends after the two zero blocks.
    /// </summary>
    public bool PadToRecord { get; init; }
}

/// <summary>
/// <c>ostree export</c>: a commit's tree as a GNU tar stream, byte for byte what ostree 2022.7
/// (libarchive gnutar) writes. Each directory is followed by its files in dirtree order, then by
/// its subdirectories; every entry carries the commit's timestamp as mtime, the object's uid, gid
/// and permission bits, no user or group names; symlinks have their target, regular files their
/// content, streamed; no hardlinks. Names longer than 100 bytes get GNU <c>././@LongLink</c> entries.
/// Extended attributes are not written (the GNU format has no place for them, so ostree drops them too).
/// Records are blocked through SharpZipLib's <see cref="TarBuffer"/>.
/// </summary>
public static class TarExporter
{
    private const int RecordBlocks = 20; // libarchive's 10240-byte records
    private const int CopyBufferSize = 128 * 1024;

    public static void Export(Repository repo, Checksum commitChecksum, Stream output, TarExportOptions options)
    {
        var commit = repo.LoadCommit(commitChecksum);
        var (tree, meta) = ResolveSubpath(repo, commit, options.Subpath);
        var tar = TarBuffer.CreateOutputTarBuffer(output, options.PadToRecord ? RecordBlocks : 1);
        tar.IsStreamOwner = false;
        var writer = new EntryWriter(repo, tar, options.Prefix ?? "", (long)Math.Min(commit.Timestamp, long.MaxValue));
        writer.Tree(tree, meta);
        var zero = new byte[GnuTarHeader.BlockSize];
        tar.WriteBlock(zero);
        tar.WriteBlock(zero);
        tar.Close();
    }

    /// <summary>
    /// Exports to a file. A regular (or new) file is written under a temporary name in the same
    /// directory and renamed into place, so a failed export leaves nothing behind (ostree leaves a
    /// partial archive). A device or pipe is written in place; devices get whole records, as
    /// libarchive pads them.
    /// </summary>
    public static void ExportToFile(Repository repo, Checksum commit, string path, TarExportOptions options)
    {
        var full = Path.GetFullPath(path);
        if (Files.TryStat(full) is { } st && !st.IsRegular)
        {
            if (st.IsDirectory) throw new RepoException($"Failed to open '{path}'");
            bool device = st.FileType is FileStatus.S_IFCHR or 0x6000 /* S_IFBLK */;
            using var target = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 20);
            Export(repo, commit, target, options with { PadToRecord = device });
            return;
        }
        var tmp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.tmp-{Guid.NewGuid():N}");
        FileStream file;
        try { file = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepoException($"Failed to open '{path}'");
        }
        try
        {
            using (file) Export(repo, commit, file, options with { PadToRecord = false });
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            AtomicFile.TryDelete(tmp);
            throw;
        }
    }

    /// <summary>
    /// Walks --subpath down from the root. Components are looked up literally ("." and ".." are
    /// names, which no valid tree has), empty ones from repeated slashes are skipped.
    /// </summary>
    private static (Checksum Tree, Checksum Meta) ResolveSubpath(Repository repo, CommitObject commit, string? subpath)
    {
        var (tree, meta) = (commit.RootTree, commit.RootMeta);
        if (string.IsNullOrEmpty(subpath)) return (tree, meta);
        var walked = new StringBuilder();
        var parts = subpath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var part in parts)
        {
            walked.Append('/').Append(part);
            var dir = repo.LoadDirTree(tree);
            var match = dir.Dirs.FirstOrDefault(d => d.Name == part);
            if (match.Name is null)
            {
                if (dir.Files.Any(f => f.Name == part))
                    throw new RepoException($"Not a directory: {walked}");
                throw new RepoException($"No such file or directory: {walked}");
            }
            (tree, meta) = (match.Tree, match.Meta);
        }
        return (tree, meta);
    }

    /// <summary>Writes entries in ostree's order without recursion (a hostile tree can be very deep).</summary>
    private sealed class EntryWriter(Repository repo, TarBuffer tar, string prefix, long mtime)
    {
        private readonly byte[] _block = new byte[GnuTarHeader.BlockSize];

        public void Tree(Checksum rootTree, Checksum rootMeta)
        {
            var pending = new Stack<(DirTreeObject Tree, string Path, int NextDir)>();
            pending.Push((Directory("", rootTree, rootMeta), "", 0));
            while (pending.Count > 0)
            {
                var (tree, path, next) = pending.Pop();
                if (next >= tree.Dirs.Count) continue;
                pending.Push((tree, path, next + 1));
                var d = tree.Dirs[next];
                var childPath = path + d.Name + "/";
                pending.Push((Directory(childPath, d.Tree, d.Meta), childPath, 0));
            }
        }

        /// <summary>The directory's own entry, then its files; returns the dirtree for its subdirectories.</summary>
        private DirTreeObject Directory(string relative, Checksum treeChecksum, Checksum metaChecksum)
        {
            var meta = repo.LoadDirMeta(metaChecksum);
            var tree = repo.LoadDirTree(treeChecksum);
            var name = relative.Length == 0 ? (prefix.Length == 0 ? "./" : prefix) : prefix + relative;
            if (!name.EndsWith('/')) name += "/";
            Header(name, "", new(GnuTarHeader.Directory, meta.Mode, meta.Uid, meta.Gid, 0, mtime));
            foreach (var f in tree.Files) File(prefix + relative + f.Name, f.Checksum);
            return tree;
        }

        private void File(string name, Checksum checksum)
        {
            var content = repo.LoadContent(checksum);
            var h = content.Header;
            if (h.IsSymlink)
            {
                Header(name, h.SymlinkTarget, new(GnuTarHeader.Symlink, h.Mode, h.Uid, h.Gid, 0, mtime));
                return;
            }
            Header(name, "", new(GnuTarHeader.Regular, h.Mode, h.Uid, h.Gid, content.Size, mtime));
            using var data = content.OpenContent();
            CopyData(data, content.Size, checksum);
        }

        /// <summary>Streams exactly <paramref name="size"/> bytes in 512-byte blocks, the last one zero-padded.</summary>
        private void CopyData(Stream data, long size, Checksum checksum)
        {
            var buf = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                long written = 0;
                int filled = 0;
                while (true)
                {
                    int n;
                    try { n = data.Read(buf, filled, CopyBufferSize - filled); }
                    catch (InvalidDataException e) { throw new CorruptObjectException($"Corrupted file object {checksum}: {e.Message}"); }
                    if (n == 0) break;
                    filled += n;
                    if (written + filled > size)
                        throw new CorruptObjectException($"Corrupted file object {checksum}: content is longer than its size {size}");
                    int whole = filled / GnuTarHeader.BlockSize * GnuTarHeader.BlockSize;
                    for (int off = 0; off < whole; off += GnuTarHeader.BlockSize) tar.WriteBlock(buf, off);
                    written += whole;
                    filled -= whole;
                    if (filled > 0) Buffer.BlockCopy(buf, whole, buf, 0, filled);
                }
                if (written + filled != size)
                    throw new CorruptObjectException($"Corrupted file object {checksum}: content is {written + filled} bytes, its size is {size}");
                if (filled > 0)
                {
                    Array.Clear(buf, filled, GnuTarHeader.BlockSize - filled);
                    tar.WriteBlock(buf, 0);
                }
            }
            finally { ArrayPool<byte>.Shared.Return(buf); }
        }

        /// <summary>The entry's header, preceded by GNU long-name ('L') and long-link ('K') entries when needed.</summary>
        private void Header(string name, string link, GnuTarHeader.Entry entry)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            var linkBytes = Encoding.UTF8.GetBytes(link);
            // libarchive writes the 'K' entry first, and copies the (cut) link target into both
            if (linkBytes.Length > GnuTarHeader.NameSize) LongEntry(GnuTarHeader.LongLink, linkBytes, linkBytes);
            if (nameBytes.Length > GnuTarHeader.NameSize) LongEntry(GnuTarHeader.LongName, nameBytes, linkBytes);
            GnuTarHeader.Write(_block, nameBytes, linkBytes, entry);
            tar.WriteBlock(_block);
        }

        private void LongEntry(byte type, byte[] value, byte[] link)
        {
            GnuTarHeader.Write(_block, "././@LongLink"u8, link, new(type, 0, 0, 0, value.Length + 1, 0), "root", "wheel");
            tar.WriteBlock(_block);
            for (int off = 0; off <= value.Length; off += GnuTarHeader.BlockSize)
            {
                Array.Clear(_block);
                int n = Math.Min(GnuTarHeader.BlockSize, value.Length - off);
                if (n > 0) value.AsSpan(off, n).CopyTo(_block);
                tar.WriteBlock(_block); // the name's terminating NUL is in the zero padding
            }
        }
    }
}
