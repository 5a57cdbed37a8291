using Arbor.Repo.StaticDelta;

namespace Arbor.Repo.Tests.StaticDelta;

/// <summary>
/// Rollsum matching as ostree 2022.7 does it (its numbers for the same files are checked against the
/// real tool in the Compat tests): a chunk is found only among the old file's chunks of its length
/// and only within the files' common prefix length, so a change near the start defeats it.
/// </summary>
public sealed class RollsumMatchesTests
{
    private static (byte[] Old, byte[] New) Changed(int length, int at)
    {
        var old = new byte[length];
        new Random(length).NextBytes(old);
        var changed = (byte[])old.Clone();
        changed.AsSpan(at, 8).Fill((byte)'Z');
        return (old, changed);
    }

    [Fact]
    public void AChangeFarIntoTheFileLeavesTheOtherChunksMatched()
    {
        var (old, changed) = Changed(1_000_000, 500_000);
        var m = RollsumMatches.Compute(old, changed);
        Assert.True(m.Worthwhile);
        Assert.Equal(BupSplit.Chunks(changed).Count, m.Total);
        Assert.InRange(m.Matches.Count, m.Total - 2, m.Total - 1);
        Assert.Equal(m.Matches.Sum(x => (long)x.Length), m.MatchSize);
        int previousEnd = 0;
        foreach (var x in m.Matches)
        {
            Assert.True(x.ToStart >= previousEnd, "in order, not overlapping");
            Assert.Equal(old.AsSpan(x.FromStart, x.Length).ToArray(), changed.AsSpan(x.ToStart, x.Length).ToArray());
            previousEnd = x.ToStart + x.Length;
        }
        // the changed bytes are in no match
        Assert.DoesNotContain(m.Matches, x => x.ToStart <= 500_000 && 500_000 < x.ToStart + x.Length);
    }

    [Fact]
    public void AChangeInTheFirstBytesDefeatsIt()
    {
        var (old, changed) = Changed(200_000, 0);
        var m = RollsumMatches.Compute(old, changed);
        Assert.Empty(m.Matches);
        Assert.Equal(0, m.CrcMatches);
        Assert.False(m.Worthwhile);
    }

    [Fact]
    public void MovedChunksAreFoundWhereTheyWere()
    {
        // the same file with 40 kB inserted at 100 kB: the chunks after it match at other offsets
        var (old, _) = Changed(300_000, 0);
        var inserted = new byte[40_000];
        new Random(5).NextBytes(inserted);
        byte[] changed = [.. old.AsSpan(0, 100_000), .. inserted, .. old.AsSpan(100_000)];
        var m = RollsumMatches.Compute(old, changed);
        Assert.True(m.Worthwhile);
        Assert.Contains(m.Matches, x => x.ToStart == x.FromStart + 40_000);
        Assert.All(m.Matches, x => Assert.Equal(old.AsSpan(x.FromStart, x.Length).ToArray(), changed.AsSpan(x.ToStart, x.Length).ToArray()));
    }

    [Fact]
    public void IdenticalFilesMatchWhole()
    {
        var (old, _) = Changed(100_000, 0);
        var m = RollsumMatches.Compute(old, old);
        Assert.Equal(m.Total, m.Matches.Count);
        Assert.Equal(old.Length, m.MatchSize);
    }
}
