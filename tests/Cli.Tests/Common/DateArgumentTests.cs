using Arbor.Cli.Common;

namespace Arbor.Cli.Tests.Common;

public sealed class DateArgumentTests
{
    private static readonly DateTimeOffset Now = new(2024, 3, 15, 12, 30, 0, TimeSpan.Zero);

    private static DateTimeOffset Parse(string text)
    {
        Assert.True(DateArgument.TryParse(text, Now, TimeZoneInfo.Utc, out var result), text);
        return result;
    }

    [Theory]
    [InlineData("2021-01-03", "2021-01-03T00:00:00+00:00")]
    [InlineData("2021-01-03 10:20", "2021-01-03T10:20:00+00:00")]
    [InlineData("2021-01-03T10:20:30Z", "2021-01-03T10:20:30+00:00")]
    [InlineData("2021-01-03 10:20:30 +0200", "2021-01-03T10:20:30+02:00")]
    [InlineData("2021-01-03T10:20:30-05:30", "2021-01-03T10:20:30-05:30")]
    [InlineData("@1609459200", "2021-01-01T00:00:00+00:00")]
    [InlineData("now", "2024-03-15T12:30:00+00:00")]
    [InlineData("", "2024-03-15T00:00:00+00:00")] // midnight today, as gnulib's parse_datetime (ostree prune --keep-younger-than='')
    [InlineData("yesterday", "2024-03-14T12:30:00+00:00")]
    [InlineData("1 week ago", "2024-03-08T12:30:00+00:00")]
    [InlineData("2 days ago", "2024-03-13T12:30:00+00:00")]
    [InlineData("3 months ago", "2023-12-15T12:30:00+00:00")]
    [InlineData("1 year 2 days ago", "2025-03-13T12:30:00+00:00")] // "ago" turns back only its own item (date -d)
    [InlineData("-1 hour", "2024-03-15T11:30:00+00:00")]
    [InlineData("10 minutes", "2024-03-15T12:40:00+00:00")]
    public void AcceptedForms(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Parse(text));

    [Fact]
    public void ADateWithoutAZoneIsLocal()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("test+3", TimeSpan.FromHours(3), "test", "test");
        Assert.True(DateArgument.TryParse("2021-01-03 00:00", Now, zone, out var result));
        Assert.Equal(new DateTimeOffset(2021, 1, 3, 0, 0, 0, TimeSpan.FromHours(3)), result);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("2021-13-01")]
    [InlineData("2021-02-30")]
    [InlineData("1 fortnights trees ago")]
    [InlineData("@x")]
    public void RejectedForms(string text) => Assert.False(DateArgument.TryParse(text, Now, TimeZoneInfo.Utc, out _));
}
