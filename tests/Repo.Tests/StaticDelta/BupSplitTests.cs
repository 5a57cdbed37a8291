using Arbor.Repo.StaticDelta;

namespace Arbor.Repo.Tests.StaticDelta;

/// <summary>
/// <see cref="BupSplit.Chunks"/> finds each chunk's cut from a one-pass table instead of rolling from
/// every start as bup does: the chunks must be those of bup's algorithm, written out plainly here
/// (a 64-byte ring buffer rolled from each chunk's start until the first cut).
/// </summary>
public sealed class BupSplitTests
{
    public static TheoryData<string> Inputs => ["random", "zeros", "text", "sparse", "tiny", "empty"];

    private static byte[] Input(string name)
    {
        var rng = new Random(name.Length * 7919);
        switch (name)
        {
            case "random": { var b = new byte[600_000]; rng.NextBytes(b); return b; }
            case "zeros": return new byte[100_000];
            case "text": return System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 20_000).Select(i => $"line {i % 977} of a config file\n")));
            case "sparse":
                {
                    // long runs without a cut (zeros) between random islands: chunks of the maximum
                    // length, cuts far apart, and the end without cuts
                    var b = new byte[400_000];
                    for (int at = 0; at < 300_000; at += 90_000) rng.NextBytes(b.AsSpan(at, 20_000));
                    return b;
                }
            case "tiny": return [1, 2, 3];
            default: return [];
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void ChunksAreThoseOfBupsAlgorithm(string input)
    {
        var data = Input(input);
        var chunks = BupSplit.Chunks(data);
        Assert.Equal(Reference(data), chunks);
        Assert.Equal(data.Length, chunks.Sum(c => c.Length));
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, BupSplit.MaxChunk));
    }

    [Fact]
    public void RandomDataIsCutEveryEightKilobytesOrSo()
    {
        var data = Input("random");
        int count = BupSplit.Chunks(data).Count;
        Assert.InRange(count, data.Length / 8192 / 2, data.Length / 8192 * 2);
    }

    /// <summary>ostree's rollsum_chunks_crc32 over bupsplit_find_ofs, rolled from each start.</summary>
    private static List<(int, int)> Reference(byte[] data)
    {
        var chunks = new List<(int, int)>();
        int start = 0;
        bool end = false;
        while (start < data.Length)
        {
            int remaining = data.Length - start, length;
            if (!end)
            {
                length = FindOffset(data.AsSpan(start));
                if (length == 0) { end = true; length = Math.Min(BupSplit.MaxChunk, remaining); }
                else if (length > BupSplit.MaxChunk) length = BupSplit.MaxChunk;
            }
            else length = Math.Min(BupSplit.MaxChunk, remaining);
            chunks.Add((start, length));
            start += length;
        }
        return chunks;
    }

    private static int FindOffset(ReadOnlySpan<byte> buf)
    {
        uint s1 = 64 * 31, s2 = 64 * 63 * 31;
        var window = new byte[64];
        int wofs = 0;
        for (int count = 0; count < buf.Length; count++)
        {
            byte drop = window[wofs], add = buf[count];
            unchecked
            {
                s1 += (uint)(add - drop);
                s2 += s1 - 64 * (uint)(drop + 31);
            }
            window[wofs] = add;
            wofs = (wofs + 1) % 64;
            if ((s2 & 8191) == 8191) return count + 1;
        }
        return 0;
    }
}
