using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Fsck;

/// <summary>
/// Recomputes a FILE object's checksum from what the repository stores, per mode
/// (repo-format.md §4.2, §6): the <c>.filez</c> header and inflated payload (archive), the
/// <c>user.ostreemeta</c> xattr and file bytes (bare-user), the object's own stat and xattrs
/// (bare), or uid/gid 0 without xattrs (bare-user-only). Content is streamed through a pooled
/// buffer. Failures throw <see cref="CorruptObjectException"/> worded like ostree
/// (<c>fsck content object C: Corrupted file object; checksum expected='…' actual='…'</c>);
/// a missing object throws <see cref="ObjectNotFoundException"/>. Thread-safe.
/// </summary>
internal sealed class ContentVerifier
{
    private const int BufferSize = 256 * 1024;
    private const int MaxSymlinkTarget = 4096; // PATH_MAX: ostree reads at most PATH_MAX+1 bytes
    private static readonly byte[] OstreeMetaXattr = "user.ostreemeta\0"u8.ToArray();
    private const int SmallXattr = 512;

    private readonly Repository _repo;
    private readonly ContentVerifier? _parent;

    public ContentVerifier(Repository repo)
    {
        _repo = repo;
        // core.parent: objects missing here are looked up in the parent repository, as ostree does
        if (repo.Config.ParentRepo is { } p) _parent = new ContentVerifier(Repository.Open(p));
    }

    public void Verify(Checksum expected)
    {
        var prefix = $"fsck content object {expected}: ";
        Checksum actual;
        try
        {
            var path = _repo.ObjectPath(new ObjectName(expected, ObjectType.File));
            var st = Files.TryLStat(path);
            if (st is null)
            {
                if (_parent is not null) { _parent.Verify(expected); return; }
                throw new ObjectNotFoundException(new ObjectName(expected, ObjectType.File), $"{prefix}Couldn't find file object '{expected}'");
            }
            actual = _repo.Mode switch
            {
                RepoMode.Archive => HashArchive(path, st.Value.Size),
                RepoMode.BareUser => HashBareUser(path, st.Value, expected),
                _ => HashBare(path, st.Value, expected),
            };
        }
        catch (CorruptObjectException e) { throw new CorruptObjectException(prefix + e.Message); }
        catch (NativeIOException e) { throw new CorruptObjectException(prefix + e.Message); }
        catch (IOException e) when (e is not FileNotFoundException) { throw new CorruptObjectException(prefix + e.Message); }
        if (actual != expected)
            throw new CorruptObjectException($"{prefix}Corrupted file object; checksum expected='{expected}' actual='{actual}'");
    }

    // ---- archive: header (tuuuusa(ayay)) + raw deflate ----

    private static Checksum HashArchive(string path, long length)
    {
        using var h = OpenFile.OpenRead(path);
        var buf = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            // one read usually brings the prefix, the header and the whole payload
            int got = ReadFully(h, buf.AsSpan(0, (int)Math.Min(buf.Length, length)));
            uint headerSize = FileHeader.CheckArchiveHeaderSize(buf.AsSpan(0, got), length);
            ReadOnlySpan<byte> header;
            if (8 + headerSize <= got) header = buf.AsSpan(8, (int)headerSize);
            else
            {
                var large = new byte[headerSize];
                ReadFully(h, large, 8);
                header = large;
            }
            var (meta, xattrs, target) = ParseArchiveHeader(header);
            ValidateMode(meta.Mode);
            using var hasher = new ContentHasher(ChecksumHeader(meta, xattrs, target));
            if (ObjectFormats.IsRegular(meta.Mode))
            {
                long payload = 8 + headerSize;
                var initial = payload < got ? buf.AsSpan((int)payload, got - (int)payload) : default;
                using var inflate = new InflatingReadStream(h, payload, length, ownsFile: false, initial);
                HashStream(inflate, hasher);
            }
            return hasher.Finish();
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
    }

    private static (FileMeta Meta, XattrList Xattrs, string Target) ParseArchiveHeader(ReadOnlySpan<byte> header)
    {
        try
        {
            var r = new GVariantReader(header, ObjectFormats.ArchiveFileHeader);
            uint rdev = BinaryPrimitives.ReverseEndianness(r.Member(4).GetUInt32());
            if (rdev != 0) throw new CorruptObjectException($"Corrupted archive file; invalid rdev {rdev}");
            var meta = new FileMeta(
                BinaryPrimitives.ReverseEndianness(r.Member(1).GetUInt32()),
                BinaryPrimitives.ReverseEndianness(r.Member(2).GetUInt32()),
                BinaryPrimitives.ReverseEndianness(r.Member(3).GetUInt32()));
            if (!ObjectFormats.IsRegular(meta.Mode) && !ObjectFormats.IsSymlink(meta.Mode))
                throw new CorruptObjectException($"Corrupted archive file; invalid mode {meta.Mode}");
            return (meta, XattrList.Read(r.Member(6)), r.Member(5).GetString());
        }
        catch (GVariantFormatException e)
        {
            throw new CorruptObjectException($"Corrupted archive file; invalid header: {e.Message}");
        }
    }

    // ---- bare-user: content in the file, metadata in user.ostreemeta ----

