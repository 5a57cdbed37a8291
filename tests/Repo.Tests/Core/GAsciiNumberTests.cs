using Arbor.Repo.Core;

namespace Arbor.Repo.Tests.Core;

/// <summary>GLib's g_ascii_strtoull / g_ascii_strtoll readings (glibc's strtoull/strtoll behave the same).</summary>
public sealed class GAsciiNumberTests
{
    [Theory]
    [InlineData("42", 42UL)]
    [InlineData("  \t7x", 7UL)]
    [InlineData("+3", 3UL)]
    [InlineData("abc", 0UL)]
    [InlineData("", 0UL)]
    [InlineData("-", 0UL)]
    [InlineData("-1", ulong.MaxValue)]
    [InlineData("-2", ulong.MaxValue - 1)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    [InlineData("18446744073709551616", ulong.MaxValue)]
    [InlineData("-18446744073709551616", ulong.MaxValue)]
    public void Unsigned(string text, ulong expected) => Assert.Equal(expected, GAsciiNumber.ToUInt64(text));

    [Theory]
    [InlineData("30", 30L)]
    [InlineData("-1", -1L)]
    [InlineData(" 12s", 12L)]
    [InlineData("x", 0L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("9223372036854775808", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("-9223372036854775809", long.MinValue)]
    [InlineData("99999999999999999999999", long.MaxValue)]
    public void Signed(string text, long expected) => Assert.Equal(expected, GAsciiNumber.ToInt64(text));
}
