using Arbor.Repo.Core;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Summary;

/// <summary>One ref entry of a summary: <c>(s(taya{sv}))</c> (repo-format.md §8).</summary>
/// <param name="Name">The ref name.</param>
/// <param name="CommitSize">Size in bytes of the commit object (stored in host, little-endian, order).</param>
/// <param name="Commit">The commit the ref points at.</param>
/// <param name="Metadata">Per-ref metadata: <c>ostree.commit.timestamp</c> (BE) and <c>ostree.commit.version</c>.</param>
public sealed record SummaryRef(string Name, ulong CommitSize, Checksum Commit, VariantDictionary Metadata)
{
    public const string TimestampKey = "ostree.commit.timestamp";
    public const string VersionKey = "ostree.commit.version";

    /// <summary>The commit timestamp (seconds since the epoch), when the summary carries it.</summary>
    public ulong? Timestamp => Metadata[TimestampKey] is { } v && v.Type.Signature == "t"
        ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v.AsUInt64())
        : null;

    public string? Version => Metadata.GetString(VersionKey);
}
