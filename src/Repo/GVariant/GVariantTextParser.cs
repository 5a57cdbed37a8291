using System.Globalization;
using System.Text;

namespace Arbor.Repo.GVariant;

/// <summary>
/// Parses the GVariant text format (g_variant_parse with no expected type) for the values ostree
/// users pass to <c>--add-metadata</c>: booleans, numbers with or without a type keyword
/// (<c>uint32 42</c>, <c>42</c> is an int32, <c>4.5</c> a double), strings in single or double
/// quotes, byte strings <c>b'..'</c>, arrays (element type inferred or given with <c>@as []</c>),
/// tuples, dictionaries <c>{'k': v}</c>, variants <c>&lt;v&gt;</c>, <c>just</c>/<c>nothing</c>.
/// Errors read like GLib's: <c>START-END:message</c> with byte offsets into the text.
/// </summary>
public static class GVariantTextParser
{
    public static GVariantValue Parse(string text)
    {
        var p = new Parser(text);
        var ast = p.ParseValue();
        p.SkipSpace();
        // GLib points at the start of what is left, a single location
        if (!p.AtEnd) throw p.Error(p.Pos, p.Pos, "expected end of input");
        return ast.Build(null);
    }

    /// <summary>GLib's error text: "START-END:message", or "START:message" for a single location.</summary>
    private static FormatException Located(int start, int end, string message) =>
        new(start == end ? $"{start}:{message}" : $"{start}-{end}:{message}");

    private abstract class Node(int start, int end)
    {
        public int Start { get; } = start;
        public int End { get; } = end;

        /// <summary>The type this value has on its own, or null when it depends on its context (numbers, empty arrays, nothing).</summary>
        public abstract GVariantType? Infer();

        /// <summary>Whether the value can take <paramref name="type"/>, or be the value of a maybe of it (GLib's maybe_wrapper).</summary>
        public bool Fits(GVariantType type) =>
            FitsBase(type) || (Wrappable(type) && Fits(type.Element));

        /// <summary>The value as <paramref name="type"/>; where a maybe is wanted, a value that is not one is wrapped in just.</summary>
        public GVariantValue Build(GVariantType? type) =>
            type is not null && !FitsBase(type) && Wrappable(type) ? GVariantValue.Maybe(type.Element, Build(type.Element)) : BuildBase(type);

        private bool Wrappable(GVariantType type) => type.Kind == GVariantTypeKind.Maybe && this is not MaybeNode;

        protected abstract bool FitsBase(GVariantType type);

        protected abstract GVariantValue BuildBase(GVariantType? type);

        protected Exception Error(string message) => Located(Start, End, message);

        /// <summary>The type of a value on its own, a lone number taking GLib's defaults (<c>i</c>, or <c>d</c> with a fraction or exponent).</summary>
        public static GVariantType? InferOrDefault(Node n) =>
            n.Infer() ?? (n is NumberNode number ? GVariantType.Parse(number.IsFloat ? "d" : "i") : null);
    }

    private sealed class BoolNode(int s, int e, bool value) : Node(s, e)
    {
        public override GVariantType? Infer() => GVariantType.Boolean;
        protected override bool FitsBase(GVariantType type) => type.Kind == GVariantTypeKind.Boolean;
        protected override GVariantValue BuildBase(GVariantType? type) =>
            type is null || Fits(type) ? GVariantValue.Boolean(value) : throw Error($"can not parse as value of type '{type}'");
    }

    private sealed class NumberNode(int s, int e, string token, bool isFloat) : Node(s, e)
    {
        public bool IsFloat => isFloat;
        public override GVariantType? Infer() => null;

        protected override bool FitsBase(GVariantType type) => type.Kind switch
        {
            GVariantTypeKind.Double => true,
            GVariantTypeKind.Byte or GVariantTypeKind.Int16 or GVariantTypeKind.UInt16 or GVariantTypeKind.Int32
                or GVariantTypeKind.UInt32 or GVariantTypeKind.Int64 or GVariantTypeKind.UInt64 or GVariantTypeKind.Handle => !isFloat,
            _ => false,
        };

