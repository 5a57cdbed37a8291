using System.Globalization;
using System.Text;

namespace Arbor.Repo.GVariant;

/// <summary>
/// GLib's text format as produced by <c>g_variant_print</c>, which <c>ostree show --raw</c>,
/// <c>ls -X</c> and <c>summary --raw</c> print: type annotations on the first element of arrays,
/// byte strings as <c>b'…'</c>, strings quoted with GLib's escapes.
/// </summary>
public static class GVariantPrinter
{
    public static string Print(GVariantValue value, bool typeAnnotate)
    {
        var sb = new StringBuilder();
        Print(value, sb, typeAnnotate);
        return sb.ToString();
    }

    public static void Print(GVariantValue value, StringBuilder sb, bool typeAnnotate)
    {
        var t = value.Type;
        switch (t.Kind)
        {
            case GVariantTypeKind.Maybe:
                if (typeAnnotate) sb.Append('@').Append(t.Signature).Append(' ');
                if (value.Inner is { } inner)
                {
                    var child = Print(inner, false);
                    if (child.EndsWith("nothing", StringComparison.Ordinal)) sb.Append("just ");
                    sb.Append(child);
                }
                else sb.Append("nothing");
                break;

            case GVariantTypeKind.Array:
                if (t.Element.Kind == GVariantTypeKind.Byte && TryPrintByteString(value.AsBytes(), sb)) break;
                if (value.ChildCount == 0)
                {
                    if (typeAnnotate) sb.Append('@').Append(t.Signature).Append(' ');
                    sb.Append(t.Element.Kind == GVariantTypeKind.DictEntry ? "{}" : "[]");
                    break;
                }
                if (t.Element.Kind == GVariantTypeKind.DictEntry)
                {
                    sb.Append('{');
                    bool first = true;
                    foreach (var entry in value.Children)
                    {
                        if (!first) sb.Append(", ");
                        first = false;
                        Print(entry.Children[0], sb, typeAnnotate);
                        sb.Append(": ");
                        Print(entry.Children[1], sb, typeAnnotate);
                        typeAnnotate = false;
                    }
                    sb.Append('}');
                }
                else
                {
                    sb.Append('[');
                    bool first = true;
                    foreach (var element in value.Children)
                    {
                        if (!first) sb.Append(", ");
                        first = false;
                        Print(element, sb, typeAnnotate);
                        typeAnnotate = false;
                    }
                    sb.Append(']');
                }
                break;

            case GVariantTypeKind.Tuple:
            {
                var children = value.Children;
                sb.Append('(');
                for (int i = 0; i < children.Count; i++)
                {
                    Print(children[i], sb, typeAnnotate);
                    sb.Append(", ");
                }
                // >1 item: drop ", "; 1 item: drop " " and keep ","; none: nothing to drop
                int n = children.Count;
                sb.Length -= (n > 0 ? 1 : 0) + (n > 1 ? 1 : 0);
                sb.Append(')');
                break;
            }

            case GVariantTypeKind.DictEntry:
                sb.Append('{');
                Print(value.Children[0], sb, typeAnnotate);
                sb.Append(", ");
                Print(value.Children[1], sb, typeAnnotate);
                sb.Append('}');
                break;

            case GVariantTypeKind.Variant:
                sb.Append('<');
                Print(value.Inner!, sb, true);
                sb.Append('>');
                break;

            case GVariantTypeKind.Boolean: sb.Append(value.AsBoolean() ? "true" : "false"); break;
            case GVariantTypeKind.String: AppendQuoted(value.AsString(), sb); break;
            case GVariantTypeKind.Byte:
                if (typeAnnotate) sb.Append("byte ");
                sb.Append("0x").Append(value.AsByte().ToString("x2", CultureInfo.InvariantCulture));
                break;
            case GVariantTypeKind.Int16:
                if (typeAnnotate) sb.Append("int16 ");
                sb.Append(unchecked((short)value.RawNumber).ToString(CultureInfo.InvariantCulture));
                break;
            case GVariantTypeKind.UInt16:
                if (typeAnnotate) sb.Append("uint16 ");
                sb.Append(((ushort)value.RawNumber).ToString(CultureInfo.InvariantCulture));
                break;
            case GVariantTypeKind.Int32:
                sb.Append(value.AsInt32().ToString(CultureInfo.InvariantCulture));
                break;
            case GVariantTypeKind.Handle:
                if (typeAnnotate) sb.Append("handle ");
                sb.Append(value.AsInt32().ToString(CultureInfo.InvariantCulture));
                break;
            case GVariantTypeKind.UInt32:
                if (typeAnnotate) sb.Append("uint32 ");
                sb.Append(value.AsUInt32().ToString(CultureInfo.InvariantCulture));
                break;
            case GVariantTypeKind.Int64:
                if (typeAnnotate) sb.Append("int64 ");
                sb.Append(value.AsInt64().ToString(CultureInfo.InvariantCulture));
                break;
            case GVariantTypeKind.UInt64:
                if (typeAnnotate) sb.Append("uint64 ");
                sb.Append(value.AsUInt64().ToString(CultureInfo.InvariantCulture));
                break;
            case GVariantTypeKind.Double:
                sb.Append(FormatDouble(value.AsDouble()));
                break;
            case GVariantTypeKind.ObjectPath:
                if (typeAnnotate) sb.Append("objectpath ");
                sb.Append('\'').Append(value.AsString()).Append('\'');
                break;
            case GVariantTypeKind.Signature:
                if (typeAnnotate) sb.Append("signature ");
                sb.Append('\'').Append(value.AsString()).Append('\'');
                break;
        }
    }

