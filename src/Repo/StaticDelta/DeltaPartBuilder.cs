using System.Buffers.Binary;
using System.Security.Cryptography;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;

namespace Arbor.Repo.StaticDelta;

/// <summary>A finished part: its file bytes (compression byte then payload) and its superblock header.</summary>
public sealed record BuiltDeltaPart(byte[] FileBytes, DeltaPartHeader Header);

/// <summary>
/// Collects one delta part as ostree's compiler does: a blob of object bytes, an opcode stream that
/// re-creates each object from it, and the tables of distinct (uid, gid, mode) triples and xattr sets
/// the <c>o</c>/<c>S</c> opcodes index. <see cref="Finish"/> serializes <see cref="DeltaPart.Format"/>
/// and compresses it with xz (compression byte <c>'x'</c>), streaming the blob from its pooled
/// segments into the encoder: a 32 MB part is never copied whole.
/// </summary>
public sealed class DeltaPartBuilder(int index)
{
    private readonly SegmentedBuffer _payload = new();
    private readonly MemoryStream _ops = new();
    private readonly List<(uint Uid, uint Gid, uint Mode)> _modes = [];
    private readonly Dictionary<(uint, uint, uint), int> _modeIndex = [];
    private readonly List<XattrList> _xattrs = [];
    private readonly List<ObjectName> _objects = [];

    public int Index { get; } = index;
    public int ObjectCount => _objects.Count;
    public long PayloadLength => _payload.Length;
    /// <summary>The sum of the objects' sizes, as the superblock's "uncompressed size" counts it.</summary>
    public ulong UncompressedSize { get; private set; }

    /// <summary>A metadata object, spliced whole: <c>S size offset</c>.</summary>
    public void AddMetadata(ObjectName name, ReadOnlySpan<byte> bytes)
    {
        long offset = AppendPayload(bytes);
        _objects.Add(name);
        UncompressedSize += (ulong)bytes.Length;
        _ops.WriteByte((byte)'S');
        WriteVarint((ulong)bytes.Length);
        WriteVarint((ulong)offset);
    }

    /// <summary>A content object spliced whole (a symlink's content is its target): <c>S mode xattrs size offset</c>.</summary>
    public void AddContent(Checksum checksum, FileHeader header, ReadOnlySpan<byte> content)
    {
        var (mode, xattrs) = HeaderIndexes(header);
        long offset = AppendPayload(content);
        AddSplice(new ObjectName(checksum, ObjectType.File), mode, xattrs, content.Length, offset);
    }

    private void AddSplice(ObjectName name, int mode, int xattrs, long size, long offset)
    {
        _objects.Add(name);
        UncompressedSize += (ulong)size;
        _ops.WriteByte((byte)'S');
        WriteVarint((ulong)mode);
        WriteVarint((ulong)xattrs);
        WriteVarint((ulong)size);
        WriteVarint((ulong)offset);
    }

    /// <summary>A regular file spliced whole, its <paramref name="size"/> bytes read from <paramref name="content"/>.</summary>
    public void AddContent(Checksum checksum, FileHeader header, Stream content, long size)
    {
        var (mode, xattrs) = HeaderIndexes(header);
        long offset = _payload.Append(content, size);
        AddSplice(new ObjectName(checksum, ObjectType.File), mode, xattrs, size, offset);
    }

    /// <summary>
    /// A regular file re-created by patching a FROM object: <c>o mode xattrs size</c>, <c>r offset</c>
    /// (the source's 32 checksum bytes in the blob), <c>B offset length</c> (the bsdiff patch),
    /// <c>R</c>, <c>c</c>.
    /// </summary>
    public void AddBsPatch(Checksum checksum, FileHeader header, ulong size, Checksum source, ReadOnlySpan<byte> patch)
    {
        var (mode, xattrs) = HeaderIndexes(header);
        Span<byte> sourceBytes = stackalloc byte[Checksum.ByteLength];
        source.CopyTo(sourceBytes);
        long sourceOffset = AppendPayload(sourceBytes);
        long patchOffset = AppendPayload(patch);
        _objects.Add(new ObjectName(checksum, ObjectType.File));
        UncompressedSize += size;
        _ops.WriteByte((byte)'o');
        WriteVarint((ulong)mode);
        WriteVarint((ulong)xattrs);
        WriteVarint(size);
        _ops.WriteByte((byte)'r');
        WriteVarint((ulong)sourceOffset);
        _ops.WriteByte((byte)'B');
        WriteVarint((ulong)patchOffset);
        WriteVarint((ulong)patch.Length);
        _ops.WriteByte((byte)'R');
        _ops.WriteByte((byte)'c');
    }

