using System.Text;

namespace Arbor.Repo.GLib;

/// <summary>A <see cref="GHashTable{TKey,TValue}"/> of strings with <c>g_str_hash</c> and <c>g_str_equal</c>.</summary>
public sealed class GStrHashTable<TValue> : GHashTable<string, TValue>
{
    public GStrHashTable() : base(GStrHash.Hash, StringComparer.Ordinal) { }
}

/// <summary>GLib's string hash.</summary>
public static class GStrHash
{
    /// <summary><c>g_str_hash</c>: djb2 over the UTF-8 bytes taken as <em>signed</em> chars.</summary>
    public static uint Hash(string key)
    {
        uint h = 5381;
        foreach (byte b in Encoding.UTF8.GetBytes(key))
            h = unchecked((h << 5) + h + (uint)(sbyte)b);
        return h;
    }
}
