using System.Buffers.Binary;
using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Repo.StaticDelta;

/// <summary>One part as <c>static-delta show</c> describes it.</summary>
public sealed record DeltaPartInfo(int Index, int ObjectCount, ulong Size, ulong UncompressedSize,
    int ModeCount, int XattrCount, int BlobSize, int OpsSize, DeltaOpCounts Ops);

/// <summary>A decoded delta, as <c>static-delta show</c> prints it.</summary>
/// <param name="Endianness">"little", "big", either with " (heuristic)", or "invalid".</param>
public sealed record DeltaInfo(string Id, bool Signed, Checksum? From, Checksum To, string Endianness, ulong Timestamp, int ParentCount,
    IReadOnlyList<DeltaFallback> Fallbacks, IReadOnlyList<DeltaPartInfo> Parts);

/// <summary>
/// Reads a delta for <c>static-delta show</c> (ostree's <c>_ostree_repo_static_delta_dump</c>): the
/// superblock named by a delta id (or a path, when the argument has a <c>/</c>), unwrapped when
/// signed, then each part, opened and counted opcode by opcode without writing anything. Parts are
/// read from the repository's <c>deltas/</c>; inline parts from the superblock (ostree 2022.7 fails
/// on those, looking for a part file).
/// </summary>
public static class DeltaInspector
{
    public static DeltaInfo Inspect(Repository repo, string id)
    {
        var (bytes, shown) = StaticDeltaStore.ReadSuperblock(repo, id);
        bool signed = DeltaSuperblock.IsSigned(bytes);
        if (signed) bytes = DeltaSuperblock.Unwrap(bytes, shown);
        var sb = DeltaSuperblock.Parse(bytes, shown);

        var (endianness, swap) = Endianness(sb);
        var fallbacks = sb.Fallbacks.Select(f => swap ? f with { Size = Swap(f.Size), UncompressedSize = Swap(f.UncompressedSize) } : f).ToList();
        var dir = Summary.StaticDeltaNames.RelativeDirectory(sb.From, sb.To);
        var parts = new List<DeltaPartInfo>();
        foreach (var h in sb.Parts)
        {
            var rel = $"{dir}/{h.Index}";
            var data = sb.GetMetadataValue(rel, "(yay)");
            if (data is null)
            {
                var partPath = repo.FullPath(rel);
                if (!File.Exists(partPath)) throw new RepoException($"openat({rel}): No such file or directory");
                data = File.ReadAllBytes(partPath);
            }
            var part = DeltaPart.Open(data, rel, h.UncompressedSize);
            var counts = DeltaPartExecutor.Count(part, h.Objects);
            parts.Add(new DeltaPartInfo(h.Index, h.Objects.Count, swap ? Swap(h.Size) : h.Size, swap ? Swap(h.UncompressedSize) : h.UncompressedSize,
                part.Modes.Count, part.Xattrs.Count, part.Payload.Length, part.Operations.Length, counts));
        }
        return new DeltaInfo(id, signed, sb.From, sb.To, endianness, sb.Timestamp, sb.ParentCount, fallbacks, parts);
    }

    /// <summary>ostree's <c>_ostree_delta_get_endianness</c>: the recorded byte, else a guess from implausible sizes.</summary>
    private static (string Description, bool Swap) Endianness(DeltaSuperblock sb)
    {
        switch (sb.EndiannessByte)
        {
            case (byte)'l': return ("little", false);
            case (byte)'B': return ("big", false); // already read big-endian
            case not null: return ("invalid", false);
        }
        ulong totalSize = 0;
        long totalObjects = 0;
        foreach (var p in sb.Parts)
        {
            totalObjects += p.Objects.Count;
            totalSize += p.Size;
            if (p.Size > p.UncompressedSize && (double)p.Size / p.UncompressedSize > 1.2) return ("big (heuristic)", true);
        }
        if (totalObjects > 0 && totalSize / (ulong)totalObjects > uint.MaxValue) return ("big (heuristic)", true);
        return ("invalid", false);
    }

    private static ulong Swap(ulong v) => BinaryPrimitives.ReverseEndianness(v);
}
