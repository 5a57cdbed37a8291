using System.Buffers.Binary;

namespace Arbor.Repo.GVariant;

/// <summary>
/// <c>g_variant_byteswap</c>: every 16-, 32- and 64-bit number in a value (doubles and handles
/// too, inside variants and maybes as well) has its byte order reversed; bytes, booleans and
/// strings are untouched. ostree prints big-endian objects through it (<c>show --raw</c>).
/// </summary>
public static class GVariantByteswap
{
    public static GVariantValue Byteswap(GVariantValue value)
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
                return GVariantValue.Variant(Byteswap(value.Inner!));
            case GVariantTypeKind.Maybe:
                return t.Alignment == 1 ? value : GVariantValue.Maybe(t.Element, value.Inner is { } inner ? Byteswap(inner) : null);
            case GVariantTypeKind.Array:
                return t.Alignment == 1 ? value : GVariantValue.Array(t, value.Children.Select(Byteswap));
            case GVariantTypeKind.Tuple:
                return t.Alignment == 1 ? value : GVariantValue.Tuple(value.Children.Select(Byteswap).ToArray());
            case GVariantTypeKind.DictEntry:
                return t.Alignment == 1 ? value : GVariantValue.DictEntry(Byteswap(value.Children[0]), Byteswap(value.Children[1]));
            default:
                return value;
        }
    }
}
