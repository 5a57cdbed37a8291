using System.Buffers.Binary;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Summary;

/// <summary>A parsed <c>summary</c> file: its refs, other collections' refs and additional metadata.</summary>
public sealed class SummaryFile
{
    public const string ModeKey = "ostree.summary.mode";
    public const string LastModifiedKey = "ostree.summary.last-modified";
    public const string ExpiresKey = "ostree.summary.expires";
    public const string TombstoneCommitsKey = "ostree.summary.tombstone-commits";
    public const string IndexedDeltasKey = "ostree.summary.indexed-deltas";
    public const string StaticDeltasKey = "ostree.static-deltas";
    public const string CollectionIdKey = "ostree.summary.collection-id";
    public const string CollectionMapKey = "ostree.summary.collection-map";

    /// <summary>The exact bytes the summary was parsed from (signatures cover these).</summary>
    public required byte[] Bytes { get; init; }
    /// <summary>Refs of the main collection, in file order (sorted by name when ostree wrote it).</summary>
    public required IReadOnlyList<SummaryRef> Refs { get; init; }
    /// <summary>Refs of other collections (<c>ostree.summary.collection-map</c>), by collection ID.</summary>
    public required IReadOnlyList<KeyValuePair<string, IReadOnlyList<SummaryRef>>> CollectionMap { get; init; }
    public required VariantDictionary Metadata { get; init; }

    public string? CollectionId => Metadata.GetString(CollectionIdKey);
    public string? Mode => Metadata.GetString(ModeKey);

    public ulong? LastModified => Metadata[LastModifiedKey] is { } v && v.Type.Signature == "t"
        ? BinaryPrimitives.ReverseEndianness(v.AsUInt64())
        : null;

    public SummaryRef? FindRef(string name)
    {
        foreach (var r in Refs) if (r.Name == name) return r;
        return null;
    }
}
