using System.Globalization;
using System.Text.RegularExpressions;

namespace Arbor.Cli.Common;

/// <summary>
/// The date forms ostree accepts through gnulib's parse_datetime (as <c>date -d</c>), in the subset
/// people pass to <c>prune --keep-younger-than</c>:
/// <list type="bullet">
/// <item><c>@SECONDS</c> since the epoch;</item>
/// <item><c>now</c>, <c>today</c>, <c>yesterday</c>, <c>tomorrow</c>;</item>
/// <item>relative terms <c>N unit</c> (second, minute, hour, day, week, fortnight, month, year,
/// singular or plural, <c>min</c>/<c>sec</c>), several in a row, optionally followed by <c>ago</c>;</item>
/// <item><c>YYYY-MM-DD</c> with an optional <c>HH:MM[:SS]</c> (space or <c>T</c>) and zone
/// (<c>Z</c>, <c>UTC</c>, <c>GMT</c>, <c>±HH[:MM]</c>); without a zone the local time zone applies.</item>
/// </list>
/// </summary>
public static partial class DateArgument
{
    public static bool TryParse(string text, DateTimeOffset now, TimeZoneInfo local, out DateTimeOffset result)
    {
        result = default;
        var s = text.Trim().ToLowerInvariant();
        if (s.Length == 0) return false;
        if (s[0] == '@')
        {
            if (!double.TryParse(s[1..], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var secs)) return false;
            result = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(secs * 1000));
            return true;
        }
        var localNow = TimeZoneInfo.ConvertTime(now, local);
        switch (s)
        {
            case "now": case "today": result = localNow; return true;
            case "yesterday": result = localNow.AddDays(-1); return true;
            case "tomorrow": result = localNow.AddDays(1); return true;
        }
        if (TryAbsolute(s, local, out result)) return true;
        return TryRelative(s, localNow, out result);
    }

    private static bool TryAbsolute(string s, TimeZoneInfo local, out DateTimeOffset result)
    {
        result = default;
        var m = AbsoluteRegex().Match(s);
        if (!m.Success) return false;
        int year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
        int month = int.Parse(m.Groups["mo"].Value, CultureInfo.InvariantCulture);
        int day = int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture);
        int hour = m.Groups["h"].Success ? int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture) : 0;
        int minute = m.Groups["mi"].Success ? int.Parse(m.Groups["mi"].Value, CultureInfo.InvariantCulture) : 0;
        int second = m.Groups["s"].Success ? int.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) return false;
        var wall = new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Unspecified);
        var zone = m.Groups["z"].Value;
        if (zone.Length == 0)
        {
            result = new DateTimeOffset(wall, local.GetUtcOffset(wall));
            return true;
        }
        if (zone is "z" or "utc" or "gmt")
        {
            result = new DateTimeOffset(wall, TimeSpan.Zero);
            return true;
        }
        var z = ZoneRegex().Match(zone);
        if (!z.Success) return false;
        int zh = int.Parse(z.Groups["h"].Value, CultureInfo.InvariantCulture);
        int zm = z.Groups["m"].Success ? int.Parse(z.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
        if (zh > 14 || zm > 59) return false;
        var offset = new TimeSpan(zh, zm, 0);
        result = new DateTimeOffset(wall, z.Groups["sign"].Value == "-" ? -offset : offset);
        return true;
    }

    private static bool TryRelative(string s, DateTimeOffset localNow, out DateTimeOffset result)
    {
        result = default;
        bool ago = false;
        if (s.EndsWith(" ago", StringComparison.Ordinal)) { ago = true; s = s[..^4].TrimEnd(); }
        var terms = RelativeRegex().Matches(s);
        if (terms.Count == 0 || string.Concat(terms.Select(t => t.Value)).Replace(" ", "") != s.Replace(" ", "")) return false;
        var t = localNow;
        foreach (Match term in terms)
        {
            long n = term.Groups["n"].Success ? long.Parse(term.Groups["n"].Value, CultureInfo.InvariantCulture) : 1;
            if (ago) n = -n;
            try
            {
                t = term.Groups["unit"].Value.TrimEnd('s') switch
                {
                    "sec" or "second" => t.AddSeconds(n),
                    "min" or "minute" => t.AddMinutes(n),
                    "hour" => t.AddHours(n),
                    "day" => t.AddDays(n),
                    "week" => t.AddDays(7 * n),
                    "fortnight" => t.AddDays(14 * n),
                    "month" => t.AddMonths(checked((int)n)),
                    "year" => t.AddYears(checked((int)n)),
                    _ => throw new FormatException(),
                };
            }
            catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException or FormatException)
            {
                return false;
            }
        }
        result = t;
        return true;
    }

    [GeneratedRegex(@"^(?<y>\d{4})-(?<mo>\d{1,2})-(?<d>\d{1,2})(?:[ t](?<h>\d{1,2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:\.\d+)?)?)?\s*(?<z>z|utc|gmt|[+-]\d{1,2}(?::?\d{2})?)?$")]
    private static partial Regex AbsoluteRegex();

    [GeneratedRegex(@"^(?<sign>[+-])(?<h>\d{1,2}):?(?<m>\d{2})?$")]
    private static partial Regex ZoneRegex();

    [GeneratedRegex(@"(?<n>[+-]?\d+)?\s*(?<unit>seconds?|secs?|minutes?|mins?|hours?|days?|weeks?|fortnights?|months?|years?)\b")]
    private static partial Regex RelativeRegex();
}
