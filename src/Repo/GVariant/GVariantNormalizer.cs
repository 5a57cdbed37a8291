using System.Text;

namespace Arbor.Repo.GVariant;

/// <summary>
/// GLib's reading of untrusted GVariant data: any bytes have a value of the given type, the one
/// <c>g_variant_get_normal_form (g_variant_new_from_bytes (type, bytes, FALSE))</c> gives in GLib
/// 2.74 (Debian 12's, which ostree 2022.7 links). Nothing is rejected: where the framing is invalid
/// a child is empty, so it reads as its type's default (0, "", "/" for an object path, an empty
/// container, <c>()</c> in a variant whose type string is invalid); a string that is not valid
/// UTF-8 without NUL reads as the default too. The rules are those of gvariant-serialiser.c's
/// <c>*_get_child</c> and gvariant.c's <c>g_variant_deep_copy</c>; where GLib 2.74.6 differs from
/// the specification (each child is read with fresh offset-ordering state, since the state it
/// computes is never kept) this follows GLib.
/// </summary>
public static partial class GVariantNormalizer
{
    /// <summary>The value GLib reads from <paramref name="data"/>; <paramref name="depth"/> is its nesting in an enclosing value.</summary>
    public static GVariantValue Read(ReadOnlySpan<byte> data, GVariantType type, int depth = 0)
    {
        // g_variant_new_from_bytes: fixed-size data of the wrong size reads as absent (zeros)
        var top = type.IsFixedSize && data.Length != type.FixedSize ? Serialised.Absent(type, depth) : new Serialised(type, data, depth);
        return Copy(top);
    }

    /// <summary>
    /// g_variant_get_normal_form: the data as it is when GLib finds it normal (<see cref="IsGLibNormal"/>),
    /// else the serialization of the value GLib reads from it.
    /// </summary>
    public static byte[] NormalForm(ReadOnlySpan<byte> data, GVariantType type, int depth = 0) =>
        IsGLibNormal(data, type, depth) ? data.ToArray() : Read(data, type, depth).Serialize();

    /// <summary>
    /// A GVariantSerialised: a value's bytes, or none (GLib's NULL data) with the fixed size of its
    /// type or 0, as an invalid child is given.
    /// </summary>
    private readonly ref struct Serialised
    {
        public readonly GVariantType Type;
        public readonly ReadOnlySpan<byte> Data;
        public readonly ulong Size;
        public readonly bool IsAbsent;
        public readonly int Depth;

        public Serialised(GVariantType type, ReadOnlySpan<byte> data, int depth)
        {
            Type = type;
            Data = data;
            Size = (ulong)data.Length;
            IsAbsent = data.IsEmpty;
            Depth = depth;
        }

        private Serialised(GVariantType type, ulong size, int depth)
        {
            Type = type;
            Data = default;
            Size = size;
            IsAbsent = true;
            Depth = depth;
        }

        public static Serialised Absent(GVariantType type, int depth) => new(type, (ulong)type.FixedSize, depth);

        public Serialised Child(GVariantType type, ulong start, ulong end) =>
            new(type, Data[(int)start..(int)end], Depth + 1);

        public ulong ReadOffset(ulong at, int width)
        {
            ulong v = 0;
            for (int i = 0; i < width; i++) v |= (ulong)Data[(int)at + i] << (8 * i);
            return v;
        }
    }

    // ---- g_variant_deep_copy ----

    private static GVariantValue Copy(Serialised v)
    {
        var t = v.Type;
        switch (t.Kind)
        {
            case GVariantTypeKind.Boolean:
                return GVariantValue.Number(t, !v.IsAbsent && v.Data[0] != 0 ? 1UL : 0UL);
            case GVariantTypeKind.String:
                return GVariantValue.StringOfType(t, GVariantTypeScan.IsString(v.Data) ? Utf8(v.Data) : "");
            case GVariantTypeKind.ObjectPath:
                return GVariantValue.StringOfType(t, GVariantTypeScan.IsObjectPath(v.Data) ? Utf8(v.Data) : "/");
            case GVariantTypeKind.Signature:
                return GVariantValue.StringOfType(t, GVariantTypeScan.IsSignature(v.Data) ? Utf8(v.Data) : "");
            case GVariantTypeKind.Variant:
                return GVariantValue.Variant(VariantChild(v));
            case GVariantTypeKind.Maybe:
                return CopyMaybe(v);
            case GVariantTypeKind.Array:
                return t.Element.IsFixedSize ? CopyFixedArray(v) : CopyVariableArray(v);
            case GVariantTypeKind.Tuple:
            case GVariantTypeKind.DictEntry:
                return CopyTuple(v);
            default:
                return GVariantValue.Number(t, v.IsAbsent ? 0 : v.ReadOffset(0, t.FixedSize));
        }
    }