        protected override GVariantValue BuildBase(GVariantType? type)
        {
            type ??= GVariantType.Parse(isFloat ? "d" : "i");
            if (!Fits(type)) throw Error($"can not parse as value of type '{type}'");
            if (type.Kind == GVariantTypeKind.Double)
            {
                if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) throw Error("invalid floating point number");
                return GVariantValue.Double(d);
            }
            var (neg, magnitude) = ParseInteger();
            (decimal min, decimal max) = type.Kind switch
            {
                GVariantTypeKind.Byte => (0m, (decimal)byte.MaxValue),
                GVariantTypeKind.Int16 => ((decimal)short.MinValue, (decimal)short.MaxValue),
                GVariantTypeKind.UInt16 => (0m, (decimal)ushort.MaxValue),
                GVariantTypeKind.Int32 or GVariantTypeKind.Handle => ((decimal)int.MinValue, (decimal)int.MaxValue),
                GVariantTypeKind.UInt32 => (0m, (decimal)uint.MaxValue),
                GVariantTypeKind.Int64 => ((decimal)long.MinValue, (decimal)long.MaxValue),
                _ => (0m, (decimal)ulong.MaxValue),
            };
            decimal v = neg ? -(decimal)magnitude : magnitude;
            if (v < min || v > max) throw Error($"number out of range for type '{type.Signature}'");
            ulong raw = neg ? unchecked((ulong)(long)v) : (ulong)v;
            if (type.Kind == GVariantTypeKind.Byte) return GVariantValue.Byte((byte)raw);
            return GVariantValue.Number(type, type.Kind switch
            {
                GVariantTypeKind.Int16 => (ushort)(short)(long)v,
                GVariantTypeKind.Int32 or GVariantTypeKind.Handle => (uint)(int)(long)v,
                _ => raw,
            });
        }

        private (bool Negative, ulong Magnitude) ParseInteger()
        {
            var t = token.AsSpan();
            bool neg = false;
            if (t.Length > 0 && (t[0] == '-' || t[0] == '+')) { neg = t[0] == '-'; t = t[1..]; }
            ulong value;
            bool ok = t.StartsWith("0x") || t.StartsWith("0X")
                ? ulong.TryParse(t[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
                : t.Length > 1 && t[0] == '0'
                    ? TryParseOctal(t[1..], out value)
                    : ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out value);
            if (!ok) throw Error("number too big for any type");
            return (neg, value);
        }

        private static bool TryParseOctal(ReadOnlySpan<char> s, out ulong value)
        {
            value = 0;
            foreach (var c in s)
            {
                if (c < '0' || c > '7' || value > ulong.MaxValue >> 3) return false;
                value = (value << 3) | (uint)(c - '0');
            }
            return true;
        }
    }

    private sealed class StringNode(int s, int e, string value) : Node(s, e)
    {
        public override GVariantType? Infer() => GVariantType.String;
        protected override bool FitsBase(GVariantType type) => type.IsStringLike;
        protected override GVariantValue BuildBase(GVariantType? type)
        {
            type ??= GVariantType.String;
            if (!Fits(type)) throw Error($"can not parse as value of type '{type}'");
            return GVariantValue.StringOfType(type, value);
        }
    }

    private sealed class ByteStringNode(int s, int e, byte[] value) : Node(s, e)
    {
        public override GVariantType? Infer() => GVariantType.ByteArray;
        protected override bool FitsBase(GVariantType type) => type.Equals(GVariantType.ByteArray);
        protected override GVariantValue BuildBase(GVariantType? type) =>
            type is null || Fits(type) ? GVariantValue.Bytes(value) : throw Error($"can not parse as value of type '{type}'");
    }

    private sealed class VariantNode(int s, int e, Node inner) : Node(s, e)
    {
        public override GVariantType? Infer() => GVariantType.Variant;
        protected override bool FitsBase(GVariantType type) => type.Kind == GVariantTypeKind.Variant;
        protected override GVariantValue BuildBase(GVariantType? type) =>
            type is null || Fits(type) ? GVariantValue.Variant(inner.Build(null)) : throw Error($"can not parse as value of type '{type}'");
    }

