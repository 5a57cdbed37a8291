using Arbor.Deploy.BootLoader;

namespace Arbor.Deploy.Tests.BootLoader;

public sealed class ConfigLinesTests
{
    [Theory]
    [InlineData(new string[0], "")]
    [InlineData(new[] { "a", "b" }, "a\nb\n")]
    [InlineData(new[] { "", "a" }, "a\n")]                       // an empty first line is dropped
    [InlineData(new[] { "a", "", "", "b" }, "a\n\nb\n")]          // runs of empty lines become one
    [InlineData(new[] { "a", "", "b", "", "c" }, "a\n\nb\nc\n")]  // ostree's flag is never reset: later empty lines go too
    [InlineData(new[] { "a", "multi\nline" }, "a\nmulti\nline\n")]
    public void JoinsAsOstree(string[] lines, string expected) => Assert.Equal(expected, ConfigLines.Join(lines));
}
