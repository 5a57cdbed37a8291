using System.Text;

namespace Arbor.Repo.GVariant;

/// <summary>
/// A decoded GVariant value held in memory: used for metadata dictionaries, for printing
/// (<c>show --raw</c>) and for the normal-form check. Numbers keep their raw (little-endian
/// decoded) bits; OSTree's big-endian fields are interpreted by Objects/.
/// </summary>
public sealed class GVariantValue
{
    private readonly ulong _number;
    private readonly object? _payload; // string | byte[] | GVariantValue[] | GVariantValue (variant/maybe child)

    public GVariantType Type { get; }

    private GVariantValue(GVariantType type, ulong number, object? payload)
    {
        Type = type;
        _number = number;
        _payload = payload;
    }

    // ---- construction ----

    public static GVariantValue Boolean(bool v) => new(GVariantType.Boolean, v ? 1UL : 0UL, null);
    public static GVariantValue Byte(byte v) => new(GVariantType.Byte, v, null);
    public static GVariantValue UInt32(uint v) => new(GVariantType.UInt32, v, null);
    public static GVariantValue UInt64(ulong v) => new(GVariantType.UInt64, v, null);
    public static GVariantValue Number(GVariantType type, ulong rawBits) =>
        type.IsBasic && !type.IsStringLike ? new(type, rawBits, null) : throw new ArgumentException($"'{type}' is not a number type");
    public static GVariantValue Int32(int v) => Number(GVariantType.Parse("i"), unchecked((uint)v));
    public static GVariantValue Int64(long v) => Number(GVariantType.Parse("x"), unchecked((ulong)v));
    public static GVariantValue Double(double v) => Number(GVariantType.Parse("d"), BitConverter.DoubleToUInt64Bits(v));
    public static GVariantValue String(string v) => new(GVariantType.String, 0, v);
    public static GVariantValue StringOfType(GVariantType type, string v) =>
        type.IsStringLike ? new(type, 0, v) : throw new ArgumentException($"'{type}' is not a string type");
    public static GVariantValue Bytes(ReadOnlySpan<byte> v) => new(GVariantType.ByteArray, 0, v.ToArray());
    public static GVariantValue Variant(GVariantValue child) => new(GVariantType.Variant, 0, child);
    public static GVariantValue StringArray(IEnumerable<string> items) =>
        Array(GVariantType.StringArray, items.Select(String));

    public static GVariantValue Array(GVariantType arrayType, IEnumerable<GVariantValue> items)
    {
        if (arrayType.Kind != GVariantTypeKind.Array) throw new ArgumentException($"'{arrayType}' is not an array type");
        var arr = items.ToArray();
        foreach (var i in arr)
            if (!i.Type.Equals(arrayType.Element)) throw new ArgumentException($"Element of type '{i.Type}' in '{arrayType}'");
        if (arrayType.Element.FixedSize == 1 && arrayType.Element.Kind == GVariantTypeKind.Byte)
            return new(arrayType, 0, arr.Select(a => (byte)a._number).ToArray());
        return new(arrayType, 0, arr);
    }

    public static GVariantValue Tuple(params GVariantValue[] members)
    {
        var sig = new StringBuilder("(");
        foreach (var m in members) sig.Append(m.Type.Signature);
        sig.Append(')');
        return new(GVariantType.Parse(sig.ToString()), 0, members);
    }

    public static GVariantValue DictEntry(GVariantValue key, GVariantValue value)
    {
        if (!key.Type.IsBasic) throw new ArgumentException("Dict entry keys must be basic");
        return new(GVariantType.Parse("{" + key.Type.Signature + value.Type.Signature + "}"), 0, new[] { key, value });
    }

    public static GVariantValue Maybe(GVariantType elementType, GVariantValue? value) =>
        new(GVariantType.Parse("m" + elementType.Signature), 0, value);

    // ---- access ----

    public bool AsBoolean() => _number != 0;
    public byte AsByte() => (byte)_number;
    public uint AsUInt32() => (uint)_number;
    public int AsInt32() => unchecked((int)(uint)_number);
    public ulong AsUInt64() => _number;
    public long AsInt64() => unchecked((long)_number);
    public double AsDouble() => BitConverter.UInt64BitsToDouble(_number);
    public ulong RawNumber => _number;
    public string AsString() => _payload as string ?? throw new InvalidOperationException($"'{Type}' is not a string");

    /// <summary>The bytes of an <c>ay</c>.</summary>
    public byte[] AsBytes() => _payload as byte[] ?? throw new InvalidOperationException($"'{Type}' is not a byte array");

    /// <summary>Children of a tuple, dict entry or array (byte arrays are expanded).</summary>
    public IReadOnlyList<GVariantValue> Children => _payload switch
    {
        GVariantValue[] a => a,
        byte[] b => b.Select(Byte).ToArray(),
        _ => [],
    };

    public int ChildCount => _payload switch
    {
        GVariantValue[] a => a.Length,
        byte[] b => b.Length,
        _ => 0,
    };

    /// <summary>The boxed value of a variant, or the value of a Just maybe (null for Nothing).</summary>
    public GVariantValue? Inner => _payload as GVariantValue;

    public string[] AsStringArray() => Children.Select(c => c.AsString()).ToArray();

