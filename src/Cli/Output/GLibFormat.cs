using System.Globalization;

namespace Arbor.Cli.Output;

/// <summary>GLib's text formats that ostree prints: <c>g_format_size</c> and ISO 8601 timestamps.</summary>
public static class GLibFormat
{
    private static readonly (ulong Factor, string Unit)[] SiUnits =
    [
        (1000UL, "kB"), (1000UL * 1000, "MB"), (1000UL * 1000 * 1000, "GB"),
        (1000UL * 1000 * 1000 * 1000, "TB"), (1000UL * 1000 * 1000 * 1000 * 1000, "PB"),
        (1000UL * 1000 * 1000 * 1000 * 1000 * 1000, "EB"),
    ];

    /// <summary><c>g_format_size</c>: "1 byte", "42 bytes", then SI units with one decimal ("100.4 kB").</summary>
    public static string Size(ulong size)
    {
        if (size < 1000) return size == 1 ? "1 byte" : $"{size} bytes";
        int i = 1;
        while (i < SiUnits.Length && size >= SiUnits[i].Factor) i++;
        var (factor, unit) = SiUnits[i - 1];
        return ((double)size / factor).ToString("F1", CultureInfo.InvariantCulture) + " " + unit;
    }

    /// <summary>ostree's <c>uint64_secs_to_iso8601</c>: local time as <c>%FT%T%:::z</c> ("2021-01-05T00:00:00+00").</summary>
    public static string Iso8601Local(ulong seconds)
    {
        if (seconds > 253402300799UL) return "invalid";
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds((long)seconds), TimeZoneInfo.Local);
        var off = local.Offset;
        var sign = off < TimeSpan.Zero ? '-' : '+';
        off = off.Duration();
        var zone = $"{sign}{off.Hours:00}";
        if (off.Minutes != 0 || off.Seconds != 0) zone += $":{off.Minutes:00}";
        if (off.Seconds != 0) zone += $":{off.Seconds:00}";
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + zone;
    }
}
