using Arbor.Repo.Signing;

namespace Arbor.Repo.Tests.Signing;

/// <summary><c>gpgkeypath</c> split as ostree splits it (test-remote-gpg-import.sh).</summary>
public sealed class GpgKeyringsTests
{
    [Theory]
    [InlineData("/a.asc", new[] { "/a.asc" })]
    [InlineData("/a.asc,/b.asc", new[] { "/a.asc", "/b.asc" })]
    [InlineData("/a.asc;/b.asc;/c.asc", new[] { "/a.asc", "/b.asc", "/c.asc" })]
    [InlineData("/a.asc,", new[] { "/a.asc" })]
    [InlineData(",/a.asc", new[] { "", "/a.asc" })]
    public void KeyPathsSplitOnOneSeparator(string value, string[] expected) =>
        Assert.Equal(expected, GpgKeyrings.KeyPaths(value));

    [Fact]
    public void BothSeparatorsAreAnError() =>
        Assert.Equal("key value list contains more than one separator",
            Assert.Throws<SigningException>(() => GpgKeyrings.KeyPaths("/a.asc,/b.asc;/c.asc")).Message);

    [Fact]
    public void AnEmptyPathFailsAsOstreeFailsIt() =>
        Assert.Equal("opendir(): No such file or directory", Assert.Throws<SigningException>(() => new GpgVerifier().AddPath("")).Message);
}
