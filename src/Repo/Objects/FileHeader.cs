using System.Buffers.Binary;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;

namespace Arbor.Repo.Objects;

/// <summary>
/// The metadata of a FILE object: owner, full mode (with S_IFREG or S_IFLNK), symlink target
/// and xattrs. Serializes to the checksum header <c>(uuuusa(ayay))</c> and to the archive
/// header <c>(tuuuusa(ayay))</c>, both with big-endian numbers (repo-format.md §4.2, §6.1).
/// </summary>
public sealed record FileHeader(uint Uid, uint Gid, uint Mode, string SymlinkTarget, XattrList Xattrs)
{
    public uint Rdev { get; init; }

    public bool IsSymlink => ObjectFormats.IsSymlink(Mode);
    public bool IsRegular => ObjectFormats.IsRegular(Mode);

    public static FileHeader Regular(uint uid, uint gid, uint permissions, XattrList? xattrs = null) =>
        new(uid, gid, ObjectFormats.S_IFREG | (permissions & ObjectFormats.PermissionMask), "", xattrs ?? XattrList.Empty);

    public static FileHeader Symlink(uint uid, uint gid, string target, XattrList? xattrs = null) =>
        new(uid, gid, ObjectFormats.S_IFLNK | 0x1FF, target, xattrs ?? XattrList.Empty);

    /// <summary>The GVariant bytes of the checksum header (without the 8-byte length prefix).</summary>
    public byte[] SerializeChecksumHeader()
    {
        using var w = new GVariantWriter(ObjectFormats.FileHeader, 64);
        w.BeginTuple();
        WriteCommonFields(w);
        w.End();
        return w.ToArray();
    }

    /// <summary>The GVariant bytes of the archive (.filez) header.</summary>
    public byte[] SerializeArchiveHeader(ulong size)
    {
        using var w = new GVariantWriter(ObjectFormats.ArchiveFileHeader, 64);
        w.BeginTuple();
        w.WriteUInt64(BinaryPrimitives.ReverseEndianness(size));
        WriteCommonFields(w);
        w.End();
        return w.ToArray();
    }

    private void WriteCommonFields(GVariantWriter w)
    {
        w.WriteUInt32(BinaryPrimitives.ReverseEndianness(Uid));
        w.WriteUInt32(BinaryPrimitives.ReverseEndianness(Gid));
        w.WriteUInt32(BinaryPrimitives.ReverseEndianness(Mode));
        w.WriteUInt32(BinaryPrimitives.ReverseEndianness(Rdev));
        w.WriteString(SymlinkTarget);
        Xattrs.WriteTo(w);
    }

    /// <summary>Checks §5.3: a regular file or symlink, permission bits only, rdev 0.</summary>
    public void Validate()
    {
        if (!IsRegular && !IsSymlink) throw new CorruptObjectException($"Corrupted file object; invalid file type in mode {Convert.ToString(Mode, 8)}");
        if ((Mode & ~(ObjectFormats.S_IFMT | ObjectFormats.PermissionMask)) != 0)
            throw new CorruptObjectException($"Corrupted file object; invalid mode {Convert.ToString(Mode, 8)}");
        if (Rdev != 0) throw new CorruptObjectException("Corrupted file object; rdev is not 0");
        if (IsSymlink && SymlinkTarget.Length == 0) throw new CorruptObjectException("Corrupted file object; empty symlink target");
        if (IsRegular && SymlinkTarget.Length != 0) throw new CorruptObjectException("Corrupted file object; regular file with a symlink target");
    }

    /// <summary>
    /// _ostree_validate_bareuseronly_mode (bare-user-only repositories, <c>pull --bareuseronly-files</c>):
    /// a regular file may have no mode bits outside 0775 (no setuid/setgid/sticky, not world-writable).
    /// </summary>
    public void ValidateBareUserOnly(Checksum checksum)
    {
        uint invalid = IsRegular ? Mode & ObjectFormats.PermissionMask & ~0x1FDu : 0;
        if (invalid != 0)
            throw new RepoException($"Content object {checksum}: invalid mode 0{Convert.ToString(Mode, 8)} with bits 0{Convert.ToString(invalid, 8).PadLeft(4, '0')}");
    }

    public static FileHeader ParseChecksumHeader(ReadOnlySpan<byte> data)
    {
        try
        {
            return ReadFields(new GVariantReader(data, ObjectFormats.FileHeader), 0);
        }
        catch (GVariantFormatException e)
        {
            throw new CorruptObjectException($"Corrupted file object; invalid header: {e.Message}");
        }
    }

    /// <summary>
    /// ostree_content_stream_parse's checks of a <c>.filez</c>'s leading BE32 header size against the file's
    /// length, in its words (a file shorter than the 4 bytes reads as zero-padded).
    /// </summary>
    public static uint CheckArchiveHeaderSize(ReadOnlySpan<byte> start, long length)
    {
        Span<byte> four = stackalloc byte[4];
        start[..Math.Min(4, start.Length)].CopyTo(four);
        uint size = BinaryPrimitives.ReadUInt32BigEndian(four);
        if (size > length) throw new CorruptObjectException($"File header size {size} exceeds size {length}");
        if (size == 0) throw new CorruptObjectException("File header size is zero");
        if (8 + (long)size > length || size > ObjectFormats.MaxMetadataSize)
            throw new CorruptObjectException($"File header size {size} exceeds size {length}");
        return size;
    }

    /// <summary>Parses an archive header; returns the header and the advisory uncompressed size.</summary>
    public static (FileHeader Header, ulong Size) ParseArchiveHeader(ReadOnlySpan<byte> data)
    {
        try
        {
            var r = new GVariantReader(data, ObjectFormats.ArchiveFileHeader);
            ulong size = BinaryPrimitives.ReverseEndianness(r.Member(0).GetUInt64());
            return (ReadFields(r, 1), size);
        }
        catch (GVariantFormatException e)
        {
            throw new CorruptObjectException($"Corrupted file object; invalid archive header: {e.Message}");
        }
    }

    private static FileHeader ReadFields(GVariantReader r, int first) =>
        new(BinaryPrimitives.ReverseEndianness(r.Member(first).GetUInt32()),
            BinaryPrimitives.ReverseEndianness(r.Member(first + 1).GetUInt32()),
            BinaryPrimitives.ReverseEndianness(r.Member(first + 2).GetUInt32()),
            r.Member(first + 4).GetString(),
            XattrList.Read(r.Member(first + 5)))
        { Rdev = BinaryPrimitives.ReverseEndianness(r.Member(first + 3).GetUInt32()) };
}
