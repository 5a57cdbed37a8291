using System.Security.Cryptography;
using System.Text;

namespace Arbor.Repo.Signing;

/// <summary>
/// OpenPGP Web Key Directory URLs as ostree's <c>ot_gpg_wkd_urls</c> builds them for
/// <c>remote gpg-list-keys</c>: the z-base-32 SHA-1 of the lower-cased local part, the advanced
/// (<c>openpgpkey.DOMAIN</c>) and direct forms, with <c>?l=</c> the URI-escaped local part. Pure.
/// </summary>
public static class GpgWkd
{
    private const string ZBase32Alphabet = "ybndrfg8ejkmcpqxot1uwisza345h769";

    /// <returns>Null when <paramref name="address"/> does not hold exactly one "@".</returns>
    public static (string Advanced, string Direct)? Urls(string address)
    {
        var parts = address.Split('@');
        if (parts.Length != 2) return null;
        var hash = ZBase32(SHA1.HashData(Encoding.UTF8.GetBytes(parts[0].ToLowerInvariant())));
        var local = UriEscape(parts[0]);
        var domain = parts[1];
        return ($"https://openpgpkey.{domain}/.well-known/openpgpkey/{domain.ToLowerInvariant()}/hu/{hash}?l={local}",
                $"https://{domain}/.well-known/openpgpkey/hu/{hash}?l={local}");
    }

    /// <summary>z-base-32, 5 bits a character from the most significant bit (160 bits give 32 characters).</summary>
    public static string ZBase32(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(ZBase32Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) sb.Append(ZBase32Alphabet[(buffer << (5 - bits)) & 31]);
        return sb.ToString();
    }

    /// <summary>GLib's <c>g_uri_escape_string (s, NULL, FALSE)</c>: all but ALPHA, DIGIT and "-._~" as %XX.</summary>
    private static string UriEscape(string s)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~') sb.Append((char)b);
            else sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
