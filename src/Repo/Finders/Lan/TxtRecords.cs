using System.Text;
using Arbor.Repo.GVariant;

namespace Arbor.Repo.Finders.Lan;

/// <summary>
/// The attributes of a DNS-SD TXT record set (RFC 6763 §6), as ostree's
/// <c>_ostree_txt_records_parse</c> reads them: <c>key=value</c> strings of at most 8900 bytes
/// whose key is printable ASCII other than '=' (lower-cased here); a string that is only a key has
/// no value (null), unlike <c>key=</c> (empty); an invalid string is skipped, and of duplicate
/// keys the first wins. Values are binary: ostree's attributes are serialized GVariants.
/// </summary>
public sealed class TxtRecords
{
    private const int MaxRecordLength = 8900;
    private readonly Dictionary<string, byte[]?> _attributes = new(StringComparer.Ordinal);

    public int Count => _attributes.Count;

    public static TxtRecords Parse(IEnumerable<byte[]> records)
    {
        var result = new TxtRecords();
        foreach (var txt in records)
            if (TryParseRecord(txt, out var key, out var value)) result._attributes.TryAdd(key, value);
        return result;
    }

    /// <summary>One TXT string: false when it is not a valid attribute.</summary>
    public static bool TryParseRecord(ReadOnlySpan<byte> txt, out string key, out byte[]? value)
    {
        key = "";
        value = null;
        if (txt.Length > MaxRecordLength) return false;
        int keyLength = 0;
        while (keyLength < txt.Length && txt[keyLength] is >= 0x20 and <= 0x7e and not (byte)'=') keyLength++;
        if (keyLength == 0) return false;
        if (keyLength < txt.Length)
        {
            if (txt[keyLength] != '=') return false;
            value = txt[(keyLength + 1)..].ToArray();
        }
        key = Encoding.ASCII.GetString(txt[..keyLength]).ToLowerInvariant();
        return true;
    }

    /// <summary>The attribute's raw value: null when absent or a bare key.</summary>
    public byte[]? Get(string key) => _attributes.GetValueOrDefault(key);

    /// <summary><c>_ostree_txt_records_lookup_variant</c>: the value when it is a normal-form GVariant of that type, else null.</summary>
    public byte[]? Lookup(string key, GVariantType type) =>
        Get(key) is { } value && GVariantNormalForm.IsNormal(value, type) ? value : null;
}
