using Arbor.TestKit;

namespace Arbor.Boot.Tests;

public sealed class KernelCommandLineTests
{
    [Theory]
    [InlineData("plain.txt", "/ostree/boot.1/vectoros/8f2d1c9b7e6a5d4c3b2a19f8e7d6c5b4a3928170f6e5d4c3b2a1908f7e6d5c4b/0")]
    [InlineData("first.txt", "/ostree/boot.0/vectoros/8f2d/1")]
    [InlineData("last.txt", "/ostree/boot.1/vectoros/8f2d/0")]
    [InlineData("no-newline.txt", "/ostree/boot.1/vectoros/8f2d/0")]
    [InlineData("repeated.txt", "/ostree/boot.1/vectoros/aaaa/0")]
    [InlineData("xostree-first.txt", "/ostree/boot.0/vectoros/8f2d/1")]
    [InlineData("only-lookalikes.txt", null)]
    [InlineData("quoted-value.txt", "/ostree/boot.1/vectoros/8f2d/0")]
    [InlineData("quoted-argument.txt", "/ostree/boot.1/my os/8f2d/0")]
    [InlineData("quoted-lookalike.txt", "/ostree/boot.1/vectoros/8f2d/0")]
    [InlineData("tabs.txt", "/ostree/boot.1/vectoros/8f2d/0")]
    [InlineData("absent.txt", null)]
    [InlineData("bare-key.txt", null)]
    [InlineData("empty-first.txt", "")]
    [InlineData("after-dashes.txt", "/ostree/boot.1/vectoros/8f2d/0")]
    public void FindsTheFirstOstreeArgument(string fixture, string? expected)
    {
        var cmdline = Fixtures.Read("cmdline/" + fixture);
        Assert.Equal(expected, KernelCommandLine.Find(cmdline, "ostree"));
    }

    [Fact]
    public void EveryFixtureIsCovered()
    {
        var files = Directory.GetFiles(Fixtures.PathOf("cmdline"), "*.txt").Select(f => Path.GetFileName(f)).Order().ToList();
        var covered = typeof(KernelCommandLineTests).GetMethod(nameof(FindsTheFirstOstreeArgument))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.Data[0]!).Order().ToList();
        Assert.Equal(files, covered);
    }

    [Theory]
    [InlineData("absent.txt")]
    [InlineData("bare-key.txt")]
    [InlineData("only-lookalikes.txt")]
    [InlineData("empty-first.txt")]
    public void MissingTargetIsTheOstreeError(string fixture)
    {
        var e = Assert.Throws<BootException>(() => KernelCommandLine.GetOstreeTarget(Fixtures.Read("cmdline/" + fixture)));
        Assert.Equal("No OSTree target; expected ostree=/ostree/boot.N/...", e.Message);
    }

    [Fact]
    public void SplitsLikeTheKernel()
    {
        var args = KernelCommandLine.Split(" a b=c \"d=e f\" g=\"h i\" j\"k l\"=m =n o= \"p q\" \n");
        Assert.Equal(
        [
            new("a", null), new("b", "c"), new("d", "e f"), new("g", "h i"), new("j\"k l\"", "m"),
            new("=n", null), new("o", ""), new("p q", null),
        ], args);
    }

    [Fact]
    public void UnterminatedQuoteRunsToTheEnd()
    {
        var args = KernelCommandLine.Split("root=/dev/vda ostree=\"/ostree/boot.1/a b");
        Assert.Equal(new KernelCommandLine.Argument("ostree", "/ostree/boot.1/a b"), args[^1]);
    }

    [Fact]
    public void EmptyAndBlankLinesHaveNoArguments()
    {
        Assert.Empty(KernelCommandLine.Split(""));
        Assert.Empty(KernelCommandLine.Split(" \t\n"));
    }

    [Fact]
    public void ReadFailureNamesThePath()
    {
        var e = Assert.Throws<BootException>(() => KernelCommandLine.Read("/nonexistent/cmdline"));
        Assert.StartsWith("reading /nonexistent/cmdline: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
