using Arbor.Repo.Core;

namespace Arbor.Repo.Tests.Core;

/// <summary>g_format_size as ostree prints it after prune.</summary>
public sealed class SizeFormatTests
{
    [Theory]
    [InlineData(0UL, "0 bytes")]
    [InlineData(1UL, "1 byte")]
    [InlineData(907UL, "907 bytes")]
    [InlineData(999UL, "999 bytes")]
    [InlineData(1000UL, "1.0\u00A0kB")]
    [InlineData(1250UL, "1.2\u00A0kB")] // exact tie: rounds to even, as printf does
    [InlineData(1350UL, "1.4\u00A0kB")]
    [InlineData(73_300UL, "73.3\u00A0kB")]
    [InlineData(999_999UL, "1000.0\u00A0kB")]
    [InlineData(1_000_000UL, "1.0\u00A0MB")]
    [InlineData(5_368_709_120UL, "5.4\u00A0GB")]
    [InlineData(ulong.MaxValue, "18.4\u00A0EB")]
    public void SizesMatchGLib(ulong size, string expected) => Assert.Equal(expected, SizeFormat.Format(size));
}