    private static string Utf8(ReadOnlySpan<byte> terminated) => Encoding.UTF8.GetString(terminated[..^1]);

    private static GVariantValue CopyMaybe(Serialised v)
    {
        var e = v.Type.Element;
        if (e.IsFixedSize)
            return GVariantValue.Maybe(e, v.Size == (ulong)e.FixedSize ? Copy(v.Child(e, 0, v.Size)) : null);
        if (v.Size == 0) return GVariantValue.Maybe(e, null);
        // the child is all but the trailing byte
        return GVariantValue.Maybe(e, Copy(v.Child(e, 0, v.Size - 1)));
    }

    private static GVariantValue CopyFixedArray(Serialised v)
    {
        var e = v.Type.Element;
        ulong size = (ulong)e.FixedSize;
        if (e.Kind == GVariantTypeKind.Byte) return GVariantValue.Bytes(v.Data);
        var items = new List<GVariantValue>();
        if (v.Size % size == 0)
            for (ulong at = 0; at < v.Size; at += size) items.Add(Copy(v.Child(e, at, at + size)));
        return GVariantValue.Array(v.Type, items);
    }

    private static GVariantValue CopyVariableArray(Serialised v)
    {
        var e = v.Type.Element;
        var items = new List<GVariantValue>();
        if (v.Size == 0) return GVariantValue.Array(v.Type, items);
        // gvs_variable_sized_array_get_frame_offsets
        int w = FramingOffsets.WidthForSize((long)v.Size);
        ulong dataSize = v.ReadOffset(v.Size - (ulong)w, w);
        if (dataSize > v.Size || (v.Size - dataSize) % (ulong)w != 0) return GVariantValue.Array(v.Type, items);
        ulong count = (v.Size - dataSize) / (ulong)w;
        // an element is read only while the offsets up to its own do not decrease (find_unordered_*)
        ulong ordered = 0;
        while (ordered + 1 < count && Offset(v, dataSize, w, ordered + 1) >= Offset(v, dataSize, w, ordered)) ordered++;
        ulong mask = (ulong)e.Alignment - 1;
        // every invalid element is the same default value: one copy serves them all, as in GLib,
        // so a few bytes of garbage claiming millions of elements cost a reference each
        GVariantValue? absent = null;
        for (ulong i = 0; i < count; i++)
        {
            ulong start = i == 0 ? 0 : Align(Offset(v, dataSize, w, i - 1), mask);
            ulong end = Offset(v, dataSize, w, i);
            bool valid = i <= ordered && start < end && end <= dataSize;
            items.Add(valid ? Copy(v.Child(e, start, end)) : absent ??= Copy(Serialised.Absent(e, v.Depth + 1)));
        }
        return GVariantValue.Array(v.Type, items);
    }

    private static ulong Offset(Serialised array, ulong table, int width, ulong i) => array.ReadOffset(table + i * (ulong)width, width);

    private static GVariantValue CopyTuple(Serialised v)
    {
        var members = TupleMember.Of(v.Type);
        var values = new GVariantValue[members.Length];
        for (int i = 0; i < members.Length; i++) values[i] = Copy(TupleChild(v, members, i));
        return v.Type.Kind == GVariantTypeKind.DictEntry ? GVariantValue.DictEntry(values[0], values[1]) : GVariantValue.Tuple(values);
    }

