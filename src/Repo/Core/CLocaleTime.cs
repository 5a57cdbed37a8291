using System.Globalization;

namespace Arbor.Repo.Core;

/// <summary><c>%c</c> in the C locale, as GLib's <c>g_date_time_format</c> prints it in ostree's messages: "Sat Jan  2 03:04:05 2021".</summary>
internal static class CLocaleTime
{
    public static string Format(DateTimeOffset t) =>
        t.ToString("ddd MMM ", CultureInfo.InvariantCulture) + t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
        + t.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture);
}
