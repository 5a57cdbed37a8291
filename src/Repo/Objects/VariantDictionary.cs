using Arbor.Repo.GVariant;

namespace Arbor.Repo.Objects;

/// <summary>
/// An <c>a{sv}</c> that keeps insertion order (GVariant imposes none; ostree writes keys in
/// command-line order). Lookups return the first matching key (gvariant.md §5.5).
/// </summary>
public sealed class VariantDictionary
{
    private readonly List<KeyValuePair<string, GVariantValue>> _entries = new();

    public IReadOnlyList<KeyValuePair<string, GVariantValue>> Entries => _entries;
    public int Count => _entries.Count;

    public GVariantValue? this[string key]
    {
        get
        {
            foreach (var e in _entries) if (e.Key == key) return e.Value;
            return null;
        }
    }

    public bool ContainsKey(string key) => this[key] is not null;

    /// <summary>Appends, or replaces the value of an existing key in place.</summary>
    public void Set(string key, GVariantValue value)
    {
        for (int i = 0; i < _entries.Count; i++)
        {
            if (_entries[i].Key == key) { _entries[i] = new(key, value); return; }
        }
        _entries.Add(new(key, value));
    }

    /// <summary>Appends even when the key is already present, as GVariantBuilder does (ostree commit's metadata).</summary>
    public void Add(string key, GVariantValue value) => _entries.Add(new(key, value));

    public bool Remove(string key) => _entries.RemoveAll(e => e.Key == key) > 0;

    public void AddString(string key, string value) => Add(key, GVariantValue.String(value));

    /// <summary>Appends an <c>as</c>.</summary>
    public void AddStrings(string key, IEnumerable<string> values) => Add(key, GVariantValue.StringArray(values));

    /// <summary>Appends a nested <c>a{sv}</c>.</summary>
    public void AddDictionary(string key, VariantDictionary value) => Add(key, value.ToValue());

    /// <summary>The <c>as</c> under <paramref name="key"/>, null when absent; another type is a format error.</summary>
    public IReadOnlyList<string>? GetStrings(string key)
    {
        var v = this[key];
        if (v is null) return null;
        return v.Type.Equals(StringArrayType) ? v.AsStringArray() : throw new GVariantFormatException($"'{key}': expected 'as', found '{v.Type}'");
    }

    /// <summary>The nested <c>a{sv}</c> under <paramref name="key"/>, null when absent; another type is a format error.</summary>
    public VariantDictionary? GetDictionary(string key)
    {
        var v = this[key];
        if (v is null) return null;
        return v.Type.Equals(GVariantType.VarDict) ? Parse(v.Serialize()) : throw new GVariantFormatException($"'{key}': expected 'a{{sv}}', found '{v.Type}'");
    }

    private static readonly GVariantType StringArrayType = GVariantType.Parse("as");

    public string? GetString(string key)
    {
        var v = this[key];
        return v is not null && v.Type.IsStringLike ? v.AsString() : null;
    }

    public void WriteTo(GVariantWriter w) => WriteAsv(w, _entries);

    /// <summary>Writes an <c>a{sv}</c> from its entries in the given order.</summary>
    internal static void WriteAsv(GVariantWriter w, IReadOnlyList<KeyValuePair<string, GVariantValue>> entries)
    {
        w.BeginArray();
        foreach (var (k, v) in entries)
        {
            w.BeginDictEntry();
            w.WriteString(k);
            w.BeginVariant(v.Type);
            v.WriteTo(w);
            w.End();
            w.End();
        }
        w.End();
    }

    public byte[] Serialize()
    {
        using var w = new GVariantWriter(GVariantType.VarDict);
        WriteTo(w);
        return w.ToArray();
    }

    public static VariantDictionary Read(GVariantReader dict)
    {
        var d = new VariantDictionary();
        foreach (var e in dict.EnumerateArray())
            d._entries.Add(new(e.Member(0).GetString(), GVariantValue.Decode(e.Member(1).VariantValue(), 1)));
        return d;
    }

    public static VariantDictionary Parse(ReadOnlySpan<byte> data) => Read(new GVariantReader(data, GVariantType.VarDict));

    /// <summary>Any bytes, read as GLib reads untrusted data (<see cref="GVariantNormalizer"/>); never fails.</summary>
    public static VariantDictionary ParseLenient(ReadOnlySpan<byte> data, int depth = 0) =>
        FromValue(GVariantNormalizer.Read(data, GVariantType.VarDict, depth));

    /// <summary>The entries of an <c>a{sv}</c> value, in order.</summary>
    public static VariantDictionary FromValue(GVariantValue dict)
    {
        var d = new VariantDictionary();
        foreach (var e in dict.Children) d._entries.Add(new(e.Children[0].AsString(), e.Children[1].Inner!));
        return d;
    }

    /// <summary>As a GVariant value of type a{sv}, for printing.</summary>
    public GVariantValue ToValue() => GVariantValue.Array(GVariantType.VarDict,
        _entries.Select(e => GVariantValue.DictEntry(GVariantValue.String(e.Key), GVariantValue.Variant(e.Value))));
}