    private sealed class TypedNode(int s, int e, GVariantType annotated, Node inner) : Node(s, e)
    {
        public override GVariantType? Infer() => annotated;
        protected override bool FitsBase(GVariantType type) => type.Equals(annotated);
        protected override GVariantValue BuildBase(GVariantType? type)
        {
            if (type is not null && !type.Equals(annotated)) throw Error($"can not parse as value of type '{type}'");
            return inner.Build(annotated);
        }
    }

    private sealed class MaybeNode(int s, int e, Node? inner) : Node(s, e)
    {
        public override GVariantType? Infer() => inner is not null && InferOrDefault(inner) is { } t ? GVariantType.Parse("m" + t.Signature) : null;
        protected override bool FitsBase(GVariantType type) => type.Kind == GVariantTypeKind.Maybe && (inner is null || inner.Fits(type.Element));
        protected override GVariantValue BuildBase(GVariantType? type)
        {
            type ??= Infer() ?? throw Error("unable to infer type");
            if (!Fits(type)) throw Error($"can not parse as value of type '{type}'");
            return GVariantValue.Maybe(type.Element, inner?.Build(type.Element));
        }
    }

    private sealed class ArrayNode(int s, int e, List<Node> items) : Node(s, e)
    {
        public override GVariantType? Infer()
        {
            var element = ElementType();
            return element is null ? null : GVariantType.Parse("a" + element.Signature);
        }

        private GVariantType? ElementType()
        {
            foreach (var i in items)
                if (i.Infer() is { } t) return t;
            if (items.Count > 0 && items.All(i => i is NumberNode))
                return GVariantType.Parse(items.Any(i => ((NumberNode)i).IsFloat) ? "d" : "i");
            return null;
        }

        protected override bool FitsBase(GVariantType type) => type.Kind == GVariantTypeKind.Array && items.All(i => i.Fits(type.Element));

        protected override GVariantValue BuildBase(GVariantType? type)
        {
            type ??= Infer() ?? throw Error("unable to infer type");
            if (type.Kind != GVariantTypeKind.Array) throw Error($"can not parse as value of type '{type}'");
            return GVariantValue.Array(type, items.Select(i => i.Build(type.Element)).ToList());
        }
    }

    private sealed class TupleNode(int s, int e, List<Node> items) : Node(s, e)
    {
        public override GVariantType? Infer()
        {
            var sb = new StringBuilder("(");
            foreach (var i in items)
            {
                var t = InferOrDefault(i);
                if (t is null) return null;
                sb.Append(t.Signature);
            }
            return GVariantType.Parse(sb.Append(')').ToString());
        }

        protected override bool FitsBase(GVariantType type) =>
            type.Kind == GVariantTypeKind.Tuple && type.Children.Count == items.Count && items.Select((n, i) => n.Fits(type.Children[i])).All(x => x);

        protected override GVariantValue BuildBase(GVariantType? type)
        {
            type ??= Infer() ?? throw Error("unable to infer type");
            if (type.Kind != GVariantTypeKind.Tuple || type.Children.Count != items.Count) throw Error($"can not parse as value of type '{type}'");
            return GVariantValue.Tuple(items.Select((n, i) => n.Build(type.Children[i])).ToArray());
        }
    }

    /// <summary><c>{k: v, ...}</c> (an array of dict entries) or a lone entry <c>{k, v}</c>.</summary>
    private sealed class DictNode(int s, int e, List<(Node Key, Node Value)> entries, bool isEntry) : Node(s, e)
    {
        public override GVariantType? Infer()
        {
            if (entries.Count == 0) return null;
            GVariantType? k = null, v = null;
            foreach (var (key, value) in entries)
            {
                k ??= key.Infer();
                v ??= value.Infer();
            }
            if (entries.All(x => x.Key is NumberNode)) k ??= GVariantType.Parse("i");
            if (entries.All(x => x.Value is NumberNode)) v ??= GVariantType.Parse("i");
            if (k is null || v is null) return null;
            var entry = "{" + k.Signature + v.Signature + "}";
            return GVariantType.Parse(isEntry ? entry : "a" + entry);
        }

