using System.Globalization;

namespace Arbor.Repo.Core;

/// <summary>
/// <c>%c</c> in the C locale, as GLib's <c>g_date_time_format</c> prints it in ostree's messages:
/// "Sat Jan 12 03:04:05 2021"; a one-digit day is padded with a figure space (U+2007), which
/// <c>g_print</c> turns into "?" unless the locale's character set is UTF-8.
/// </summary>
public static class CLocaleTime
{
    public static string Format(DateTimeOffset t) => Format(t, LocaleCharset.IsUtf8);

    public static string Format(DateTimeOffset t, bool utf8)
    {
        var day = t.Day.ToString(CultureInfo.InvariantCulture);
        if (day.Length == 1) day = (utf8 ? "\u2007" : "?") + day;
        return t.ToString("ddd MMM ", CultureInfo.InvariantCulture) + day + t.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture);
    }

    /// <summary>A Unix time in the local time zone (GLib's <c>g_date_time_to_local</c>, then <c>%c</c>).</summary>
    public static string FormatLocal(long unixSeconds) => FormatLocal(unixSeconds, TimeZoneInfo.Local, LocaleCharset.IsUtf8);

    /// <summary>A Unix time in <paramref name="zone"/>, padded for a UTF-8 locale or not.</summary>
    public static string FormatLocal(long unixSeconds, TimeZoneInfo zone, bool utf8) =>
        Format(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(unixSeconds), zone), utf8);
}
