namespace Arbor.Repo.StaticDelta;

/// <summary>A chunk of the new file found in the old one: <see cref="Length"/> bytes at <see cref="ToStart"/> equal those at <see cref="FromStart"/>.</summary>
public readonly record struct RollsumMatch(int Length, int ToStart, int FromStart);

/// <summary>
/// ostree 2022.7's rollsum matching of a new file against an old one. Both are cut by
/// <see cref="BupSplit"/>; ostree keys each chunk by the CRC-32 of the file's first N bytes, N being
/// the chunk's length (it hashes from the start of the file, not of the chunk), then compares a
/// looked-up chunk byte for byte. So a chunk of the new file is found only among the old file's
/// chunks of its length, and only when the two files have their first N bytes in common; the first
/// equal one in file order is the match. Arbor keys by length and that common prefix (the same
/// result but for CRC-32 collisions). A delta carries the new file as the matched ranges of the old
/// one plus the rest literally when at least half of its chunks match (<see cref="Worthwhile"/>).
/// </summary>
public sealed class RollsumMatches
{
    /// <summary>The matches in the order of the new file (they never overlap).</summary>
    public IReadOnlyList<RollsumMatch> Matches { get; }
    /// <summary>The new file's chunks.</summary>
    public int Total { get; }
    /// <summary>The new file's distinct keys found among the old file's (ostree's "crcs").</summary>
    public int CrcMatches { get; }
    /// <summary>The bytes of the new file the matches cover.</summary>
    public long MatchSize { get; }

    /// <summary>ostree takes the matches when at least 50% of the new file's chunks are found.</summary>
    public bool Worthwhile => Total > 0 && Matches.Count * 100L / Total >= 50;

    private RollsumMatches(List<RollsumMatch> matches, int total, int crcMatches)
    {
        Matches = matches;
        Total = total;
        CrcMatches = crcMatches;
        MatchSize = matches.Sum(m => (long)m.Length);
    }

    public static RollsumMatches Compute(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to)
    {
        int common = from.CommonPrefixLength(to);
        // the old file's chunks a new one can be looked up among: by length, those within the common prefix's length
        var fromChunks = new Dictionary<int, List<int>>();
        foreach (var (start, length) in BupSplit.Chunks(from))
        {
            if (length > common) continue;
            if (!fromChunks.TryGetValue(length, out var starts)) fromChunks[length] = starts = [];
            starts.Add(start);
        }
        var toChunks = BupSplit.Chunks(to);
        var matches = new List<RollsumMatch>();
        var keys = new HashSet<int>();
        foreach (var (toStart, length) in toChunks)
        {
            if (!fromChunks.TryGetValue(length, out var starts)) continue;
            keys.Add(length);
            var bytes = to.Slice(toStart, length);
            foreach (int fromStart in starts)
            {
                if (!from.Slice(fromStart, length).SequenceEqual(bytes)) continue;
                matches.Add(new RollsumMatch(length, toStart, fromStart));
                break;
            }
        }
        return new RollsumMatches(matches, toChunks.Count, keys.Count);
    }
}