        protected override bool FitsBase(GVariantType type)
        {
            var entry = isEntry ? type : type.Kind == GVariantTypeKind.Array ? type.Element : null;
            return entry is { Kind: GVariantTypeKind.DictEntry } && entries.All(x => x.Key.Fits(entry.Children[0]) && x.Value.Fits(entry.Children[1]));
        }

        protected override GVariantValue BuildBase(GVariantType? type)
        {
            type ??= Infer() ?? throw Error("unable to infer type");
            if (!Fits(type)) throw Error($"can not parse as value of type '{type}'");
            var entryType = isEntry ? type : type.Element;
            var built = entries.Select(x => GVariantValue.DictEntry(x.Key.Build(entryType.Children[0]), x.Value.Build(entryType.Children[1]))).ToList();
            return isEntry ? built[0] : GVariantValue.Array(type, built);
        }
    }

    private sealed class Parser(string text)
    {
        private static readonly Dictionary<string, string> TypeKeywords = new(StringComparer.Ordinal)
        {
            ["boolean"] = "b", ["byte"] = "y", ["int16"] = "n", ["uint16"] = "q", ["int32"] = "i", ["uint32"] = "u",
            ["int64"] = "x", ["uint64"] = "t", ["double"] = "d", ["handle"] = "h", ["string"] = "s",
            ["objectpath"] = "o", ["signature"] = "g",
        };

        public int Pos;
        public bool AtEnd => Pos >= text.Length;

        public Exception Error(int start, int end, string message) => Located(start, end, message);

        public void SkipSpace()
        {
            while (Pos < text.Length && char.IsWhiteSpace(text[Pos])) Pos++;
        }

        public Node ParseValue()
        {
            SkipSpace();
            if (AtEnd) throw Error(Pos, Pos, "expected value");
            int start = Pos;
            char c = text[Pos];
            switch (c)
            {
                case '\'' or '"': return ParseString();
                case '[': return ParseArray();
                case '(': return ParseTuple();
                case '{': return ParseDict();
                case '<':
                {
                    Pos++;
                    var inner = ParseValue();
                    Expect('>');
                    return new VariantNode(start, Pos, inner);
                }
                case '@':
                {
                    Pos++;
                    int typeStart = Pos;
                    var sig = ReadTypeString();
                    if (!GVariantType.TryParse(sig, out var type) || type is null) throw Error(typeStart, Pos, "invalid type declaration");
                    var inner = ParseValue();
                    return new TypedNode(start, inner.End, type, inner);
                }
            }
            if (c == 'b' && Pos + 1 < text.Length && text[Pos + 1] is '\'' or '"')
            {
                Pos++;
                var s = (StringNode)ParseString();
                var bytes = Encoding.UTF8.GetBytes(s.Build(null).AsString() + "\0");
                return new ByteStringNode(start, Pos, bytes);
            }
            if (char.IsAsciiDigit(c) || c is '-' or '+' or '.') return ParseNumber();
            if (char.IsAsciiLetter(c))
            {
                var word = ReadWord();
                switch (word)
                {
                    case "true": return new BoolNode(start, Pos, true);
                    case "false": return new BoolNode(start, Pos, false);
                    case "nothing": return new MaybeNode(start, Pos, null);
                    case "just":
                    {
                        var inner = ParseValue();
                        return new MaybeNode(start, inner.End, inner);
                    }
                    case "inf" or "nan": return new NumberNode(start, Pos, word == "inf" ? "Infinity" : "NaN", true);
                }
                if (TypeKeywords.TryGetValue(word, out var sig))
                {
                    var inner = ParseValue();
                    return new TypedNode(start, inner.End, GVariantType.Parse(sig), inner);
                }
                throw Error(start, Pos, "unknown keyword");
            }
            throw Error(start, start + 1, "expected value");
        }

        private string ReadWord()
        {
            int s = Pos;
            while (Pos < text.Length && (char.IsAsciiLetterOrDigit(text[Pos]) || text[Pos] == '_')) Pos++;
            return text[s..Pos];
        }

        /// <summary>Reads one complete type string (the text after '@').</summary>
        private string ReadTypeString()
        {
            int s = Pos;
            SkipType();
            return text[s..Pos];
        }

