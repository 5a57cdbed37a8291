using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;

namespace Arbor.Repo.StaticDelta;

/// <summary>
/// An opened delta part: the compression byte (0 none, <c>'x'</c> xz) removed and the payload
/// <c>(a(uuu)aa(ayay)ayay)</c> decoded into its mode table (uid, gid, mode, big-endian), its xattr
/// table, the raw data blob and the opcode stream.
/// </summary>
public sealed class DeltaPart
{
    public const string Format = "(a(uuu)aa(ayay)ayay)";
    private static readonly GVariantType Type = GVariantType.Parse(Format);

    private readonly byte[] _buffer;
    private readonly int _payloadStart, _payloadLength, _opsStart, _opsLength;

    public IReadOnlyList<(uint Uid, uint Gid, uint Mode)> Modes { get; }
    public IReadOnlyList<XattrList> Xattrs { get; }
    public ReadOnlySpan<byte> Payload => _buffer.AsSpan(_payloadStart, _payloadLength);
    public ReadOnlySpan<byte> Operations => _buffer.AsSpan(_opsStart, _opsLength);

    private DeltaPart(byte[] buffer, IReadOnlyList<(uint, uint, uint)> modes, IReadOnlyList<XattrList> xattrs, int ps, int pl, int os, int ol)
    {
        _buffer = buffer;
        Modes = modes;
        Xattrs = xattrs;
        (_payloadStart, _payloadLength, _opsStart, _opsLength) = (ps, pl, os, ol);
    }

    /// <summary>Opens a part from its file bytes (or an inline part's <c>(yay)</c> bytes, which are the same);
    /// <paramref name="sizeHint"/> is the uncompressed size the superblock gives (a hint: ostree's is the blob's size).</summary>
    public static DeltaPart Open(byte[] data, string what, ulong sizeHint = 0)
    {
        if (data.Length == 0) throw new StaticDeltaException($"Static delta part {what}: empty");
        byte[] payload;
        switch (data[0])
        {
            case 0:
                payload = data.AsSpan(1).ToArray();
                break;
            case (byte)'x':
                payload = Decompress(data, what, sizeHint);
                break;
            default:
                throw new StaticDeltaException($"Static delta part {what}: Invalid compression type '{data[0]}'");
        }
        try { return Parse(payload); }
        catch (Exception e) when (e is GVariantFormatException or ArgumentOutOfRangeException or InvalidOperationException)
        {
            throw new StaticDeltaException($"Static delta part {what}: {e.Message}");
        }
    }

    private static byte[] Decompress(byte[] data, string what, ulong sizeHint)
    {
        long hint = (long)Math.Min(sizeHint, (ulong)Array.MaxLength);
        try { return Lzma.DecompressXz(data.AsSpan(1), hint + hint / 8 + 65536); }
        catch (InvalidDataException e) { throw new StaticDeltaException($"Static delta part {what}: invalid xz data: {e.Message}"); }
    }

    private static DeltaPart Parse(byte[] payload)
    {
        var root = new GVariantReader(payload, Type);
        var modes = new List<(uint, uint, uint)>();
        foreach (var m in root.Member(0).EnumerateArray())
            modes.Add((Be(m.Member(0).GetUInt32()), Be(m.Member(1).GetUInt32()), Be(m.Member(2).GetUInt32())));
        var xattrs = new List<XattrList>();
        // names are NUL-terminated in the part as in file objects: read them as file headers do
        foreach (var set in root.Member(1).EnumerateArray()) xattrs.Add(XattrList.Read(set));
        var blob = root.Member(2).GetBytes();
        var ops = root.Member(3).GetBytes();
        return new DeltaPart(payload, modes, xattrs, OffsetIn(payload, blob), blob.Length, OffsetIn(payload, ops), ops.Length);
    }

    private static uint Be(uint v) => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v);

    private static int OffsetIn(byte[] whole, ReadOnlySpan<byte> slice) => slice.IsEmpty
        ? 0
        : (int)Unsafe.ByteOffset(ref MemoryMarshal.GetArrayDataReference(whole), ref MemoryMarshal.GetReference(slice));
}
