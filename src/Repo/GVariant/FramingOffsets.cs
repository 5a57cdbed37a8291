using System.Buffers.Binary;

namespace Arbor.Repo.GVariant;

/// <summary>Framing-offset widths, reading and writing (gvariant.md §4). Offsets are always little-endian.</summary>
public static class FramingOffsets
{
    /// <summary>Width a reader uses for a container of <paramref name="containerSize"/> bytes.</summary>
    public static int WidthForSize(long containerSize) => containerSize switch
    {
        0 => 0,
        <= byte.MaxValue => 1,
        <= ushort.MaxValue => 2,
        <= uint.MaxValue => 4,
        _ => 8,
    };

    /// <summary>Smallest width W such that body + n·W fits in W bytes (the writer rule).</summary>
    public static int WidthForBody(long bodySize, int offsetCount)
    {
        if (offsetCount == 0) return 0;
        if (bodySize + offsetCount <= byte.MaxValue) return 1;
        if (bodySize + 2L * offsetCount <= ushort.MaxValue) return 2;
        if (bodySize + 4L * offsetCount <= uint.MaxValue) return 4;
        return 8;
    }

    public static ulong Read(ReadOnlySpan<byte> data, int width) => width switch
    {
        1 => data[0],
        2 => BinaryPrimitives.ReadUInt16LittleEndian(data),
        4 => BinaryPrimitives.ReadUInt32LittleEndian(data),
        8 => BinaryPrimitives.ReadUInt64LittleEndian(data),
        _ => throw new ArgumentOutOfRangeException(nameof(width)),
    };

    public static void Write(Span<byte> destination, int width, ulong value)
    {
        switch (width)
        {
            case 1: destination[0] = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)value); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)value); break;
            case 8: BinaryPrimitives.WriteUInt64LittleEndian(destination, value); break;
            default: throw new ArgumentOutOfRangeException(nameof(width));
        }
    }
}
