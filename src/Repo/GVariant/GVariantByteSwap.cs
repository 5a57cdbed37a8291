using System.Buffers.Binary;

namespace Arbor.Repo.GVariant;

/// <summary>
/// <c>g_variant_byteswap</c>: every number of 2, 4 or 8 bytes swapped, recursively. ostree prints
/// "raw" metadata byte-swapped on little-endian hosts so its big-endian fields read correctly.
/// </summary>
public static class GVariantByteSwap
{
    public static GVariantValue Swap(GVariantValue value)
    {
        var t = value.Type;
        switch (t.Kind)
        {
            case GVariantTypeKind.Int16:
            case GVariantTypeKind.UInt16:
                return GVariantValue.Number(t, BinaryPrimitives.ReverseEndianness((ushort)value.RawNumber));
            case GVariantTypeKind.Int32:
            case GVariantTypeKind.UInt32:
            case GVariantTypeKind.Handle:
                return GVariantValue.Number(t, BinaryPrimitives.ReverseEndianness((uint)value.RawNumber));
            case GVariantTypeKind.Int64:
            case GVariantTypeKind.UInt64:
            case GVariantTypeKind.Double:
                return GVariantValue.Number(t, BinaryPrimitives.ReverseEndianness(value.RawNumber));
            case GVariantTypeKind.Variant:
                return GVariantValue.Variant(Swap(value.Inner!));
            case GVariantTypeKind.Maybe:
                return GVariantValue.Maybe(t.Element, value.Inner is { } inner ? Swap(inner) : null);
            case GVariantTypeKind.Array:
                if (t.Element.FixedSize == 1) return value;
                return GVariantValue.Array(t, value.Children.Select(Swap));
            case GVariantTypeKind.Tuple:
                return GVariantValue.Tuple(value.Children.Select(Swap).ToArray());
            case GVariantTypeKind.DictEntry:
                return GVariantValue.DictEntry(Swap(value.Children[0]), Swap(value.Children[1]));
            default:
                return value;
        }
    }
}
