namespace Arbor.Repo.GVariant;

public static partial class GVariantNormalizer
{
    /// <summary>
    /// GLib 2.74's <c>g_variant_serialised_is_normal</c>, which <c>g_variant_get_normal_form</c> asks
    /// first and, when it holds, keeps the data as it is. It agrees with "decodes and re-encodes to the
    /// same bytes" but for one quirk: a tuple of 0 bytes whose members all read as normal when empty
    /// (maybes, arrays, such tuples) passes without the framing offsets its normal form has.
    /// </summary>
    public static bool IsGLibNormal(ReadOnlySpan<byte> data, GVariantType type, int depth = 0) =>
        IsNormal(type.IsFixedSize && data.Length != type.FixedSize ? Serialised.Absent(type, depth) : new Serialised(type, data, depth));

    private static bool IsNormal(Serialised v)
    {
        if (v.Depth >= GVariantTypeScan.MaxRecursionDepth) return false;
        var t = v.Type;
        switch (t.Kind)
        {
            case GVariantTypeKind.Maybe:
            {
                if (v.Size == 0) return true;
                var e = t.Element;
                if (e.IsFixedSize) return v.Size == (ulong)e.FixedSize && IsNormal(v.Child(e, 0, v.Size));
                return v.Data[^1] == 0 && IsNormal(v.Child(e, 0, v.Size - 1));
            }
            case GVariantTypeKind.Array:
                return t.Element.IsFixedSize ? IsNormalFixedArray(v) : IsNormalVariableArray(v);
            case GVariantTypeKind.Tuple:
            case GVariantTypeKind.DictEntry:
                return IsNormalTuple(v);
            case GVariantTypeKind.Variant:
                return IsNormalVariant(v);
        }
        if (v.IsAbsent) return false;
        return t.Kind switch
        {
            GVariantTypeKind.Boolean => v.Data[0] < 2,
            GVariantTypeKind.String => GVariantTypeScan.IsString(v.Data),
            GVariantTypeKind.ObjectPath => GVariantTypeScan.IsObjectPath(v.Data),
            GVariantTypeKind.Signature => GVariantTypeScan.IsSignature(v.Data),
            _ => true,
        };
    }

    private static bool IsNormalFixedArray(Serialised v)
    {
        var e = v.Type.Element;
        ulong size = (ulong)e.FixedSize;
        if (v.Size % size != 0) return false;
        for (ulong at = 0; at < v.Size; at += size)
            if (!IsNormal(v.Child(e, at, at + size))) return false;
        return true;
    }

    private static bool IsNormalVariableArray(Serialised v)
    {
        if (v.Size == 0) return true;
        int w = FramingOffsets.WidthForSize((long)v.Size);
        ulong dataSize = v.ReadOffset(v.Size - (ulong)w, w);
        if (dataSize > v.Size || (v.Size - dataSize) % (ulong)w != 0) return false;
        ulong count = (v.Size - dataSize) / (ulong)w;
        // the offsets must be as wide as the size needs, and there must be at least one
        if (count == 0 || TotalSize(dataSize, count) != v.Size) return false;
        var e = v.Type.Element;
        ulong mask = (ulong)e.Alignment - 1;
        ulong offset = 0;
        for (ulong i = 0; i < count; i++)
        {
            ulong end = Offset(v, dataSize, w, i);
            if (end < offset || end > dataSize) return false;
            for (; (offset & mask) != 0; offset++)
                if (offset >= end || v.Data[(int)offset] != 0) return false;
            if (!IsNormal(v.Child(e, offset, end))) return false;
            offset = end;
        }
        return true;
    }

    private static bool IsNormalTuple(Serialised v)
    {
        if (v.IsAbsent && v.Size != 0) return false;
        int w = FramingOffsets.WidthForSize((long)v.Size);
        ulong ow = (ulong)w;
        ulong offsetPtr = v.Size, offset = 0;
        var members = TupleMember.Of(v.Type);
        foreach (var m in members)
        {
            ulong mask = (ulong)m.Type.Alignment - 1;
            for (; (offset & mask) != 0; offset++)
                if (offset >= v.Size || v.Data[(int)offset] != 0) return false;
            ulong end;
            switch (m.Ending)
            {
                case MemberEnding.Fixed:
                    end = offset + (ulong)m.Type.FixedSize;
                    break;
                case MemberEnding.Last:
                    end = offsetPtr;
                    break;
                default:
                    if (offsetPtr < ow) return false;
                    offsetPtr -= ow;
                    if (offsetPtr < offset) return false;
                    end = v.ReadOffset(offsetPtr, w);
                    break;
            }
            if (end < offset || end > offsetPtr) return false;
            if (!IsNormal(v.Child(m.Type, offset, end))) return false;
            offset = end;
        }
        if (v.Type.IsFixedSize)
        {
            // the padding to the fixed size, or the unit tuple's one byte, is zero
            ulong mask = (ulong)v.Type.Alignment - 1;
            if (members.Length == 0) { if (v.Data[(int)offset++] != 0) return false; }
            else
                for (; (offset & mask) != 0; offset++)
                    if (v.Data[(int)offset] != 0) return false;
        }
        if (offsetPtr != offset) return false;
        return v.Size == 0 || TotalSize(offset, (v.Size - offsetPtr) / ow) == v.Size;
    }

    private static bool IsNormalVariant(Serialised v)
    {
        // an invalid variant reads as the unit tuple without data, which is not normal
        if (!TryVariantChild(v, out var type, out int size)) return false;
        return IsNormal(size == 0 ? Serialised.Absent(type, v.Depth + 1) : v.Child(type, 0, (ulong)size));
    }

    /// <summary>gvs_calculate_total_size: the body and its offsets at the narrowest width that holds them.</summary>
    private static ulong TotalSize(ulong body, ulong offsets)
    {
        if (body + offsets <= byte.MaxValue) return body + offsets;
        if (body + 2 * offsets <= ushort.MaxValue) return body + 2 * offsets;
        if (body + 4 * offsets <= uint.MaxValue) return body + 4 * offsets;
        return body + 8 * offsets;
    }
}
