using System.Text;
using Arbor.Repo.Export;

namespace Arbor.Repo.Tests.Export;

/// <summary>The GNU header fields, checked against the bytes libarchive writes (ostree export of the vectors).</summary>
public sealed class GnuTarHeaderTests
{
    private static byte[] Header(string name, string link, GnuTarHeader.Entry e)
    {
        var block = new byte[512];
        GnuTarHeader.Write(block, Encoding.UTF8.GetBytes(name), Encoding.UTF8.GetBytes(link), e);
        return block;
    }

    [Fact]
    public void TheRootDirectoryHeaderMatchesOstreeExportByteForByte()
    {
        var block = Header("./", "", new(GnuTarHeader.Directory, 0x41ED, 0, 0, 0, 1609545600));
        var expected = new byte[512];
        "./"u8.CopyTo(expected);
        "0000755\00000000\00000000\000000000000\013773733600\0006112\0 5"u8.CopyTo(expected.AsSpan(100));
        "ustar  \0"u8.CopyTo(expected.AsSpan(257));
        Assert.Equal(expected, block);
    }

    [Fact]
    public void LargeIdsUseBase256()
    {
        var block = Header("f", "", new(GnuTarHeader.Regular, 0x81A4, 3_000_000, 5, 0, 0));
        Assert.Equal(new byte[] { 0x80, 0, 0, 0, 0, 0x2D, 0xC6, 0xC0 }, block[108..116]);
        Assert.Equal("0000005\0"u8.ToArray(), block[116..124]);
    }

    [Fact]
    public void SizesBeyondElevenOctalDigitsUseBase256()
    {
        var block = Header("f", "", new(GnuTarHeader.Regular, 0x81A4, 0, 0, 1L << 33, 0));
        Assert.Equal(new byte[] { 0x80, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0 }, block[124..136]);
    }

    [Fact]
    public void NamesAndTargetsAreCutAtOneHundredBytes()
    {
        var block = Header(new string('n', 150), new string('t', 150), new(GnuTarHeader.Symlink, 0xA1FF, 0, 0, 0, 0));
        Assert.Equal(Encoding.ASCII.GetBytes(new string('n', 100)), block[..100]);
        Assert.Equal(Encoding.ASCII.GetBytes(new string('t', 100)), block[157..257]);
    }

    [Fact]
    public void TheChecksumCoversTheHeaderWithSpacesInItsField()
    {
        var block = Header("x", "", new(GnuTarHeader.Regular, 0x81A4, 0, 0, 6, 1609459200));
        var copy = (byte[])block.Clone();
        copy.AsSpan(148, 8).Fill((byte)' ');
        int sum = copy.Sum(b => b);
        Assert.Equal(Convert.ToString(sum, 8).PadLeft(6, '0'), Encoding.ASCII.GetString(block, 148, 6));
        Assert.Equal(new byte[] { 0, (byte)' ' }, block[154..156]);
    }
}
