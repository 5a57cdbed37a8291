using System.Globalization;
using System.Text.RegularExpressions;

namespace Arbor.Cli.Commands.Commit;

/// <summary>
/// Parses <c>--timestamp</c> like ostree (gnulib's parse_datetime) for the forms people use:
/// <c>@SECONDS</c>; ISO 8601 dates with an optional time (<c>T</c> or a space), fraction and zone
/// (<c>Z</c>, <c>UTC</c>, <c>GMT</c>, <c>±HH</c>, <c>±HHMM</c>, <c>±HH:MM</c>); month names
/// (<c>Jan 1 2021</c>, <c>1 January 2021 10:00</c>); <c>now</c>, <c>today</c>, <c>yesterday</c>,
/// <c>tomorrow</c>; and relative items (<c>2 days ago</c>, <c>+3 hours</c>). Without a zone the
/// local time zone applies (TZ), as in parse_datetime. Fractions of a second are dropped. An empty
/// string is today's midnight.
/// </summary>
public static partial class TimestampParser
{
    public static bool TryParse(string text, DateTimeOffset now, TimeZoneInfo local, out long seconds)
    {
        seconds = 0;
        var s = text.Trim();
        if (s.Length == 0)
        {
            // no item at all: parse_datetime's midnight of today, local time (`date -d ''`)
            var today = TimeZoneInfo.ConvertTime(now, local);
            return Build(today.Year, today.Month, today.Day, 0, 0, 0, null, local, out seconds);
        }
        if (s[0] == '@')
        {
            var n = s[1..];
            int dot = n.IndexOf('.');
            if (dot >= 0) n = n[..dot];
            return long.TryParse(n, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seconds);
        }
        var lower = s.ToLowerInvariant();
        var iso = IsoPattern().Match(lower);
        if (iso.Success) return FromParts(iso, local, out seconds);
        var named = MonthPattern().Match(lower);
        if (named.Success) return FromMonthName(named, local, out seconds);
        return TryRelative(lower, now, out seconds);
    }

    [GeneratedRegex(@"^(?<y>\d{4})-(?<mo>\d{1,2})-(?<d>\d{1,2})(?:(?:t|\s+)(?<h>\d{1,2}):(?<mi>\d{1,2})(?::(?<s>\d{1,2})(?:[.,]\d+)?)?)?\s*(?<z>z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?$")]
    private static partial Regex IsoPattern();

    [GeneratedRegex(@"^(?:(?<mon>[a-z]{3,9})\.?\s+(?<d>\d{1,2}),?|(?<d>\d{1,2})\s+(?<mon>[a-z]{3,9})\.?,?)\s+(?<y>\d{4})(?:\s+(?<h>\d{1,2}):(?<mi>\d{2})(?::(?<s>\d{2}))?)?\s*(?<z>z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?$")]
    private static partial Regex MonthPattern();

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static bool FromMonthName(Match m, TimeZoneInfo local, out long seconds)
    {
        seconds = 0;
        var name = m.Groups["mon"].Value;
        int month = Array.FindIndex(Months, x => name.StartsWith(x, StringComparison.Ordinal)) + 1;
        if (month == 0) return false;
        return Build(int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture), month, Int(m, "d"), Int(m, "h"), Int(m, "mi"), Int(m, "s"),
            m.Groups["z"].Success ? m.Groups["z"].Value : null, local, out seconds);
    }

    private static bool FromParts(Match m, TimeZoneInfo local, out long seconds) =>
        Build(Int(m, "y"), Int(m, "mo"), Int(m, "d"), Int(m, "h"), Int(m, "mi"), Int(m, "s"),
            m.Groups["z"].Success ? m.Groups["z"].Value : null, local, out seconds);

    private static int Int(Match m, string group) => m.Groups[group].Success ? int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    private static bool Build(int y, int mo, int d, int h, int mi, int s, string? zone, TimeZoneInfo local, out long seconds)
    {
        seconds = 0;
        if (mo is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, mo) || h > 23 || mi > 59 || s > 60) return false;
        var wall = new DateTime(y, mo, d, h, mi, Math.Min(s, 59), DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone is null) offset = local.GetUtcOffset(wall);
        else if (zone is "z" or "utc" or "gmt") offset = TimeSpan.Zero;
        else
        {
            int sign = zone[0] == '-' ? -1 : 1;
            var digits = zone[1..].Replace(":", "");
            int hh = int.Parse(digits[..2], CultureInfo.InvariantCulture);
            int mm = digits.Length > 2 ? int.Parse(digits[2..], CultureInfo.InvariantCulture) : 0;
            if (hh > 24 || mm > 59) return false;
            offset = TimeSpan.FromMinutes(sign * (hh * 60 + mm));
        }
        seconds = new DateTimeOffset(wall, offset).ToUnixTimeSeconds();
        return true;
    }

    private static bool TryRelative(string s, DateTimeOffset now, out long seconds)
    {
        seconds = 0;
        var t = now;
        var words = s.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return false;
        int i = 0;
        bool any = false;
        while (i < words.Length)
        {
            switch (words[i])
            {
                case "now" or "today": i++; any = true; continue;
                case "yesterday": t = t.AddDays(-1); i++; any = true; continue;
                case "tomorrow": t = t.AddDays(1); i++; any = true; continue;
            }
            long count = 1;
            if (long.TryParse(words[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                count = n;
                i++;
                if (i >= words.Length) return false;
            }
            else if (words[i] is "last") { count = -1; i++; if (i >= words.Length) return false; }
            else if (words[i] is "next") { count = 1; i++; if (i >= words.Length) return false; }
            var unit = words[i].TrimEnd('s');
            i++;
            if (i < words.Length && words[i] == "ago") { count = -count; i++; }
            t = unit switch
            {
                "sec" or "second" => t.AddSeconds(count),
                "min" or "minute" => t.AddMinutes(count),
                "hour" => t.AddHours(count),
                "day" => t.AddDays(count),
                "week" => t.AddDays(7 * count),
                "fortnight" => t.AddDays(14 * count),
                "month" => t.AddMonths((int)count),
                "year" => t.AddYears((int)count),
                _ => DateTimeOffset.MinValue,
            };
            if (t == DateTimeOffset.MinValue) return false;
            any = true;
        }
        seconds = t.ToUnixTimeSeconds();
        return any;
    }
}
