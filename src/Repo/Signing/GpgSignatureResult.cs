using System.Text;
using Arbor.Repo.Core;

namespace Arbor.Repo.Signing;

/// <summary>
/// The outcome for one OpenPGP signature, with the attributes ostree's
/// <c>ostree_gpg_verify_result_describe</c> reads: <paramref name="Fingerprint"/> is the signing
/// (sub)key's fingerprint, or only its key ID when the key is missing; times are Unix seconds,
/// 0 where there is no expiry. <paramref name="UserName"/>, <paramref name="UserEmail"/> and
/// <paramref name="UserId"/> come from the key's primary user ID.
/// </summary>
public sealed record GpgSignatureResult(
    string Fingerprint, string Algorithm, long Created, long SignatureExpires,
    bool Valid, bool KeyMissing, bool KeyRevoked, bool KeyExpired, bool SignatureExpired,
    string PrimaryFingerprint, string UserName, string UserEmail, string? UserId, long KeyExpires, long PrimaryKeyExpires)
{
    public string KeyId => Tail(Fingerprint);
    public string PrimaryKeyId => Tail(PrimaryFingerprint);
    public DateTimeOffset CreatedTime => DateTimeOffset.FromUnixTimeSeconds(Created);

    /// <summary>A signature whose key is in none of the keyrings.</summary>
    public static GpgSignatureResult Missing(string keyId, string algorithm, long created, long signatureExpires) =>
        new(keyId, algorithm, created, signatureExpires, false, true, false, false, false, "", "[unknown name]", "[unknown email]", null, 0, 0);

    /// <summary>
    /// <c>ostree_gpg_verify_result_describe</c> with the default format: "Signature made … using …
    /// key ID …", the verdict, "Primary key ID …" for a subkey, then the signature, key and primary
    /// key expiry lines; every line starts with <paramref name="linePrefix"/>. Times are printed as
    /// GLib's <c>%c</c> in the C locale, in local time.
    /// </summary>
    public string Describe(string linePrefix = "") => Describe(linePrefix, TimeZoneInfo.Local, LocaleCharset.IsUtf8);

    /// <summary><see cref="Describe(string)"/> with times in <paramref name="zone"/>, for a UTF-8 locale or not.</summary>
    public string Describe(string linePrefix, TimeZoneInfo zone, bool utf8)
    {
        string LocalTime(long unix) => CLocaleTime.FormatLocal(unix, zone, utf8);
        var sb = new StringBuilder();
        sb.Append(linePrefix).Append("Signature made ").Append(LocalTime(Created))
          .Append(" using ").Append(Algorithm).Append(" key ID ").Append(KeyId).Append('\n');
        sb.Append(linePrefix);
        if (KeyMissing) sb.Append("Can't check signature: public key not found\n");
        else if (Valid) sb.Append("Good signature from \"").Append(UserName).Append(" <").Append(UserEmail).Append(">\"\n");
        else if (KeyRevoked) sb.Append("Key revoked\n");
        else if (SignatureExpired) sb.Append("Expired signature from \"").Append(UserName).Append(" <").Append(UserEmail).Append(">\"\n");
        else sb.Append("BAD signature from \"").Append(UserName).Append(" <").Append(UserEmail).Append(">\"\n");
        bool subkey = Fingerprint != PrimaryFingerprint;
        if (!KeyMissing && subkey) sb.Append(linePrefix).Append("Primary key ID ").Append(PrimaryKeyId).Append('\n');
        if (SignatureExpires > 0) Expiry("Signature", SignatureExpires, SignatureExpired);
        if (KeyExpires > 0) Expiry("Key", KeyExpires, KeyExpired);
        if (PrimaryKeyExpires > 0 && subkey) Expiry("Primary key", PrimaryKeyExpires, KeyExpired);
        return sb.ToString();

        void Expiry(string what, long when, bool expired) =>
            sb.Append(linePrefix).Append(what).Append(expired ? " expired " : " expires ").Append(LocalTime(when)).Append('\n');
    }

    private static string Tail(string fingerprint) => fingerprint.Length > 16 ? fingerprint[^16..] : fingerprint;
}