    /// <summary>
    /// A regular file re-created from the ranges of a FROM object that rollsum matching found
    /// (<paramref name="matches"/>, in the new file's order) and the rest of <paramref name="content"/>
    /// from the blob, as ostree writes it: <c>o mode xattrs size</c>; per match, the bytes before it
    /// (<c>R</c> first when the source is set, then <c>w length offset</c>), then <c>r offset</c> (the
    /// source's 32 checksum bytes in the blob) unless set and <c>w length source-offset</c>; <c>R</c>
    /// when still set; the tail as <c>w</c>; <c>c</c>.
    /// </summary>
    public void AddRollsum(Checksum checksum, FileHeader header, Checksum source, ReadOnlySpan<byte> content, IReadOnlyList<RollsumMatch> matches)
    {
        var (mode, xattrs) = HeaderIndexes(header);
        Span<byte> sourceBytes = stackalloc byte[Checksum.ByteLength];
        source.CopyTo(sourceBytes);
        long sourceOffset = AppendPayload(sourceBytes);
        _objects.Add(new ObjectName(checksum, ObjectType.File));
        UncompressedSize += (ulong)content.Length;
        _ops.WriteByte((byte)'o');
        WriteVarint((ulong)mode);
        WriteVarint((ulong)xattrs);
        WriteVarint((ulong)content.Length);
        bool fromSource = false;
        int written = 0;
        foreach (var match in matches)
        {
            if (match.ToStart > written)
            {
                if (fromSource) _ops.WriteByte((byte)'R');
                fromSource = false;
                WriteLiteral(content[written..match.ToStart]);
            }
            if (!fromSource)
            {
                _ops.WriteByte((byte)'r');
                WriteVarint((ulong)sourceOffset);
                fromSource = true;
            }
            _ops.WriteByte((byte)'w');
            WriteVarint((ulong)match.Length);
            WriteVarint((ulong)match.FromStart);
            written = match.ToStart + match.Length;
        }
        if (fromSource) _ops.WriteByte((byte)'R');
        if (written < content.Length) WriteLiteral(content[written..]);
        _ops.WriteByte((byte)'c');
    }

    /// <summary>Bytes of the object being written, from the blob: <c>w length offset</c>.</summary>
    private void WriteLiteral(ReadOnlySpan<byte> bytes)
    {
        long offset = AppendPayload(bytes);
        _ops.WriteByte((byte)'w');
        WriteVarint((ulong)bytes.Length);
        WriteVarint((ulong)offset);
    }

    /// <summary>
    /// Serializes, compresses (xz preset <paramref name="xzPreset"/>, as ostree: 8) and checksums the
    /// part. The <c>(a(uuu)aa(ayay)ayay)</c> tuple is laid out by hand so the blob can stream: the two
    /// tables (the first 4-aligned at offset 0, the rest byte-aligned, so no padding), the blob, the
    /// opcodes, then the end offsets of the first three members in reverse order, as GVariant frames
    /// a tuple.
    /// </summary>
    public BuiltDeltaPart Finish(bool bigEndian, uint xzPreset = 8)
    {
        byte[] modes, xattrs;
        using (var w = new GVariantWriter(ModesType, 12 * _modes.Count + 16))
        {
            w.BeginArray();
            foreach (var (uid, gid, mode) in _modes)
            {
                w.BeginTuple();
                w.WriteUInt32(BinaryPrimitives.ReverseEndianness(uid));
                w.WriteUInt32(BinaryPrimitives.ReverseEndianness(gid));
                w.WriteUInt32(BinaryPrimitives.ReverseEndianness(mode));
                w.End();
            }
            w.End();
            modes = w.ToArray();
        }
        using (var w = new GVariantWriter(XattrsType, 256))
        {
            w.BeginArray();
            foreach (var x in _xattrs) x.WriteTo(w);
            w.End();
            xattrs = w.ToArray();
        }
        var ops = _ops.GetBuffer().AsMemory(0, (int)_ops.Length);
        long end0 = modes.Length, end1 = end0 + xattrs.Length, end2 = end1 + _payload.Length;
        long body = end2 + ops.Length;
        int width = FramingOffsets.WidthForBody(body, 3);
        var framing = new byte[3 * width];
        FramingOffsets.Write(framing, width, (ulong)end2);
        FramingOffsets.Write(framing.AsSpan(width), width, (ulong)end1);
        FramingOffsets.Write(framing.AsSpan(2 * width), width, (ulong)end0);

        using var file = new MemoryStream();
        file.WriteByte((byte)'x');
        IEnumerable<ReadOnlyMemory<byte>> serialized = [modes, xattrs, .. _payload.Segments(), ops, framing];
        Native.Lzma.CompressXz(serialized, xzPreset, file);
        _payload.Dispose();
        var bytes = file.ToArray();
        var header = new DeltaPartHeader(Index, DeltaSuperblock.MaxPartVersion, Checksum.FromBytes(SHA256.HashData(bytes)),
            (ulong)bytes.Length, UncompressedSize, _objects.ToArray());
        return new BuiltDeltaPart(bytes, header);
    }

    private static readonly GVariantType ModesType = GVariantType.Parse("a(uuu)");
    private static readonly GVariantType XattrsType = GVariantType.Parse("aa(ayay)");

    private (int Mode, int Xattrs) HeaderIndexes(FileHeader header)
    {
        var key = (header.Uid, header.Gid, header.Mode);
        if (!_modeIndex.TryGetValue(key, out int mode))
        {
            mode = _modes.Count;
            _modes.Add(key);
            _modeIndex[key] = mode;
        }
        int xattrs = _xattrs.IndexOf(header.Xattrs);
        if (xattrs < 0)
        {
            xattrs = _xattrs.Count;
            _xattrs.Add(header.Xattrs);
        }
        return (mode, xattrs);
    }

    private long AppendPayload(ReadOnlySpan<byte> bytes) => _payload.Append(bytes);

    private void WriteVarint(ulong value) => Varint.Write(_ops, value);
}
