using Arbor.Repo.GLib;

namespace Arbor.Repo.GVariant;

/// <summary>
/// Emulates GLib's <c>GVariantDict</c>: an <c>a{sv}</c> builder whose <c>g_variant_dict_end</c>
/// emits entries in the iteration order of its internal <c>GHashTable</c> (keys hashed with
/// <c>g_str_hash</c>). ostree builds the summary's additional metadata and signature metadata
/// this way, so reproducing their bytes means reproducing that order: <see cref="GStrHashTable{TValue}"/>.
/// </summary>
public sealed class GVariantDict
{
    private readonly GStrHashTable<GVariantValue> _table = new();

    public GVariantDict() { }

    /// <summary>Starts from an existing dictionary, inserting its entries in order (g_variant_dict_init).</summary>
    public GVariantDict(IEnumerable<KeyValuePair<string, GVariantValue>> initial)
    {
        foreach (var (k, v) in initial) Insert(k, v);
    }

    public int Count => _table.Count;

    /// <summary>Inserts or replaces (the key keeps its slot, as g_hash_table_replace).</summary>
    public void Insert(string key, GVariantValue value) => _table.Insert(key, value);

    /// <summary>The entries in GHashTable iteration order (g_variant_dict_end).</summary>
    public IReadOnlyList<KeyValuePair<string, GVariantValue>> End() => _table.Entries.ToList();
}
