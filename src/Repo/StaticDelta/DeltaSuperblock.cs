using System.Buffers.Binary;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;

namespace Arbor.Repo.StaticDelta;

/// <summary>One part of a delta as its superblock describes it (<c>(uayttay)</c>).</summary>
/// <param name="Objects">The objects the part re-creates, in the order its opcodes write them.</param>
public sealed record DeltaPartHeader(int Index, uint Version, Checksum Checksum, ulong Size, ulong UncompressedSize, IReadOnlyList<ObjectName> Objects);

/// <summary>An object the delta leaves to be fetched as a loose object (<c>(yaytt)</c>).</summary>
public sealed record DeltaFallback(ObjectName Object, ulong Size, ulong UncompressedSize);

/// <summary>
/// A static delta superblock, <c>(a{sv}tayay(commit)aya(uayttay)a(yaytt))</c> (pull-protocol.md §6):
/// metadata (endianness, inline parts and the TO commit's detached metadata keyed by their
/// relative paths), FROM (empty for a from-scratch delta) and TO, the TO commit object, its parts
/// and fallback objects. Numbers of the part and fallback headers are in the delta's endianness.
/// </summary>
public sealed class DeltaSuperblock
{
    public const string Format = "(a{sv}tayay(a{sv}aya(say)sstayay)aya(uayttay)a(yaytt))";
    /// <summary>The newest part format ostree 2022.7 executes.</summary>
    public const uint MaxPartVersion = 0;
    private static readonly GVariantType Type = GVariantType.Parse(Format);

    private readonly Dictionary<string, byte[]> _metadata;

    public Checksum? From { get; }
    public Checksum To { get; }
    /// <summary>The serialized TO commit object.</summary>
    public byte[] CommitBytes { get; }
    public IReadOnlyList<DeltaPartHeader> Parts { get; }
    public IReadOnlyList<DeltaFallback> Fallbacks { get; }
    public bool BigEndian { get; }
    /// <summary>The <c>ostree.endianness</c> byte (<c>'l'</c> or <c>'B'</c>), or null when the superblock has none.</summary>
    public byte? EndiannessByte { get; private init; }
    /// <summary>The creation time (seconds since the epoch).</summary>
    public ulong Timestamp { get; private init; }
    /// <summary>How many prerequisite deltas field 5 lists (unused by ostree: always 0).</summary>
    public int ParentCount { get; private init; }

    private DeltaSuperblock(Checksum? from, Checksum to, byte[] commit, IReadOnlyList<DeltaPartHeader> parts,
        IReadOnlyList<DeltaFallback> fallbacks, bool bigEndian, Dictionary<string, byte[]> metadata)
    {
        From = from;
        To = to;
        CommitBytes = commit;
        Parts = parts;
        Fallbacks = fallbacks;
        BigEndian = bigEndian;
        _metadata = metadata;
    }

    /// <summary>The bytes of a metadata entry's value of type <paramref name="type"/> (an inline part is <c>(yay)</c>,
    /// the TO commit's detached metadata <c>a{sv}</c>), or null.</summary>
    public byte[]? GetMetadataValue(string key, string type)
    {
        if (!_metadata.TryGetValue(key, out var boxed)) return null;
        var v = new GVariantReader(boxed, GVariantType.Variant).VariantValue();
        return v.Type.Signature == type ? v.Data.ToArray() : null;
    }

    /// <summary>The magic (<c>OSTSGNDT</c> as a big-endian <c>t</c>) that starts a signed superblock <c>(taya{sv})</c>.</summary>
    public const ulong SignedMagic = 0x4F535453474E4454;
    private static readonly GVariantType SignedType = GVariantType.Parse("(taya{sv})");

    /// <summary>True when <paramref name="bytes"/> is a signed superblock wrapper.</summary>
    public static bool IsSigned(ReadOnlySpan<byte> bytes) => bytes.Length >= 8 && BinaryPrimitives.ReadUInt64BigEndian(bytes) == SignedMagic;

    /// <summary>The superblock inside a signed wrapper (its signatures are not checked here).</summary>
    public static byte[] Unwrap(byte[] signed, string what)
    {
        try { return new GVariantReader(signed, SignedType).Member(1).GetBytes().ToArray(); }
        catch (Exception e) when (e is GVariantFormatException or ArgumentOutOfRangeException or InvalidOperationException)
        {
            throw new StaticDeltaException($"Invalid signed static delta superblock {what}: {e.Message}");
        }
    }

