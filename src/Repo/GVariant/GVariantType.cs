using System.Collections.Concurrent;

namespace Arbor.Repo.GVariant;

/// <summary>
/// A parsed definite GVariant type: its kind, children, alignment and fixed size (0 when the
/// size is variable). Instances are cached per type string and immutable (gvariant.md §1).
/// </summary>
public sealed class GVariantType : IEquatable<GVariantType>
{
    private static readonly ConcurrentDictionary<string, GVariantType> Cache = new(StringComparer.Ordinal);

    public string Signature { get; }
    public GVariantTypeKind Kind { get; }
    /// <summary>Element type for arrays and maybes; members for tuples and dict entries.</summary>
    public IReadOnlyList<GVariantType> Children { get; }
    public int Alignment { get; }
    /// <summary>Size in bytes when fixed; 0 when variable.</summary>
    public int FixedSize { get; }
    public bool IsFixedSize => FixedSize > 0;
    public GVariantType Element => Children[0];

    public static readonly GVariantType Boolean = Parse("b");
    public static readonly GVariantType Byte = Parse("y");
    public static readonly GVariantType UInt32 = Parse("u");
    public static readonly GVariantType UInt64 = Parse("t");
    public static readonly GVariantType String = Parse("s");
    public static readonly GVariantType Variant = Parse("v");
    public static readonly GVariantType ByteArray = Parse("ay");
    public static readonly GVariantType StringArray = Parse("as");
    public static readonly GVariantType ByteArrayArray = Parse("aay");
    public static readonly GVariantType VarDict = Parse("a{sv}");

    private GVariantType(string signature, GVariantTypeKind kind, GVariantType[] children)
    {
        Signature = signature;
        Kind = kind;
        Children = children;
        (Alignment, FixedSize) = ComputeLayout(kind, children);
    }

    public bool IsBasic => Kind is not (GVariantTypeKind.Variant or GVariantTypeKind.Array or GVariantTypeKind.Maybe
        or GVariantTypeKind.Tuple or GVariantTypeKind.DictEntry);

    public bool IsContainer => !IsBasic;

    public bool IsStringLike => Kind is GVariantTypeKind.String or GVariantTypeKind.ObjectPath or GVariantTypeKind.Signature;

    public static GVariantType Parse(string signature)
    {
        if (Cache.TryGetValue(signature, out var cached)) return cached;
        if (!TryParse(signature, out var type))
            throw new GVariantFormatException($"Invalid GVariant type string '{signature}'");
        return type!;
    }

    public static bool TryParse(string signature, out GVariantType? type) => TryParse(signature, GVariantLimits.MaxTypeStringLength, out type);

    /// <summary>Parses a type string of any length (GLib sets none; its depth limit still applies).</summary>
    internal static bool TryParseAnyLength(string signature, out GVariantType? type) => TryParse(signature, int.MaxValue, out type);

    private static bool TryParse(string signature, int maxLength, out GVariantType? type)
    {
        type = null;
        if (Cache.TryGetValue(signature, out var cached)) { type = cached; return true; }
        if (signature.Length == 0 || signature.Length > maxLength) return false;
        int pos = 0;
        var t = ParseOne(signature, ref pos, 0);
        if (t is null || pos != signature.Length) return false;
        type = t;
        return true;
    }

    private static GVariantType? ParseOne(string s, ref int pos, int depth)
    {
        if (pos >= s.Length || depth > GVariantLimits.MaxDepth) return null;
        int start = pos;
        char c = s[pos++];
        GVariantType? result;
        switch (c)
        {
            case 'b': case 'y': case 'n': case 'q': case 'i': case 'u': case 'h': case 'x': case 't': case 'd':
            case 's': case 'o': case 'g': case 'v':
                result = Make(s[start..pos], (GVariantTypeKind)c, []);
                break;
            case 'a': case 'm':
            {
                var elem = ParseOne(s, ref pos, depth + 1);
                if (elem is null) return null;
                result = Make(s[start..pos], (GVariantTypeKind)c, [elem]);
                break;
            }
            case '(':
            {
                var members = new List<GVariantType>();
                while (true)
                {
                    if (pos >= s.Length) return null;
                    if (s[pos] == ')') { pos++; break; }
                    var m = ParseOne(s, ref pos, depth + 1);
                    if (m is null) return null;
                    members.Add(m);
                }
                result = Make(s[start..pos], GVariantTypeKind.Tuple, members.ToArray());
                break;
            }
            case '{':
            {
                var k = ParseOne(s, ref pos, depth + 1);
                if (k is null || !k.IsBasic) return null;
                var v = ParseOne(s, ref pos, depth + 1);
                if (v is null || pos >= s.Length || s[pos] != '}') return null;
                pos++;
                result = Make(s[start..pos], GVariantTypeKind.DictEntry, [k, v]);
                break;
            }
            default:
                return null;
        }
        return result;
    }

    private static GVariantType Make(string signature, GVariantTypeKind kind, GVariantType[] children)
        => Cache.GetOrAdd(signature, static (sig, arg) => new GVariantType(sig, arg.kind, arg.children), (kind, children));

    private static (int Alignment, int FixedSize) ComputeLayout(GVariantTypeKind kind, GVariantType[] children)
    {
        switch (kind)
        {
            case GVariantTypeKind.Boolean: case GVariantTypeKind.Byte: return (1, 1);
            case GVariantTypeKind.Int16: case GVariantTypeKind.UInt16: return (2, 2);
            case GVariantTypeKind.Int32: case GVariantTypeKind.UInt32: case GVariantTypeKind.Handle: return (4, 4);
            case GVariantTypeKind.Int64: case GVariantTypeKind.UInt64: case GVariantTypeKind.Double: return (8, 8);
            case GVariantTypeKind.String: case GVariantTypeKind.ObjectPath: case GVariantTypeKind.Signature: return (1, 0);
            case GVariantTypeKind.Variant: return (8, 0);
            case GVariantTypeKind.Array: case GVariantTypeKind.Maybe: return (children[0].Alignment, 0);
            default:
            {
                // tuple or dict entry
                int align = 1;
                bool fixedSize = true;
                int offset = 0;
                foreach (var m in children)
                {
                    align = Math.Max(align, m.Alignment);
                    if (!m.IsFixedSize) { fixedSize = false; continue; }
                    offset = AlignUp(offset, m.Alignment) + m.FixedSize;
                }
                if (!fixedSize) return (align, 0);
                if (children.Length == 0) return (1, 1); // the unit tuple "()" is one byte
                return (align, AlignUp(offset, align));
            }
        }
    }

    internal static int AlignUp(int value, int alignment) => (value + alignment - 1) & ~(alignment - 1);

    public bool Equals(GVariantType? other) => other is not null && string.Equals(Signature, other.Signature, StringComparison.Ordinal);
    public override bool Equals(object? obj) => obj is GVariantType t && Equals(t);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Signature);
    public override string ToString() => Signature;
}