    private static Checksum HashBareUser(string path, FileStatus st, Checksum expected)
    {
        if (!st.IsRegular && !st.IsSymlink) throw new CorruptObjectException($"Opening content object {expected}: Not a regular file or symlink");
        // ostree only opens regular files, so a symlink object fails reading its xattr from fd -1
        if (!st.IsRegular) throw new CorruptObjectException($"Opening content object {expected}: fgetxattr(user.ostreemeta): Bad file descriptor");
        using var h = OpenFile.OpenRead(path);
        Span<byte> small = stackalloc byte[SmallXattr];
        int length = Native.Xattrs.Get(h, OstreeMetaXattr, small, out var large, path);
        if (length < 0) throw new CorruptObjectException($"Opening content object {expected}: fgetxattr(user.ostreemeta): No data available");
        var (meta, xattrs) = ParseOstreeMeta(large ?? small[..length]);
        if (ObjectFormats.IsSymlink(meta.Mode))
        {
            // the target is the file's bytes up to the first NUL (ostree reads PATH_MAX+1 bytes)
            var buf = new byte[MaxSymlinkTarget + 1];
            int n = ReadFully(h, buf);
            int nul = Array.IndexOf(buf, (byte)0, 0, n);
            var target = Encoding.UTF8.GetString(buf, 0, nul < 0 ? n : nul);
            ValidateMode(meta.Mode);
            return ContentHasher.Compute(ChecksumHeader(meta, xattrs, target), ReadOnlySpan<byte>.Empty);
        }
        // ostree asserts on a user.ostreemeta mode that is neither a file nor a symlink; report it instead
        ValidateMode(meta.Mode);
        using var hasher = new ContentHasher(ChecksumHeader(meta, xattrs, ""));
        HashFile(h, st.Size, hasher);
        return hasher.Finish();
    }

    /// <summary>
    /// user.ostreemeta is (uuua(ayay)), read untrusted by ostree: GLib gives each member that does
    /// not fit in the data its default (0, or an empty xattr list), which then fails the mode check
    /// or the checksum.
    /// </summary>
    private static (FileMeta, XattrList) ParseOstreeMeta(ReadOnlySpan<byte> raw)
    {
        var meta = new FileMeta(OstreeMetaField(raw, 0), OstreeMetaField(raw, 1), OstreeMetaField(raw, 2));
        XattrList xattrs;
        try { xattrs = XattrList.Read(new GVariantReader(raw, ObjectFormats.DirMeta).Member(3)); }
        catch (GVariantFormatException) { xattrs = XattrList.Empty; }
        return (meta, xattrs);
    }

    private static uint OstreeMetaField(ReadOnlySpan<byte> raw, int index)
    {
        try { return BinaryPrimitives.ReverseEndianness(new GVariantReader(raw, ObjectFormats.DirMeta).Member(index).GetUInt32()); }
        catch (GVariantFormatException) { return 0; }
    }

    // ---- bare and bare-user-only: the object is the file itself ----

    private Checksum HashBare(string path, FileStatus st, Checksum expected)
    {
        if (!st.IsRegular && !st.IsSymlink) throw new CorruptObjectException($"Opening content object {expected}: Not a regular file or symlink");
        bool userOnly = _repo.Mode == RepoMode.BareUserOnly;
        var meta = new FileMeta(userOnly ? 0 : st.Uid, userOnly ? 0 : st.Gid, st.Mode);
        XattrList ReadXattrs() => userOnly || _repo.Config.DisableXattrs
            ? XattrList.Empty
            : XattrList.Canonical(Native.Xattrs.GetAll(path).Select(x => new Xattr(x.Name, x.Value)));
        ValidateMode(meta.Mode);
        if (st.IsSymlink)
            return ContentHasher.Compute(ChecksumHeader(meta, ReadXattrs(), Files.ReadLink(path)), ReadOnlySpan<byte>.Empty);
        using var h = OpenFile.OpenRead(path);
        using var hasher = new ContentHasher(ChecksumHeader(meta, ReadXattrs(), ""));
        HashFile(h, st.Size, hasher);
        return hasher.Finish();
    }

    // ---- shared ----

    private readonly record struct FileMeta(uint Uid, uint Gid, uint Mode);

    /// <summary>ostree_validate_structureof_file_mode.</summary>
    private static void ValidateMode(uint mode)
    {
        if (!ObjectFormats.IsRegular(mode) && !ObjectFormats.IsSymlink(mode))
            throw new CorruptObjectException($"Invalid file metadata mode {mode}; not a valid file type");
        if (MetadataVerifier.ModeBitsProblem(mode) is { } problem) throw new CorruptObjectException(problem);
    }

    /// <summary>The checksum header rebuilt from loaded metadata; regular files never carry a target.</summary>
    private static FileHeader ChecksumHeader(FileMeta meta, XattrList xattrs, string target) =>
        new(meta.Uid, meta.Gid, meta.Mode, ObjectFormats.IsSymlink(meta.Mode) ? target : "", xattrs);

    /// <summary>Hashes a file's bytes; <paramref name="size"/> from lstat spares the read that would find EOF.</summary>
    private static void HashFile(SafeFileHandle h, long size, ContentHasher hasher)
    {
        var buf = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long pos = 0;
            int n;
            while ((n = OpenFile.Read(h, buf.AsSpan(0, (int)Math.Min(buf.Length, Math.Max(size - pos, 1))), pos)) > 0)
            {
                hasher.Append(buf.AsSpan(0, n));
                pos += n;
                if (pos == size) break; // objects are immutable: the size is final
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
    }

    private static void HashStream(Stream s, ContentHasher hasher)
    {
        var buf = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int n;
            while ((n = s.Read(buf, 0, buf.Length)) > 0) hasher.Append(buf.AsSpan(0, n));
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
    }

    private static int ReadFully(SafeFileHandle h, Span<byte> buffer, long offset = 0)
    {
        int total = 0, n;
        while (total < buffer.Length && (n = OpenFile.Read(h, buffer[total..], offset + total)) > 0) total += n;
        return total;
    }
}
