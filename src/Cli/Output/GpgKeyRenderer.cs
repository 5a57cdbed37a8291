using Arbor.Repo.Core;
using Arbor.Repo.Signing;

namespace Arbor.Cli.Output;

/// <summary>
/// One key as <c>ostree remote gpg-list-keys</c> prints it (<c>ot_dump_gpg_key</c>): the primary
/// key with its times, each user ID with its Web Key Directory URLs, then the subkeys. Times are
/// GLib's <c>%c</c> in the C locale, in local time. Pure.
/// </summary>
public static class GpgKeyRenderer
{
    public static void Render(TextWriter w, GpgKeyView key) => Render(w, key, TimeZoneInfo.Local, LocaleCharset.IsUtf8);

    /// <summary>With times in <paramref name="zone"/>, for a UTF-8 locale or not.</summary>
    public static void Render(TextWriter w, GpgKeyView key, TimeZoneInfo zone, bool utf8)
    {
        var sb = new System.Text.StringBuilder();
        Subkey(sb, key.Primary, primary: true, zone, utf8);
        foreach (var uid in key.UserIds)
        {
            sb.Append("  UID: ").Append(uid.Id.Uid).Append(uid.Revoked ? " (revoked)" : "").Append(uid.Invalid ? " (invalid)" : "").Append('\n');
            var urls = uid.Id.Address is { } address ? GpgWkd.Urls(address) : null;
            sb.Append("  Advanced update URL: ").Append(urls?.Advanced).Append('\n');
            sb.Append("  Direct update URL: ").Append(urls?.Direct).Append('\n');
        }
        foreach (var sub in key.Subkeys.Skip(1)) Subkey(sb, sub, primary: false, zone, utf8);
        w.Write(sb.ToString());
    }

    private static void Subkey(System.Text.StringBuilder sb, GpgSubkeyInfo k, bool primary, TimeZoneInfo zone, bool utf8)
    {
        string LocalTime(long unix) => CLocaleTime.FormatLocal(unix, zone, utf8);
        var indent = primary ? "  " : "    ";
        sb.Append(primary ? "Key: " : "  Subkey: ").Append(k.Fingerprint)
          .Append(k.Revoked ? " (revoked)" : "").Append(k.Invalid ? " (invalid)" : "").Append('\n');
        sb.Append(indent).Append("Created: ").Append(LocalTime(k.Created)).Append('\n');
        if (k.Expires > 0) sb.Append(indent).Append(k.Expired ? "Expired: " : "Expires: ").Append(LocalTime(k.Expires)).Append('\n');
    }
}
