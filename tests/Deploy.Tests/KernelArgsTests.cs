namespace Arbor.Deploy.Tests;

public sealed class KernelArgsTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("root=/dev/sda quiet", "root=/dev/sda quiet")]
    [InlineData("a  b", "a  b")]                 // an empty argument survives (g_strsplit keeps it)
    [InlineData("a ", "a ")]
    [InlineData("key= x=1=2", "key= x=1=2")]     // key= has an empty value; the value keeps later '='
    [InlineData("\"quoted arg\" x", "\"quoted arg\" x")] // no quote handling: split on every space
    public void ParseAndFormatRoundTrip(string options, string expected) =>
        Assert.Equal(expected, KernelArgs.Parse(options).ToString());

    [Theory]
    [InlineData("a\nb")]
    [InlineData("init=/bin/sh\r\nx")]
    public void ALineBreakInAnArgumentIsRefused(string arg)
    {
        var k = KernelArgs.Parse("root=/dev/sda");
        var e = Assert.Throws<DeployException>(() => k.Append(arg));
        Assert.Equal($"Invalid kernel argument '{arg.ReplaceLineEndings("\\n")}': it contains a line break", e.Message);
        Assert.Throws<DeployException>(() => k.Replace(arg));
        Assert.Throws<DeployException>(() => k.AppendIfMissing(arg));
        Assert.Equal("root=/dev/sda", k.ToString());
    }

    [Fact]
    public void NullOptionsAreEmpty() => Assert.Equal(0, KernelArgs.Parse(null).Count);

    [Fact]
    public void KeyIsTextBeforeFirstEquals()
    {
        var k = KernelArgs.Parse("console=ttyS0,115200 quiet x==y");
        Assert.Equal(new KernelArgs.Entry("console", "ttyS0,115200"), k.Entries[0]);
        Assert.Equal(new KernelArgs.Entry("quiet", null), k.Entries[1]);
        Assert.Equal(new KernelArgs.Entry("x", "=y"), k.Entries[2]);
    }

    [Theory]
    [InlineData("a=1 b=2 a=3 c", "a=9", "a=9 b=2 c")]           // all a= go, the new one takes the first's place
    [InlineData("b=2", "a=1", "b=2 a=1")]                        // new keys are appended
    [InlineData("quiet b=2", "quiet", "quiet b=2")]
    [InlineData("ostree=/x init=/y", "ostree=/z", "ostree=/z init=/y")]
    [InlineData("a=1", "a", "a")]                                // bare key replaces key=value
    public void Replace(string options, string arg, string expected)
    {
        var k = KernelArgs.Parse(options);
        k.Replace(arg);
        Assert.Equal(expected, k.ToString());
    }

    [Fact]
    public void AppendKeepsRepeats()
    {
        var k = KernelArgs.Parse("console=tty0");
        k.Append("console=ttyS0");
        Assert.Equal("console=tty0 console=ttyS0", k.ToString());
        Assert.Equal("ttyS0", k.GetLastValue("console"));
    }

    [Theory]
    [InlineData("a=1 b=2", "a", "b=2")]                 // single value: by key
    [InlineData("a=1 b=2", "a=1", "b=2")]
    [InlineData("a=1 a=2 b", "a=2", "a=1 b")]           // several: the exact one
    [InlineData("a a=1", "a", "a=1")]                   // several: bare 'a' matches the bare one
    public void Delete(string options, string arg, string expected)
    {
        var k = KernelArgs.Parse(options);
        k.Delete(arg);
        Assert.Equal(expected, k.ToString());
    }

    [Theory]
    [InlineData("b=2", "a", "No key 'a' found")]
    [InlineData("a=1", "a=2", "No karg 'a=2' found")]
    [InlineData("a=1 a=2", "a", "Multiple values for key 'a' found")]
    [InlineData("a=1 a=2", "a=3", "No karg 'a=3' found")]
    public void DeleteErrorsAsOstree(string options, string arg, string message)
    {
        var e = Assert.Throws<DeployException>(() => KernelArgs.Parse(options).Delete(arg));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void AppendIfMissingLooksAtTheKeyOnly()
    {
        var k = KernelArgs.Parse("console=tty0");
        k.AppendIfMissing("console=ttyS0");
        k.AppendIfMissing("quiet");
        Assert.Equal("console=tty0 quiet", k.ToString());
    }
}