    /// <summary>An <c>ay</c> whose only NUL is its last byte prints as <c>b'…'</c> (g_strescape'd).</summary>
    private static bool TryPrintByteString(byte[] bytes, StringBuilder sb)
    {
        int nul = Array.IndexOf(bytes, (byte)0);
        if (bytes.Length == 0 || nul != bytes.Length - 1) return false;
        var body = bytes.AsSpan(0, bytes.Length - 1);
        char quote = body.IndexOf((byte)'\'') >= 0 ? '"' : '\'';
        sb.Append('b').Append(quote);
        foreach (byte b in body)
        {
            switch (b)
            {
                case (byte)'\b': sb.Append("\\b"); break;
                case (byte)'\f': sb.Append("\\f"); break;
                case (byte)'\n': sb.Append("\\n"); break;
                case (byte)'\r': sb.Append("\\r"); break;
                case (byte)'\t': sb.Append("\\t"); break;
                case (byte)'\v': sb.Append("\\v"); break;
                case (byte)'\\': sb.Append("\\\\"); break;
                case (byte)'"': sb.Append("\\\""); break;
                default:
                    if (b < 0x20 || b >= 0x7f)
                        sb.Append('\\').Append((char)('0' + ((b >> 6) & 7))).Append((char)('0' + ((b >> 3) & 7))).Append((char)('0' + (b & 7)));
                    else sb.Append((char)b);
                    break;
            }
        }
        sb.Append(quote);
        return true;
    }

    private static void AppendQuoted(string s, StringBuilder sb)
    {
        char quote = s.Contains('\'') ? '"' : '\'';
        sb.Append(quote);
        for (int i = 0; i < s.Length; i++)
        {
            int c = CodePointAt(s, i, out int width);
            if (c == quote || c == '\\') sb.Append('\\');
            if (IsPrintable(c)) sb.Append(s, i, width);
            else
            {
                sb.Append('\\');
                switch (c)
                {
                    case '\a': sb.Append('a'); break;
                    case '\b': sb.Append('b'); break;
                    case '\f': sb.Append('f'); break;
                    case '\n': sb.Append('n'); break;
                    case '\r': sb.Append('r'); break;
                    case '\t': sb.Append('t'); break;
                    case '\v': sb.Append('v'); break;
                    default:
                        if (c < 0x10000) sb.Append('u').Append(c.ToString("x4", CultureInfo.InvariantCulture));
                        else sb.Append('U').Append(c.ToString("x8", CultureInfo.InvariantCulture));
                        break;
                }
            }
            i += width - 1;
        }
        sb.Append(quote);
    }

    private static int CodePointAt(string s, int i, out int width)
    {
        if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            width = 2;
            return char.ConvertToUtf32(s[i], s[i + 1]);
        }
        width = 1;
        return s[i];
    }

    /// <summary>g_unichar_isprint: everything but control, format, unassigned and surrogate code points.</summary>
    private static bool IsPrintable(int c)
    {
        if (c is >= 0xD800 and <= 0xDFFF) return false;
        var cat = CharUnicodeInfo.GetUnicodeCategory(c);
        return cat is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate);
    }

    /// <summary>g_ascii_dtostr ("%.17g") plus ".0" when the result has no '.', 'e', 'n' or 'N'.</summary>
    private static string FormatDouble(double d)
    {
        string s;
        if (double.IsNaN(d)) s = BitConverter.DoubleToInt64Bits(d) < 0 ? "-nan" : "nan";
        else if (double.IsPositiveInfinity(d)) s = "inf";
        else if (double.IsNegativeInfinity(d)) s = "-inf";
        else
        {
            s = d.ToString("G17", CultureInfo.InvariantCulture);
            int e = s.IndexOf('E');
            if (e >= 0)
            {
                var mant = s[..e];
                var exp = int.Parse(s[(e + 1)..], CultureInfo.InvariantCulture);
                s = mant + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
            }
        }
        if (s.IndexOfAny(['.', 'e', 'n', 'N']) < 0) s += ".0";
        return s;
    }
}