        private void SkipType()
        {
            if (AtEnd) return;
            char c = text[Pos++];
            switch (c)
            {
                case 'a' or 'm':
                    SkipType();
                    break;
                case '(':
                    while (!AtEnd && text[Pos] != ')') { int before = Pos; SkipType(); if (Pos == before) return; }
                    if (!AtEnd) Pos++;
                    break;
                case '{':
                    SkipType();
                    SkipType();
                    if (!AtEnd && text[Pos] == '}') Pos++;
                    break;
            }
        }

        private Node ParseNumber()
        {
            int start = Pos;
            bool isFloat = false;
            if (text[Pos] is '-' or '+') Pos++;
            while (Pos < text.Length && (char.IsAsciiLetterOrDigit(text[Pos]) || text[Pos] is '.' || (text[Pos] is '-' or '+' && text[Pos - 1] is 'e' or 'E')))
            {
                if (text[Pos] is '.') isFloat = true;
                Pos++;
            }
            var token = text[start..Pos];
            bool hex = token.TrimStart('-', '+').StartsWith("0x", StringComparison.OrdinalIgnoreCase);
            if (!hex && (token.Contains('e') || token.Contains('E'))) isFloat = true;
            if (token is "-" or "+" or ".") throw Error(start, Pos, "expected value");
            return new NumberNode(start, Pos, token, isFloat);
        }

        private Node ParseString()
        {
            int start = Pos;
            char quote = text[Pos++];
            var sb = new StringBuilder();
            while (true)
            {
                if (AtEnd) throw Error(start, Pos, "unterminated string constant");
                char c = text[Pos++];
                if (c == quote) break;
                if (c != '\\') { sb.Append(c); continue; }
                if (AtEnd) throw Error(start, Pos, "unterminated string constant");
                char esc = text[Pos++];
                switch (esc)
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'v': sb.Append('\v'); break;
                    case 'a': sb.Append('\a'); break;
                    case 'u': sb.Append(ReadCodePoint(4)); break;
                    case 'U': sb.Append(ReadCodePoint(8)); break;
                    default: sb.Append(esc); break;
                }
            }
            return new StringNode(start, Pos, sb.ToString());
        }

        private string ReadCodePoint(int digits)
        {
            int s = Pos - 2;
            if (Pos + digits > text.Length || !int.TryParse(text.AsSpan(Pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var cp)
                || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                throw Error(s, Math.Min(text.Length, Pos + digits), "invalid unicode escape");
            Pos += digits;
            return char.ConvertFromUtf32(cp);
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (AtEnd || text[Pos] != c) throw Error(Pos, Math.Min(text.Length, Pos + 1), $"expected '{c}'");
            Pos++;
        }

        private bool TryConsume(char c)
        {
            SkipSpace();
            if (!AtEnd && text[Pos] == c) { Pos++; return true; }
            return false;
        }

        private Node ParseArray()
        {
            int start = Pos++;
            var items = new List<Node>();
            if (!TryConsume(']'))
            {
                do items.Add(ParseValue());
                while (TryConsume(','));
                Expect(']');
            }
            return new ArrayNode(start, Pos, items);
        }

        private Node ParseTuple()
        {
            int start = Pos++;
            var items = new List<Node>();
            if (!TryConsume(')'))
            {
                items.Add(ParseValue());
                while (TryConsume(','))
                {
                    SkipSpace();
                    if (!AtEnd && text[Pos] == ')') break; // (x,) is a one-tuple
                    items.Add(ParseValue());
                }
                Expect(')');
            }
            return new TupleNode(start, Pos, items);
        }

        private Node ParseDict()
        {
            int start = Pos++;
            var entries = new List<(Node, Node)>();
            if (TryConsume('}')) return new DictNode(start, Pos, entries, false);
            var firstKey = ParseValue();
            if (TryConsume(','))
            {
                var value = ParseValue();
                Expect('}');
                entries.Add((firstKey, value));
                return new DictNode(start, Pos, entries, true);
            }
            Expect(':');
            entries.Add((firstKey, ParseValue()));
            while (TryConsume(','))
            {
                var k = ParseValue();
                Expect(':');
                entries.Add((k, ParseValue()));
            }
            Expect('}');
            return new DictNode(start, Pos, entries, false);
        }
    }
}
