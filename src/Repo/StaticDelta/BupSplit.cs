namespace Arbor.Repo.StaticDelta;

/// <summary>
/// Content-defined chunking with bup's rolling checksum, as ostree 2022.7's rollsum matching cuts a
/// file: from a chunk's start the sum rolls over a 64-byte window (the bytes before the start count
/// as zeros); the chunk ends after the first byte where the low 13 bits of the second sum are all
/// ones, at most <see cref="MaxChunk"/> bytes later; once no cut is left in the rest of the file, the
/// rest is cut every <see cref="MaxChunk"/> bytes.
/// </summary>
/// <remarks>
/// The sums are a function of the window alone, so where the window holds no byte from before the
/// chunk's start (64 bytes on), a cut does not depend on where the chunk started: those cuts are found
/// in one pass over the file, and each chunk only rolls its first 63 bytes again. ostree rolls from
/// each start until the next cut (quadratic where cuts are far apart); the chunks are the same.
/// </remarks>
public static class BupSplit
{
    public const int WindowSize = 64;
    private const int BlobBits = 13;
    private const uint BlobMask = (1u << BlobBits) - 1;
    private const uint CharOffset = 31;
    /// <summary>The longest chunk (ostree's ROLLSUM_BLOB_MAX).</summary>
    public const int MaxChunk = 8192 * 4;

    /// <summary>The chunks of <paramref name="data"/>, in order, as (start, length).</summary>
    public static List<(int Start, int Length)> Chunks(ReadOnlySpan<byte> data)
    {
        var cuts = WindowCuts(data);
        var chunks = new List<(int, int)>(data.Length / 8192 + 1);
        int start = 0, next = 0;
        bool cutsLeft = true;
        while (start < data.Length)
        {
            int remaining = data.Length - start, length;
            if (cutsLeft)
            {
                length = FirstCut(data, start, cuts, ref next);
                if (length == 0)
                {
                    cutsLeft = false;
                    length = Math.Min(MaxChunk, remaining);
                }
                else if (length > MaxChunk) length = MaxChunk;
            }
            else length = Math.Min(MaxChunk, remaining);
            chunks.Add((start, length));
            start += length;
        }
        return chunks;
    }

    /// <summary>
    /// The length up to and including the first cut from <paramref name="start"/> (0: none), as bup's
    /// <c>bupsplit_find_ofs</c> returns it; <paramref name="next"/> walks <paramref name="cuts"/> forward.
    /// </summary>
    private static int FirstCut(ReadOnlySpan<byte> data, int start, List<int> cuts, ref int next)
    {
        // the first 63 positions see zeros for the bytes before the start
        var head = data.Slice(start, Math.Min(WindowSize - 1, data.Length - start));
        var sum = new RollingSum();
        for (int i = 0; i < head.Length; i++)
        {
            sum.Roll(i >= WindowSize ? head[i - WindowSize] : (byte)0, head[i]);
            if (sum.IsCut) return i + 1;
        }
        int from = start + WindowSize - 1;
        while (next < cuts.Count && cuts[next] < from) next++;
        return next < cuts.Count ? cuts[next] - start + 1 : 0;
    }

    /// <summary>The positions (of a window's last byte) where a window of 64 bytes of the file makes a cut.</summary>
    private static List<int> WindowCuts(ReadOnlySpan<byte> data)
    {
        var cuts = new List<int>(data.Length / 8192 + 1);
        var sum = new RollingSum();
        for (int i = 0; i < data.Length; i++)
        {
            sum.Roll(i >= WindowSize ? data[i - WindowSize] : (byte)0, data[i]);
            if (i >= WindowSize - 1 && sum.IsCut) cuts.Add(i);
        }
        return cuts;
    }

    /// <summary>librsync's rolling sums (the arithmetic is modulo 2^32, as bup's unsigned ints).</summary>
    private struct RollingSum()
    {
        private uint _s1 = WindowSize * CharOffset;
        private uint _s2 = WindowSize * (WindowSize - 1) * CharOffset;

        public void Roll(byte drop, byte add)
        {
            unchecked
            {
                _s1 += (uint)(add - drop);
                _s2 += _s1 - WindowSize * (drop + CharOffset);
            }
        }

        public readonly bool IsCut => (_s2 & BlobMask) == BlobMask;
    }
}
