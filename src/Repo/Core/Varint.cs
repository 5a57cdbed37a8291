namespace Arbor.Repo.Core;

/// <summary>The unsigned LEB128 varints ostree writes (at most 10 bytes): in <c>ostree.sizes</c> entries and static delta opcode streams.</summary>
internal static class Varint
{
    /// <summary>Reads one varint at <paramref name="position"/> and moves past it; false when the data ends first.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, ref int position, out ulong value)
    {
        value = 0;
        for (int count = 0; count < 10 && position < data.Length; count++)
        {
            byte b = data[position++];
            value |= (ulong)(b & 0x7F) << (7 * count);
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }

    /// <summary>Appends one varint to <paramref name="output"/>.</summary>
    public static void Write(Stream output, ulong value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            output.WriteByte(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
    }
}
