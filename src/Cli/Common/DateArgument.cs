namespace Arbor.Cli.Common;

/// <summary>
/// A date argument (<c>prune --keep-younger-than</c>) read as ostree reads it, through gnulib's
/// parse_datetime: the forms <see cref="Commands.Commit.TimestampParser"/> reads for
/// <c>commit --timestamp</c>.
/// </summary>
public static class DateArgument
{
    public static bool TryParse(string text, DateTimeOffset now, TimeZoneInfo local, out DateTimeOffset result)
    {
        result = default;
        if (!Commands.Commit.TimestampParser.TryParse(text, now, local, out var seconds)) return false;
        result = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
