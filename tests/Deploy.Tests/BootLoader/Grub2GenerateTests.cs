using Arbor.Deploy.BootLoader;

namespace Arbor.Deploy.Tests.BootLoader;

public sealed class Grub2GenerateTests
{
    [Theory]
    [InlineData("0", 0u)]
    [InlineData("1", 1u)]
    [InlineData("2", 2u)]
    [InlineData("", 0u)]
    [InlineData("abc", 0u)]
    [InlineData("1x", 1u)]
    [InlineData(" \t1", 1u)]
    [InlineData("+1", 1u)]
    [InlineData("-1", uint.MaxValue)]
    [InlineData("-4294967295", 1u)]
    [InlineData("4294967296", 0u)]
    [InlineData("4294967297", 1u)]
    [InlineData("18446744073709551615", uint.MaxValue)]
    [InlineData("18446744073709551616", uint.MaxValue)]
    [InlineData("-99999999999999999999", uint.MaxValue)]
    public void BootVersionIsReadAsStrtoull(string text, uint expected) => Assert.Equal(expected, Grub2Generate.ParseBootVersion(text));
}
