using Arbor.Repo.Core;

namespace Arbor.Repo.Tests.Core;

/// <summary>GLib's <c>%c</c> in the C locale, as ostree's GPG and key listings print it.</summary>
public sealed class CLocaleTimeTests
{
    [Theory]
    [InlineData(1609556645L, true, "Sat Jan \u20072 03:04:05 2021")]
    [InlineData(1609556645L, false, "Sat Jan ?2 03:04:05 2021")]
    [InlineData(1795952653L, false, "Sun Nov 29 11:44:13 2026")]
    public void FormatsAsGLib(long unix, bool utf8, string expected) =>
        Assert.Equal(expected, CLocaleTime.FormatLocal(unix, TimeZoneInfo.Utc, utf8));

    [Fact]
    public void ConvertsToTheZone() =>
        Assert.Equal("Sat Jan \u20072 08:34:05 2021", CLocaleTime.FormatLocal(1609556645L, TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata"), true));
}
