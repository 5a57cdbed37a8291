using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Summary;

/// <summary>Parses a summary <c>(a(s(taya{sv}))a{sv})</c>, checking type and normal form (repo-format.md §8).</summary>
public static class SummaryReader
{
    private static readonly GVariantType RefListType = GVariantType.Parse("a(s(taya{sv}))");
    private static readonly GVariantType CollectionMapType = GVariantType.Parse("a{sa(s(taya{sv}))}");

    /// <summary>Parses summary bytes; <paramref name="origin"/> names them in errors (a path or URL).</summary>
    public static SummaryFile Parse(byte[] bytes, string origin)
    {
        GVariantValue root;
        try
        {
            root = GVariantNormalForm.Validate(bytes, ObjectFormats.Summary, "summary");
        }
        catch (GVariantFormatException e)
        {
            throw new CorruptObjectException($"Invalid summary {origin}: {e.Message}");
        }
        var refs = ReadRefs(root.Children[0], origin);
        var meta = ToDictionary(root.Children[1]);
        var map = new List<KeyValuePair<string, IReadOnlyList<SummaryRef>>>();
        if (meta[SummaryFile.CollectionMapKey] is { } cm)
        {
            if (!cm.Type.Equals(CollectionMapType))
                throw new CorruptObjectException($"Invalid summary {origin}: {SummaryFile.CollectionMapKey} has type '{cm.Type}'");
            foreach (var entry in cm.Children)
                map.Add(new(entry.Children[0].AsString(), ReadRefs(entry.Children[1], origin)));
        }
        return new SummaryFile { Bytes = bytes, Refs = refs, CollectionMap = map, Metadata = meta };
    }

    private static List<SummaryRef> ReadRefs(GVariantValue list, string origin)
    {
        if (!list.Type.Equals(RefListType)) throw new CorruptObjectException($"Invalid summary {origin}: ref list has type '{list.Type}'");
        var refs = new List<SummaryRef>(list.ChildCount);
        foreach (var entry in list.Children)
        {
            var name = entry.Children[0].AsString();
            var body = entry.Children[1].Children;
            var csum = body[1].AsBytes();
            if (csum.Length != Checksum.ByteLength)
                throw new CorruptObjectException($"Invalid summary {origin}: ref '{name}' has a checksum of {csum.Length} bytes");
            refs.Add(new SummaryRef(name, body[0].AsUInt64(), Checksum.FromBytes(csum), ToDictionary(body[2])));
        }
        return refs;
    }

    private static VariantDictionary ToDictionary(GVariantValue asv)
    {
        var d = new VariantDictionary();
        foreach (var e in asv.Children) d.Set(e.Children[0].AsString(), e.Children[1].Inner!);
        return d;
    }
}
