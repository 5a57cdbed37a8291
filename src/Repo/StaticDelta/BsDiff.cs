namespace Arbor.Repo.StaticDelta;

/// <summary>
/// Writes a bsdiff patch in the form <see cref="BsPatch"/> reads (the bare stream of the
/// <c>B</c> opcode: control triples of sign-magnitude little-endian numbers, each followed by its
/// diff and extra bytes). The algorithm is Colin Percival's: a suffix array of the old bytes, then
/// a scan of the new bytes for approximate matches, each extended forwards and backwards and
/// stored as byte-wise differences. The suffix array is built in linear time (<see cref="SuffixArray"/>).
/// </summary>
public static class BsDiff
{
    public static byte[] Create(ReadOnlySpan<byte> old, ReadOnlySpan<byte> @new)
    {
        var sa = SuffixArray.WithEmptySuffix(old);
        using var patch = new MemoryStream(@new.Length / 8 + 64);
        int oldSize = old.Length, newSize = @new.Length;
        int scan = 0, len = 0, pos = 0, lastScan = 0, lastPos = 0, lastOffset = 0;
        while (scan < newSize)
        {
            int oldScore = 0;
            for (int scsc = scan += len; scan < newSize; scan++)
            {
                len = Search(sa, old, @new[scan..], 0, oldSize, out pos);
                for (; scsc < scan + len; scsc++)
                    if (scsc + lastOffset < oldSize && old[scsc + lastOffset] == @new[scsc]) oldScore++;
                if ((len == oldScore && len != 0) || len > oldScore + 8) break;
                if (scan + lastOffset < oldSize && old[scan + lastOffset] == @new[scan]) oldScore--;
            }
            if (len == oldScore && scan != newSize) continue;

            // extend the previous match forwards and this one backwards, then split any overlap
            int s = 0, sf = 0, lenF = 0;
            for (int i = 0; lastScan + i < scan && lastPos + i < oldSize;)
            {
                if (old[lastPos + i] == @new[lastScan + i]) s++;
                i++;
                if (s * 2 - i > sf * 2 - lenF) { sf = s; lenF = i; }
            }
            int lenB = 0;
            if (scan < newSize)
            {
                s = 0;
                int sb = 0;
                for (int i = 1; scan >= lastScan + i && pos >= i; i++)
                {
                    if (old[pos - i] == @new[scan - i]) s++;
                    if (s * 2 - i > sb * 2 - lenB) { sb = s; lenB = i; }
                }
            }
            if (lastScan + lenF > scan - lenB)
            {
                int overlap = lastScan + lenF - (scan - lenB);
                s = 0;
                int ss = 0, lenS = 0;
                for (int i = 0; i < overlap; i++)
                {
                    if (@new[lastScan + lenF - overlap + i] == old[lastPos + lenF - overlap + i]) s++;
                    if (@new[scan - lenB + i] == old[pos - lenB + i]) s--;
                    if (s > ss) { ss = s; lenS = i + 1; }
                }
                lenF += lenS - overlap;
                lenB -= lenS;
            }

            int extra = scan - lenB - (lastScan + lenF);
            WriteOffset(patch, lenF);
            WriteOffset(patch, extra);
            WriteOffset(patch, pos - lenB - (lastPos + lenF));
            for (int i = 0; i < lenF; i++) patch.WriteByte(unchecked((byte)(@new[lastScan + i] - old[lastPos + i])));
            patch.Write(@new.Slice(lastScan + lenF, extra));
            lastScan = scan - lenB;
            lastPos = pos - lenB;
            lastOffset = pos - scan;
        }
        return patch.ToArray();
    }

    /// <summary>The longest match of <paramref name="target"/> among the suffixes <c>sa[st..en]</c> (binary search).</summary>
    private static int Search(int[] sa, ReadOnlySpan<byte> old, ReadOnlySpan<byte> target, int st, int en, out int pos)
    {
        while (en - st >= 2)
        {
            int x = st + (en - st) / 2;
            var suffix = old[sa[x]..];
            int n = Math.Min(suffix.Length, target.Length);
            if (suffix[..n].SequenceCompareTo(target[..n]) < 0) st = x;
            else en = x;
        }
        int a = old[sa[st]..].CommonPrefixLength(target), b = old[sa[en]..].CommonPrefixLength(target);
        if (a > b)
        {
            pos = sa[st];
            return a;
        }
        pos = sa[en];
        return b;
    }

    private static void WriteOffset(Stream s, long x)
    {
        Span<byte> b = stackalloc byte[8];
        ulong y = (ulong)(x < 0 ? -x : x);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(b, y);
        if (x < 0) b[7] |= 0x80;
        s.Write(b);
    }
}
