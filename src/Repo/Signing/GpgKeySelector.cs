using System.Globalization;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Arbor.Repo.Signing;

/// <summary>
/// Finds the one key a KEY-ID of <c>remote gpg-import</c> names, as gpgme_get_key does against the
/// imported keys: hex key IDs (8 or 16 digits) and fingerprints (32 or 40), with an optional
/// <c>0x</c>, match the primary key or a subkey; <c>&lt;mail&gt;</c> matches an address exactly,
/// <c>=uid</c> a user ID exactly, <c>@text</c> a part of an address; anything else a part of a user
/// ID, ignoring case. Errors carry gpgme's wording: shorter than 8 characters is "Invalid value",
/// nothing found "End of file", more than one key "Ambiguous name".
/// </summary>
public static class GpgKeySelector
{
    public static PgpPublicKeyRing Find(IReadOnlyList<PgpPublicKeyRing> rings, string pattern)
    {
        if (pattern.Length < 8) throw Error(pattern, "Invalid value");
        var match = Matcher(pattern);
        PgpPublicKeyRing? found = null;
        foreach (var ring in rings)
        {
            if (!match(ring)) continue;
            if (found is not null) throw Error(pattern, "Ambiguous name");
            found = ring;
        }
        return found ?? throw Error(pattern, "End of file");
    }

    private static SigningException Error(string pattern, string gpgme) =>
        new($"GPG: Unable to find key \"{pattern}\": GPGME: {gpgme}");

    private static Func<PgpPublicKeyRing, bool> Matcher(string pattern)
    {
        var hex = pattern.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? pattern[2..] : pattern;
        if (hex.EndsWith('!')) hex = hex[..^1];
        if (hex.Length is 8 or 16 or 32 or 40 && hex.All(Uri.IsHexDigit))
        {
            var wanted = hex.ToUpperInvariant();
            return ring => ring.GetPublicKeys().Any(k => wanted.Length switch
            {
                8 => (k.KeyId & 0xFFFFFFFF).ToString("X8", CultureInfo.InvariantCulture) == wanted,
                16 => k.KeyId.ToString("X16", CultureInfo.InvariantCulture) == wanted,
                _ => Convert.ToHexString(k.GetFingerprint()) == wanted,
            });
        }
        return pattern[0] switch
        {
            '<' => ring => UserIds(ring).Any(u => Address(u) is { } a && string.Equals("<" + a + ">", pattern, StringComparison.OrdinalIgnoreCase)),
            '=' => ring => UserIds(ring).Any(u => u == pattern[1..]),
            '@' => ring => UserIds(ring).Any(u => Address(u)?.Contains(pattern[1..], StringComparison.OrdinalIgnoreCase) == true),
            '*' => ring => UserIds(ring).Any(u => u.Contains(pattern[1..], StringComparison.OrdinalIgnoreCase)),
            _ => ring => UserIds(ring).Any(u => u.Contains(pattern, StringComparison.OrdinalIgnoreCase)),
        };
    }

    private static IEnumerable<string> UserIds(PgpPublicKeyRing ring) => ring.GetPublicKey().GetUserIds();

    /// <summary>The address between the last <c>&lt;</c> and <c>&gt;</c> of a user ID, if any.</summary>
    private static string? Address(string uid)
    {
        int open = uid.LastIndexOf('<'), close = uid.LastIndexOf('>');
        return open >= 0 && close > open ? uid[(open + 1)..close] : null;
    }
}
