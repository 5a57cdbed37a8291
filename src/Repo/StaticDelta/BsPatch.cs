namespace Arbor.Repo.StaticDelta;

/// <summary>
/// Applies a bsdiff patch in the form ostree's static deltas carry it (the <c>B</c> opcode): the
/// bare stream of Endsley's bsdiff, without a header or compression (the part as a whole is
/// compressed): repeated control triples of sign-magnitude little-endian 64-bit numbers
/// (diff length, extra length, seek in the old file), each followed by the diff bytes (added to
/// the old bytes) and the extra bytes (copied).
/// </summary>
internal static class BsPatch
{
    public static void Apply(ReadOnlySpan<byte> source, Span<byte> target, ReadOnlySpan<byte> patch)
    {
        long oldPos = 0, newPos = 0;
        int p = 0;
        while (newPos < target.Length)
        {
            long diff = ReadOffset(patch, ref p), extra = ReadOffset(patch, ref p), seek = ReadOffset(patch, ref p);
            if (diff < 0 || diff > int.MaxValue || extra < 0 || extra > int.MaxValue || newPos + diff > target.Length)
                throw new StaticDeltaException("bsdiff patch failed");
            var d = Take(patch, ref p, diff);
            for (int i = 0; i < d.Length; i++)
            {
                long o = oldPos + i;
                byte add = o >= 0 && o < source.Length ? source[(int)o] : (byte)0;
                target[(int)(newPos + i)] = unchecked((byte)(d[i] + add));
            }
            newPos += diff;
            oldPos += diff;
            if (newPos + extra > target.Length) throw new StaticDeltaException("bsdiff patch failed");
            Take(patch, ref p, extra).CopyTo(target[(int)newPos..]);
            newPos += extra;
            oldPos += seek;
        }
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> patch, ref int p, long length)
    {
        if (length > patch.Length - p) throw new StaticDeltaException("bsdiff patch failed");
        var s = patch.Slice(p, (int)length);
        p += (int)length;
        return s;
    }

    private static long ReadOffset(ReadOnlySpan<byte> patch, ref int p)
    {
        var b = Take(patch, ref p, 8);
        long y = b[7] & 0x7F;
        for (int i = 6; i >= 0; i--) y = y * 256 + b[i];
        return (b[7] & 0x80) != 0 ? -y : y;
    }
}
