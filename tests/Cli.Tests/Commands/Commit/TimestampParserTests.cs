using Arbor.Cli.Commands.Commit;

namespace Arbor.Cli.Tests.Commands.Commit;

/// <summary><c>--timestamp</c> as gnulib's parse_datetime reads it.</summary>
public sealed class TimestampParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 5, 30, 5, TimeSpan.Zero);

    /// <summary>`ostree commit --timestamp=''` commits at midnight today (`date -d ''`), it does not fail.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void AnEmptyStringIsTodaysMidnight(string text)
    {
        Assert.True(TimestampParser.TryParse(text, Now, TimeZoneInfo.Utc, out var seconds));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), seconds);
    }

    [Fact]
    public void AnEmptyStringIsMidnightInTheLocalZone()
    {
        var plus2 = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");
        Assert.True(TimestampParser.TryParse("", new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero), plus2, out var seconds));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(2)).ToUnixTimeSeconds(), seconds);
    }
}