    /// <summary>gvs_tuple_get_child, with the offset-ordering state fresh, as GLib 2.74.6 reads every child.</summary>
    private static Serialised TupleChild(Serialised v, TupleMember[] members, int index)
    {
        var m = members[index];
        var absent = Serialised.Absent(m.Type, v.Depth + 1);
        // a fixed-size tuple read as absent has absent members
        if (v.IsAbsent && v.Size != 0) return absent;
        int w = FramingOffsets.WidthForSize((long)v.Size);
        ulong ow = (ulong)w;
        if (index > 0)
        {
            // every member up to this one must lie in order inside the tuple; GLib's count of the
            // members that do wraps around when the first does not, and then passes them all
            ulong prevEnd = 0;
            int j;
            for (j = 0; j <= index; j++)
            {
                var (s, e) = Bounds(v, members[j], w);
                if (s > e || s < prevEnd || e > v.Size) break;
                prevEnd = e;
            }
            if ((ulong)index > unchecked((ulong)j - 1)) return absent;
        }
        ulong needed = unchecked(ow * (m.I + (m.Ending == MemberEnding.Offset ? 2UL : 1UL)));
        if (needed > v.Size) return absent;
        var (start, end) = Bounds(v, m, w);
        var (_, lastEnd) = Bounds(v, members[^1], w);
        return start < end && end <= v.Size && end <= lastEnd ? v.Child(m.Type, start, end) : absent;
    }

    /// <summary>gvs_tuple_get_member_bounds: the start may lie after the end for invalid data.</summary>
    private static (ulong Start, ulong End) Bounds(Serialised v, TupleMember m, int w)
    {
        ulong ow = (ulong)w;
        ulong startAt = unchecked(ow * (m.I + 1));
        ulong start = unchecked(m.I + 1) != 0 && startAt <= v.Size ? v.ReadOffset(v.Size - startAt, w) : 0;
        start = (unchecked(start + m.A) & m.B) | m.C;
        ulong endAt = unchecked(ow * (m.I + 2));
        ulong end;
        if (m.Ending == MemberEnding.Last && startAt <= v.Size) end = v.Size - startAt;
        else if (m.Ending == MemberEnding.Fixed) end = unchecked(start + (ulong)m.Type.FixedSize);
        else if (m.Ending == MemberEnding.Offset && endAt <= v.Size) end = v.ReadOffset(v.Size - endAt, w);
        else end = ulong.MaxValue;
        return (start, end);
    }

    private static readonly GVariantValue Unit = GVariantValue.Tuple();

    /// <summary>g_variant_get_child_value of a variant: the unit tuple where the child is invalid or nests too deep.</summary>
    private static GVariantValue VariantChild(Serialised v)
    {
        if (!TryVariantChild(v, out var type, out int size)) return Unit;
        // unsigned, as in GLib: a type 129 deep passes gvs_variant_get_child's test but not this one
        if ((ulong)GVariantTypeScan.Depth(type) >= unchecked(GVariantTypeScan.MaxRecursionDepth - (ulong)v.Depth)) return Unit;
        return Copy(size == 0 ? Serialised.Absent(type, v.Depth + 1) : v.Child(type, 0, (ulong)size));
    }

    /// <summary>
    /// gvs_variant_get_child: the data before the last NUL, typed by what follows it, when that is one
    /// definite type string that the data fits and the nesting allows; false means the unit tuple.
    /// </summary>
    private static bool TryVariantChild(Serialised v, out GVariantType type, out int size)
    {
        type = Unit.Type;
        size = 0;
        if (v.Size == 0) return false;
        var data = v.Data;
        int sep = data.Length - 1;
        while (sep > 0 && data[sep] != 0) sep--;
        if (data[sep] != 0) return false;
        var typeBytes = data[(sep + 1)..];
        if (!GVariantTypeScan.IsSingleDefiniteType(typeBytes)) return false;
        if (!GVariantType.TryParseAnyLength(Encoding.ASCII.GetString(typeBytes), out var parsed)) return false;
        if (parsed!.IsFixedSize && parsed.FixedSize != sep) return false;
        if ((ulong)v.Depth >= unchecked(GVariantTypeScan.MaxRecursionDepth - (ulong)GVariantTypeScan.Depth(parsed))) return false;
        type = parsed;
        size = sep;
        return true;
    }

    private static ulong Align(ulong offset, ulong mask) => unchecked(offset + ((0 - offset) & mask));
}
