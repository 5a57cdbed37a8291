using Arbor.Deploy.BootLoader;
using Arbor.TestKit;

namespace Arbor.Deploy.Tests.BootLoader;

public sealed class OsReleaseTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("\"Vector OS\"", "Vector OS")]
    [InlineData("'single $quoted'", "single $quoted")]
    [InlineData("\"a \\\"b\\\" \\$c \\x\"", "a \"b\" $c \\x")]
    [InlineData("back\\ slash", "back slash")]
    [InlineData("mixed\"dq\"'sq'", "mixeddqsq")]
    public void ShellUnquote(string raw, string expected) => Assert.Equal(expected, OsRelease.ShellUnquote(raw));

    [Theory]
    [InlineData("\"unterminated")]
    [InlineData("'unterminated")]
    public void UnterminatedQuotesFail(string raw) => Assert.Null(OsRelease.ShellUnquote(raw));

    [Fact]
    public void ParseSkipsCommentsAndBadLines()
    {
        var v = OsRelease.Parse("# c\nNAME=\"Vector OS\"\nBAD=\"x\nID=vectoros\nnoequals\nID=later\n");
        Assert.Equal("Vector OS", v["NAME"]);
        Assert.Equal("later", v["ID"]);
        Assert.False(v.ContainsKey("BAD"));
    }

    [Fact]
    public void TitleAsOstreeBuildsIt()
    {
        using var tmp = new TempDirectory("title");
        Directory.CreateDirectory(tmp.Combine("usr/lib"));
        File.WriteAllText(tmp.Combine("usr/lib/os-release"), "PRETTY_NAME=\"Vector OS\"\nID=vectoros\n");
        Assert.Equal("Vector OS 2 (ostree:0)", BootLoaderEntries.Title(tmp.Path, "2", "vectoros", 0, false));
        Assert.Equal("Vector OS (ostree:vectoros:1)", BootLoaderEntries.Title(tmp.Path, null, "vectoros", 1, true));
        // a version already in the name is not repeated
        File.WriteAllText(tmp.Combine("usr/lib/os-release"), "PRETTY_NAME=\"Vector OS 2\"\n");
        Assert.Equal("Vector OS 2 (ostree:0)", BootLoaderEntries.Title(tmp.Path, "2", "vectoros", 0, false));
        File.WriteAllText(tmp.Combine("usr/lib/os-release"), "NAME=x\n");
        Assert.Equal("No PRETTY_NAME or ID in /etc/os-release", Assert.Throws<DeployException>(() => BootLoaderEntries.Title(tmp.Path, null, "o", 0, false)).Message);
    }

    [Fact]
    public void OsReleaseSymlinksResolveInsideTheDeployment()
    {
        using var tmp = new TempDirectory("title");
        Directory.CreateDirectory(tmp.Combine("usr/lib"));
        Directory.CreateDirectory(tmp.Combine("etc"));
        File.WriteAllText(tmp.Combine("etc/os-release.real"), "ID=inside\n");
        // absolute target: resolved against the deployment, never the host's /etc
        File.CreateSymbolicLink(tmp.Combine("usr/lib/os-release"), "/etc/os-release.real");
        Assert.Equal("inside (ostree:0)", BootLoaderEntries.Title(tmp.Path, null, "o", 0, false));
    }
}