    public static DeltaSuperblock Parse(byte[] bytes, string what)
    {
        try { return ParseCore(bytes); }
        catch (Exception e) when (e is GVariantFormatException or ArgumentOutOfRangeException or InvalidOperationException)
        {
            throw new StaticDeltaException($"Invalid static delta superblock {what}: {e.Message}");
        }
    }

    private static DeltaSuperblock ParseCore(byte[] bytes)
    {
        var root = new GVariantReader(bytes, Type);
        var metadata = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        bool bigEndian = false;
        byte? endianness = null;
        foreach (var e in root.Member(0).EnumerateArray())
        {
            var key = e.Member(0).GetString();
            var value = e.Member(1);
            metadata[key] = value.Data.ToArray();
            if (key == "ostree.endianness")
            {
                var v = value.VariantValue();
                if (v.Type.Signature == "y")
                {
                    endianness = v.GetByte();
                    bigEndian = endianness == (byte)'B';
                }
            }
        }
        var fromBytes = root.Member(2).GetBytes();
        Checksum? from = fromBytes.Length == 0 ? null : ChecksumOf(fromBytes, "FROM");
        var to = ChecksumOf(root.Member(3).GetBytes(), "TO");
        var commit = root.Member(4).Data.ToArray();

        var parts = new List<DeltaPartHeader>();
        foreach (var h in root.Member(6).EnumerateArray())
        {
            uint version = Swap(h.Member(0).GetUInt32(), bigEndian);
            var csum = ChecksumOf(h.Member(1).GetBytes(), "part");
            ulong size = Swap(h.Member(2).GetUInt64(), bigEndian), usize = Swap(h.Member(3).GetUInt64(), bigEndian);
            parts.Add(new DeltaPartHeader(parts.Count, version, csum, size, usize, ParseObjects(h.Member(4).GetBytes())));
        }
        var fallbacks = new List<DeltaFallback>();
        foreach (var f in root.Member(7).EnumerateArray())
        {
            var type = ObjectTypeOf(f.Member(0).GetByte());
            var csum = ChecksumOf(f.Member(1).GetBytes(), "fallback");
            fallbacks.Add(new DeltaFallback(new ObjectName(csum, type), Swap(f.Member(2).GetUInt64(), bigEndian), Swap(f.Member(3).GetUInt64(), bigEndian)));
        }
        return new DeltaSuperblock(from, to, commit, parts, fallbacks, bigEndian, metadata)
        {
            EndiannessByte = endianness,
            Timestamp = BinaryPrimitives.ReverseEndianness(root.Member(1).GetUInt64()),
            ParentCount = root.Member(5).GetBytes().Length / (Checksum.ByteLength * 2),
        };
    }

    /// <summary>The 33-byte (object type, checksum) entries of a part's object list.</summary>
    public static IReadOnlyList<ObjectName> ParseObjects(ReadOnlySpan<byte> data)
    {
        if (data.Length % 33 != 0) throw new StaticDeltaException("Invalid checksum array length " + data.Length);
        var list = new List<ObjectName>(data.Length / 33);
        for (int i = 0; i < data.Length; i += 33)
            list.Add(new ObjectName(Checksum.FromBytes(data.Slice(i + 1, 32)), ObjectTypeOf(data[i])));
        return list;
    }

    private static ObjectType ObjectTypeOf(byte b) => b is >= (byte)ObjectType.File and <= (byte)ObjectType.Commit
        ? (ObjectType)b
        : throw new StaticDeltaException($"Invalid object type '{b}'");

    private static Checksum ChecksumOf(ReadOnlySpan<byte> b, string what) => b.Length == Checksum.ByteLength
        ? Checksum.FromBytes(b)
        : throw new StaticDeltaException($"Invalid {what} checksum of length {b.Length}");

    private static uint Swap(uint v, bool big) => big ? BinaryPrimitives.ReverseEndianness(v) : v;
    private static ulong Swap(ulong v, bool big) => big ? BinaryPrimitives.ReverseEndianness(v) : v;

    public static string Name(Checksum? from, Checksum to) => from is { } f ? $"{f}-{to}" : to.ToString();
}
