using System.Buffers.Binary;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;

namespace Arbor.Repo.Objects;

/// <summary>A commit object <c>(a{sv}aya(say)sstayay)</c> (repo-format.md §5.1). The timestamp is stored big-endian.</summary>
public sealed class CommitObject
{
    public VariantDictionary Metadata { get; init; } = new();
    public Checksum? Parent { get; init; }
    public string Subject { get; init; } = "";
    public string Body { get; init; } = "";
    /// <summary>Seconds since the epoch, UTC.</summary>
    public ulong Timestamp { get; init; }
    public Checksum RootTree { get; init; }
    public Checksum RootMeta { get; init; }
    /// <summary>Related objects (member 2), kept for round-tripping; always empty in practice.</summary>
    public IReadOnlyList<(string Name, Checksum Checksum)> Related { get; init; } = [];

    public DateTimeOffset Date => DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(Timestamp, (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds()));

    public string? Version => Metadata.GetString("version");

    /// <summary>ContentChecksum as printed by <c>ostree show</c>: SHA-256(root tree ‖ root meta) (§4.4).</summary>
    public Checksum ContentChecksum
    {
        get
        {
            Span<byte> buf = stackalloc byte[64];
            RootTree.CopyTo(buf);
            RootMeta.CopyTo(buf[32..]);
            return Checksum.Compute(buf);
        }
    }

    public byte[] Serialize()
    {
        using var w = new GVariantWriter(ObjectFormats.Commit, 512);
        Span<byte> csum = stackalloc byte[32];
        w.BeginTuple();
        Metadata.WriteTo(w);
        if (Parent is { } p) { p.CopyTo(csum); w.WriteByteArray(csum); } else w.WriteByteArray([]);
        w.BeginArray();
        foreach (var (name, c) in Related)
        {
            w.BeginTuple();
            w.WriteString(name);
            c.CopyTo(csum);
            w.WriteByteArray(csum);
            w.End();
        }
        w.End();
        w.WriteString(Subject);
        w.WriteString(Body);
        w.WriteUInt64(BinaryPrimitives.ReverseEndianness(Timestamp));
        RootTree.CopyTo(csum); w.WriteByteArray(csum);
        RootMeta.CopyTo(csum); w.WriteByteArray(csum);
        w.End();
        return w.ToArray();
    }

    /// <summary>Parses and validates structure (§5.3). Normal form is checked by the caller when required.</summary>
    public static CommitObject Parse(ReadOnlySpan<byte> data)
    {
        try
        {
            var r = new GVariantReader(data, ObjectFormats.Commit);
            var meta = VariantDictionary.Read(r.Member(0));
            foreach (var (k, _) in meta.Entries)
                if (k.Length == 0) throw new CorruptObjectException("Empty metadata key");
            var parent = r.Member(1).GetBytes();
            if (parent.Length != 0 && parent.Length != 32)
                throw new CorruptObjectException($"Invalid commit parent checksum of length {parent.Length}");
            var related = new List<(string, Checksum)>();
            foreach (var e in r.Member(2).EnumerateArray())
            {
                var c = e.Member(1).GetBytes();
                if (c.Length != 32) throw new CorruptObjectException("Invalid related object checksum");
                related.Add((e.Member(0).GetString(), Checksum.FromBytes(c)));
            }
            var tree = r.Member(6).GetBytes();
            var metaCsum = r.Member(7).GetBytes();
            if (tree.Length != 32 || metaCsum.Length != 32)
                throw new CorruptObjectException("Invalid commit root tree or meta checksum");
            return new CommitObject
            {
                Metadata = meta,
                Parent = parent.Length == 32 ? Checksum.FromBytes(parent) : null,
                Related = related,
                Subject = r.Member(3).GetString(),
                Body = r.Member(4).GetString(),
                Timestamp = BinaryPrimitives.ReverseEndianness(r.Member(5).GetUInt64()),
                RootTree = Checksum.FromBytes(tree),
                RootMeta = Checksum.FromBytes(metaCsum),
            };
        }
        catch (GVariantFormatException e)
        {
            throw new CorruptObjectException($"Invalid commit object: {e.Message}");
        }
    }
}
