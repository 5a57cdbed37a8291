namespace Arbor.Repo.StaticDelta;

/// <summary>The unsigned LEB128 varints of a static delta part's opcode stream (at most 10 bytes).</summary>
internal static class DeltaVarint
{
    public static ulong Read(ReadOnlySpan<byte> ops, ref int position)
    {
        ulong result = 0;
        for (int count = 0; count < 10; count++)
        {
            if (position >= ops.Length) break;
            byte b = ops[position++];
            result |= (ulong)(b & 0x7F) << (7 * count);
            if ((b & 0x80) == 0) return result;
        }
        throw new StaticDeltaException("Unexpected EOF reading varint");
    }
}
