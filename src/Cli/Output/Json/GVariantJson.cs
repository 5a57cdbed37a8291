using System.Text.Json.Nodes;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;

namespace Arbor.Cli.Output.Json;

/// <summary>
/// Maps GVariant values to JSON for <c>--json</c> output: numbers and booleans as JSON numbers and
/// booleans, strings as strings, <c>ay</c> as lowercase hex, dictionaries with string keys as
/// objects (first key wins, as g_variant_lookup), other arrays, tuples and dict entries as arrays,
/// variants as their content, maybes as null or their content. Non-finite doubles become strings.
/// </summary>
internal static class GVariantJson
{
    public static Dictionary<string, JsonNode?> FromDictionary(VariantDictionary dict)
    {
        var result = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (k, v) in dict.Entries) result.TryAdd(k, Convert(v));
        return result;
    }

    public static JsonNode? Convert(GVariantValue v)
    {
        var t = v.Type;
        switch (t.Kind)
        {
            case GVariantTypeKind.Boolean: return JsonValue.Create(v.AsBoolean());
            case GVariantTypeKind.Byte: return JsonValue.Create(v.AsByte());
            case GVariantTypeKind.Int16: return JsonValue.Create(unchecked((short)v.RawNumber));
            case GVariantTypeKind.UInt16: return JsonValue.Create((ushort)v.RawNumber);
            case GVariantTypeKind.Int32:
            case GVariantTypeKind.Handle: return JsonValue.Create(v.AsInt32());
            case GVariantTypeKind.UInt32: return JsonValue.Create(v.AsUInt32());
            case GVariantTypeKind.Int64: return JsonValue.Create(v.AsInt64());
            case GVariantTypeKind.UInt64: return JsonValue.Create(v.AsUInt64());
            case GVariantTypeKind.Double:
            {
                double d = v.AsDouble();
                return double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(d.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            case GVariantTypeKind.String:
            case GVariantTypeKind.ObjectPath:
            case GVariantTypeKind.Signature: return JsonValue.Create(v.AsString());
            case GVariantTypeKind.Variant: return Convert(v.Inner!);
            case GVariantTypeKind.Maybe: return v.Inner is { } inner ? Convert(inner) : null;
            case GVariantTypeKind.Array:
                if (t.Element.Kind == GVariantTypeKind.Byte) return JsonValue.Create(System.Convert.ToHexStringLower(v.AsBytes()));
                if (t.Element.Kind == GVariantTypeKind.DictEntry && t.Element.Children[0].IsStringLike)
                {
                    var obj = new JsonObject();
                    foreach (var e in v.Children)
                    {
                        var key = e.Children[0].AsString();
                        if (!obj.ContainsKey(key)) obj[key] = Convert(e.Children[1]);
                    }
                    return obj;
                }
                return ToArray(v.Children);
            default:
                return ToArray(v.Children);
        }
    }

    private static JsonArray ToArray(IReadOnlyList<GVariantValue> items)
    {
        var a = new JsonArray();
        foreach (var i in items) a.Add(Convert(i));
        return a;
    }
}