    // ---- serialization ----

    public byte[] Serialize()
    {
        using var w = new GVariantWriter(Type);
        WriteTo(w);
        return w.ToArray();
    }

    public void WriteTo(GVariantWriter w)
    {
        switch (Type.Kind)
        {
            case GVariantTypeKind.Boolean: w.WriteBoolean(AsBoolean()); break;
            case GVariantTypeKind.Byte: w.WriteByte(AsByte()); break;
            case GVariantTypeKind.Int16: w.WriteInt16(unchecked((short)_number)); break;
            case GVariantTypeKind.UInt16: w.WriteUInt16((ushort)_number); break;
            case GVariantTypeKind.Int32: w.WriteInt32(AsInt32()); break;
            case GVariantTypeKind.Handle: w.WriteHandle(AsInt32()); break;
            case GVariantTypeKind.UInt32: w.WriteUInt32(AsUInt32()); break;
            case GVariantTypeKind.Int64: w.WriteInt64(AsInt64()); break;
            case GVariantTypeKind.UInt64: w.WriteUInt64(_number); break;
            case GVariantTypeKind.Double: w.WriteDouble(AsDouble()); break;
            case GVariantTypeKind.String:
            case GVariantTypeKind.ObjectPath:
            case GVariantTypeKind.Signature:
                w.WriteString(AsString()); break;
            case GVariantTypeKind.Variant:
                w.BeginVariant(Inner!.Type);
                Inner.WriteTo(w);
                w.End();
                break;
            case GVariantTypeKind.Maybe:
                w.BeginMaybe();
                Inner?.WriteTo(w);
                w.End();
                break;
            case GVariantTypeKind.Array:
                if (_payload is byte[] bytes && Type.Element.FixedSize == 1) { w.WriteByteArray(bytes); break; }
                w.BeginArray();
                foreach (var c in (GVariantValue[])_payload!) c.WriteTo(w);
                w.End();
                break;
            case GVariantTypeKind.Tuple:
                w.BeginTuple();
                foreach (var c in (GVariantValue[])_payload!) c.WriteTo(w);
                w.End();
                break;
            case GVariantTypeKind.DictEntry:
                w.BeginDictEntry();
                foreach (var c in (GVariantValue[])_payload!) c.WriteTo(w);
                w.End();
                break;
        }
    }

    // ---- deserialization ----

    /// <summary>Decodes <paramref name="data"/> as <paramref name="type"/>; throws on malformed data.</summary>
    public static GVariantValue Deserialize(ReadOnlySpan<byte> data, GVariantType type) =>
        Decode(new GVariantReader(data, type), 0);

    public static GVariantValue Deserialize(ReadOnlySpan<byte> data, string type) => Deserialize(data, GVariantType.Parse(type));

    internal static GVariantValue Decode(GVariantReader r, int depth)
    {
        if (depth > GVariantLimits.MaxDepth) throw new GVariantFormatException("GVariant nesting too deep");
        var t = r.Type;
        switch (t.Kind)
        {
            case GVariantTypeKind.Boolean:
            {
                byte b = r.Data[0];
                if (b > 1) throw new GVariantFormatException("Boolean is neither 0 nor 1");
                return new(t, b, null);
            }
            case GVariantTypeKind.Byte: return new(t, r.GetByte(), null);
            case GVariantTypeKind.Int16: return new(t, unchecked((ushort)r.GetInt16()), null);
            case GVariantTypeKind.UInt16: return new(t, r.GetUInt16(), null);
            case GVariantTypeKind.Int32: case GVariantTypeKind.Handle: return new(t, unchecked((uint)r.GetInt32()), null);
            case GVariantTypeKind.UInt32: return new(t, r.GetUInt32(), null);
            case GVariantTypeKind.Int64: return new(t, unchecked((ulong)r.GetInt64()), null);
            case GVariantTypeKind.UInt64: return new(t, r.GetUInt64(), null);
            case GVariantTypeKind.Double: return new(t, BitConverter.DoubleToUInt64Bits(r.GetDouble()), null);
            case GVariantTypeKind.String:
            case GVariantTypeKind.ObjectPath:
            case GVariantTypeKind.Signature:
                return new(t, 0, r.GetString());
            case GVariantTypeKind.Variant:
                return new(t, 0, Decode(r.VariantValue(), depth + 1));
            case GVariantTypeKind.Maybe:
                return new(t, 0, r.HasValue ? Decode(r.MaybeValue(), depth + 1) : null);
            case GVariantTypeKind.Array:
            {
                if (t.Element.FixedSize == 1 && t.Element.Kind == GVariantTypeKind.Byte) return new(t, 0, r.GetBytes().ToArray());
                var items = new List<GVariantValue>();
                foreach (var e in r.EnumerateArray()) items.Add(Decode(e, depth + 1));
                return new(t, 0, items.ToArray());
            }
            default:
            {
                var members = new GVariantValue[t.Children.Count];
                for (int i = 0; i < members.Length; i++) members[i] = Decode(r.Member(i), depth + 1);
                return new(t, 0, members);
            }
        }
    }

    public override string ToString() => GVariantPrinter.Print(this, typeAnnotate: true);
}
