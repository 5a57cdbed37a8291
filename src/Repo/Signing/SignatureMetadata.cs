using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Signing;

/// <summary>
/// Signature lists inside detached metadata (<c>.commitmeta</c>, <c>summary.sig</c>): an <c>aay</c>
/// under <c>ostree.sign.ed25519</c> or <c>ostree.gpgsigs</c>. Appending rebuilds the dictionary as
/// GLib's GVariantDict does, so the key order equals ostree's.
/// </summary>
public static class SignatureMetadata
{
    public const string Ed25519Key = "ostree.sign.ed25519";
    public const string GpgKey = "ostree.gpgsigs";

    /// <summary>The signatures stored under <paramref name="key"/>, or an empty list.</summary>
    public static IReadOnlyList<byte[]> Get(VariantDictionary? metadata, string key) => TryGet(metadata, key) ?? [];

    /// <summary>The signatures stored under <paramref name="key"/>, or null when there is no <c>aay</c> there (g_variant_lookup_value).</summary>
    public static IReadOnlyList<byte[]>? TryGet(VariantDictionary? metadata, string key)
    {
        if (metadata?[key] is not { } v || !v.Type.Equals(GVariantType.ByteArrayArray)) return null;
        return v.Children.Select(c => c.AsBytes()).ToList();
    }

    /// <summary>A copy of <paramref name="metadata"/> with <paramref name="signature"/> appended under <paramref name="key"/>.</summary>
    public static VariantDictionary Append(VariantDictionary? metadata, string key, byte[] signature)
    {
        var existing = Get(metadata, key);
        return With(metadata, key, [.. existing, signature]);
    }

    /// <summary>A copy with the list under <paramref name="key"/> replaced (removed when empty).</summary>
    public static VariantDictionary With(VariantDictionary? metadata, string key, IReadOnlyList<byte[]> signatures)
    {
        var dict = new GVariantDict(metadata?.Entries ?? []);
        if (signatures.Count > 0)
            dict.Insert(key, GVariantValue.Array(GVariantType.ByteArrayArray, signatures.Select(s => GVariantValue.Bytes(s))));
        var result = new VariantDictionary();
        foreach (var (k, v) in dict.End())
            if (signatures.Count > 0 || k != key) result.Set(k, v);
        return result;
    }
}
