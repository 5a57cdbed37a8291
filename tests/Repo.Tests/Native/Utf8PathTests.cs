using Arbor.Repo.Native;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Native;

/// <summary>File names that are not UTF-8 round-trip through strings (surrogateescape) and back to the same bytes.</summary>
public sealed class Utf8PathTests
{
    [Theory]
    [InlineData(new byte[] { (byte)'a', 0xff, (byte)'b' })]
    [InlineData(new byte[] { 0xe2, 0x82 })]                     // a truncated sequence
    [InlineData(new byte[] { 0xed, 0xb2, 0x80 })]               // the UTF-8 of U+DC80 itself is invalid
    [InlineData(new byte[] { 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80 })] // valid: é and an emoji
    public void DecodeThenEncodeGivesTheSameBytes(byte[] name)
    {
        var s = Utf8Path.Decode(name);
        Assert.Equal(name, Utf8Path.Bytes(s));
        Assert.Equal([.. name, 0], Utf8Path.Z(s));
    }

    [Fact]
    public void InvalidBytesBecomeLoneSurrogates() =>
        Assert.Equal("a\uDCFFb", Utf8Path.Decode([(byte)'a', 0xff, (byte)'b']));

    [Fact]
    public void DirEntriesNamesOpenAgain()
    {
        using var tmp = new TempDirectory("utf8path");
        ProcessRunner.RunOk("bash", "-c", "printf x > \"$1\"/bad$'\\xff'", "bash", tmp.Path);
        var entry = Assert.Single(DirEntries.Read(tmp.Path));
        Assert.Equal("bad\uDCFF", entry.Name);
        Assert.Equal(1, Files.LStat(Path.Join(tmp.Path, entry.Name)).Size);
    }
}
