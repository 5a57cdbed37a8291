using System.Buffers.Binary;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Summary;

namespace Arbor.Repo.StaticDelta;

/// <summary>
/// Serializes a superblock (<see cref="DeltaSuperblock.Format"/>) in the order ostree writes it: the
/// metadata <c>a{sv}</c> holds <c>ostree.endianness</c>, then each inline part under its relative
/// path as <c>(yay)</c>, then the TO commit's detached metadata under <c>DIR/commitmeta</c>; the
/// timestamp is big-endian; part and fallback numbers are in the delta's endianness.
/// </summary>
public static class DeltaSuperblockWriter
{
    private static readonly GVariantType InlinePartType = GVariantType.Parse("(yay)");

    public static byte[] Write(Checksum? from, Checksum to, byte[] commitBytes, byte[]? detachedMetadata,
        IReadOnlyList<BuiltDeltaPart> parts, IReadOnlyList<DeltaFallback> fallbacks, bool inlineParts, bool bigEndian, DateTimeOffset now)
    {
        var dir = StaticDeltaNames.RelativeDirectory(from, to);
        long size = commitBytes.Length + (detachedMetadata?.Length ?? 0) + parts.Sum(p => (inlineParts ? p.FileBytes.Length : 0) + 64 + p.Header.Objects.Count * 33) + 512;
        using var w = new GVariantWriter(DeltaSuperblock.Format, (int)Math.Min(int.MaxValue, size));
        w.BeginTuple();
        w.BeginArray();
        BeginEntry(w, "ostree.endianness", GVariantType.Parse("y"));
        w.WriteByte(bigEndian ? (byte)'B' : (byte)'l');
        EndEntry(w);
        if (inlineParts)
        {
            foreach (var p in parts)
            {
                BeginEntry(w, $"{dir}/{p.Header.Index}", InlinePartType);
                w.BeginTuple();
                w.WriteByte(p.FileBytes[0]);
                w.WriteByteArray(p.FileBytes.AsSpan(1));
                w.End();
                EndEntry(w);
            }
        }
        if (detachedMetadata is not null)
        {
            BeginEntry(w, $"{dir}/commitmeta", ObjectFormats.Metadata);
            GVariantValue.Deserialize(detachedMetadata, ObjectFormats.Metadata).WriteTo(w);
            EndEntry(w);
        }
        w.End();
        w.WriteUInt64(BinaryPrimitives.ReverseEndianness((ulong)now.ToUnixTimeSeconds()));
        w.WriteByteArray(from is { } f ? f.ToBytes() : []);
        w.WriteByteArray(to.ToBytes());
        GVariantValue.Deserialize(commitBytes, ObjectFormats.Commit).WriteTo(w);
        w.WriteByteArray([]);
        w.BeginArray();
        foreach (var p in parts)
        {
            var h = p.Header;
            w.BeginTuple();
            w.WriteUInt32(Swap(h.Version, bigEndian));
            w.WriteByteArray(h.Checksum.ToBytes());
            w.WriteUInt64(Swap(h.Size, bigEndian));
            w.WriteUInt64(Swap(h.UncompressedSize, bigEndian));
            w.WriteByteArray(ObjectList(h.Objects));
            w.End();
        }
        w.End();
        w.BeginArray();
        foreach (var fb in fallbacks)
        {
            w.BeginTuple();
            w.WriteByte((byte)fb.Object.Type);
            w.WriteByteArray(fb.Object.Checksum.ToBytes());
            w.WriteUInt64(Swap(fb.Size, bigEndian));
            w.WriteUInt64(Swap(fb.UncompressedSize, bigEndian));
            w.End();
        }
        w.End();
        w.End();
        return w.ToArray();
    }

    /// <summary>The 33-byte (object type, checksum) entries of a part's object list.</summary>
    public static byte[] ObjectList(IReadOnlyList<ObjectName> objects)
    {
        var bytes = new byte[objects.Count * 33];
        for (int i = 0; i < objects.Count; i++)
        {
            bytes[i * 33] = (byte)objects[i].Type;
            objects[i].Checksum.CopyTo(bytes.AsSpan(i * 33 + 1, 32));
        }
        return bytes;
    }

    private static void BeginEntry(GVariantWriter w, string key, GVariantType type)
    {
        w.BeginDictEntry();
        w.WriteString(key);
        w.BeginVariant(type);
    }

    private static void EndEntry(GVariantWriter w)
    {
        w.End();
        w.End();
    }

    private static uint Swap(uint v, bool big) => big ? BinaryPrimitives.ReverseEndianness(v) : v;
    private static ulong Swap(ulong v, bool big) => big ? BinaryPrimitives.ReverseEndianness(v) : v;
}
