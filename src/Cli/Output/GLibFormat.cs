using System.Globalization;

namespace Arbor.Cli.Output;

/// <summary>GLib's ISO 8601 timestamps as ostree prints them (sizes: <see cref="Repo.Core.SizeFormat"/>).</summary>
public static class GLibFormat
{
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
