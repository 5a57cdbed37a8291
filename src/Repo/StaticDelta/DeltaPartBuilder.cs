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
/// and compresses it with xz (compression byte <c>'x'</c>).
/// </summary>
public sealed class DeltaPartBuilder(int index)
{
    private readonly MemoryStream _payload = new();
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
        _objects.Add(new ObjectName(checksum, ObjectType.File));
        UncompressedSize += (ulong)content.Length;
        _ops.WriteByte((byte)'S');
        WriteVarint((ulong)mode);
        WriteVarint((ulong)xattrs);
        WriteVarint((ulong)content.Length);
        WriteVarint((ulong)offset);
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

    /// <summary>Serializes, compresses (xz preset <paramref name="xzPreset"/>, as ostree: 8) and checksums the part.</summary>
    public BuiltDeltaPart Finish(bool bigEndian, uint xzPreset = 8)
    {
        byte[] payload;
        using (var w = new GVariantWriter(DeltaPart.Format, (int)Math.Min(int.MaxValue, _payload.Length + _ops.Length + 256)))
        {
            w.BeginTuple();
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
            w.BeginArray();
            foreach (var x in _xattrs) x.WriteTo(w);
            w.End();
            w.WriteByteArray(_payload.GetBuffer().AsSpan(0, (int)_payload.Length));
            w.WriteByteArray(_ops.GetBuffer().AsSpan(0, (int)_ops.Length));
            w.End();
            payload = w.ToArray();
        }
        using var file = new MemoryStream(payload.Length / 2 + 64);
        file.WriteByte((byte)'x');
        Native.Lzma.CompressXz(payload, xzPreset, file);
        var bytes = file.ToArray();
        var header = new DeltaPartHeader(Index, DeltaSuperblock.MaxPartVersion, Checksum.FromBytes(SHA256.HashData(bytes)),
            (ulong)bytes.Length, UncompressedSize, _objects.ToArray());
        return new BuiltDeltaPart(bytes, header);
    }

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

    private long AppendPayload(ReadOnlySpan<byte> bytes)
    {
        long offset = _payload.Length;
        _payload.Write(bytes);
        return offset;
    }

    private void WriteVarint(ulong value) => Varint.Write(_ops, value);
}
