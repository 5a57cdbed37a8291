using Arbor.Repo.Config;
using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Repo.Tests.Store;

/// <summary>core.min-free-space-*: the values and errors observed with ostree 2022.7 on the same config lines.</summary>
public sealed class MinFreeSpaceTests
{
    private static MinFreeSpace Parse(params string[] lines) =>
        MinFreeSpace.FromConfig(KeyFile.Parse("[core]\nrepo_version=1\n" + string.Concat(lines.Select(l => l + "\n"))));

    [Fact]
    public void DefaultIsThreePercent() => Assert.Equal(new MinFreeSpace(3, 0), Parse());

    [Theory]
    [InlineData("0", 0u)]
    [InlineData("99", 99u)]
    [InlineData("abc", 0u)]          // g_ascii_strtoull stops at the first non-digit
    [InlineData("3%", 3u)]
    [InlineData(" 5", 5u)]           // leading blanks: trimmed by the key file
    [InlineData("\t+7", 7u)]
    [InlineData("", 0u)]
    [InlineData("4294967296", 0u)]   // stored in a 32-bit unsigned
    [InlineData("4294967299", 3u)]
    [InlineData("-4294967295", 1u)]  // a minus negates modulo 2^64
    public void PercentIsReadAsOstreeReadsIt(string value, uint expected) =>
        Assert.Equal(new MinFreeSpace(expected, 0), Parse("min-free-space-percent=" + value));

    [Theory]
    [InlineData("100")]
    [InlineData("-1")]
    [InlineData("18446744073709551616")] // saturates
    public void PercentOver99IsRefused(string value)
    {
        var e = Assert.Throws<RepoException>(() => Parse("min-free-space-percent=" + value));
        Assert.Equal($"Invalid min-free-space-percent '{value}'", e.Message);
    }

    [Theory]
    [InlineData("500MB", 500UL)]
    [InlineData("1GB", 1024UL)]
    [InlineData("2TB", 2UL << 20)]
    [InlineData("05MB", 5UL)]
    [InlineData(" 5MB", 5UL)]
    [InlineData("0MB", 0UL)]                          // and no default percent either: the check is off
    [InlineData("17592186044416MB", 17592186044416UL)] // over the maximum: refused only by a transaction
    [InlineData("9999999999999999999999MB", ulong.MaxValue)]
    [InlineData("17179869184GB", 17592186044416UL)]
    [InlineData("18014398509481983GB", 18014398509481983UL << 10)]
    public void SizeIsReadInMegabytes(string value, ulong mb) =>
        Assert.Equal(new MinFreeSpace(0, mb), Parse("min-free-space-size=" + value));

    private const string Format = "It should be of the format '123MB', '123GB' or '123TB'";

    [Theory]
    [InlineData("1mb", Format)]
    [InlineData("1KB", Format)]
    [InlineData("5MB ", Format)]
    [InlineData("", Format)]
    [InlineData("MB", Format)]
    [InlineData("+5MB", Format)]
    [InlineData("5M", Format)]
    [InlineData("5MBB", Format)]
    [InlineData("18014398509481984GB", "Value was too high")]
    [InlineData("17592186044416TB", "Value was too high")]
    public void AnInvalidSizeIsRefused(string value, string reason)
    {
        var e = Assert.Throws<RepoException>(() => Parse("min-free-space-size=" + value));
        Assert.Equal($"Invalid min-free-space-size '{value}': {reason}", e.Message);
    }

    [Fact]
    public void SizeWinsOverPercent()
    {
        Assert.Equal(new MinFreeSpace(0, 1), Parse("min-free-space-percent=5", "min-free-space-size=1MB"));
        // a zero size leaves the percent in force
        Assert.Equal(new MinFreeSpace(5, 0), Parse("min-free-space-percent=5", "min-free-space-size=0MB"));
        Assert.False(Parse("min-free-space-percent=0").Enabled);
        Assert.False(Parse("min-free-space-size=0MB").Enabled);
    }

    [Fact]
    public void ReservedBytesArePercentOfTheFilesystemOrTheSize()
    {
        Assert.Equal(251658UL, new MinFreeSpace(3, 0).ReservedBytes(4096, 2048)); // 3% of 8 MiB, truncated
        Assert.Equal(0UL, new MinFreeSpace(0, 0).ReservedBytes(4096, 2048));
        Assert.Equal(5UL << 20, new MinFreeSpace(0, 5).ReservedBytes(4096, 2048));
        Assert.Equal(MinFreeSpace.MaxSizeMb << 20, new MinFreeSpace(0, MinFreeSpace.MaxSizeMb).ReservedBytes(4096, 1));
        var e = Assert.Throws<RepoException>(() => new MinFreeSpace(0, MinFreeSpace.MaxSizeMb + 1).ReservedBytes(4096, 1));
        Assert.Equal("Error calculating min-free-space bytes: min-free-space value is greater than the maximum allowed value of 17592186044415 bytes", e.Message);
        e = Assert.Throws<RepoException>(() => new MinFreeSpace(3, 0).ReservedBytes(ulong.MaxValue, 2));
        Assert.Equal($"Error calculating min-free-space bytes: Filesystem's size is greater than the maximum allowed value of {ulong.MaxValue / 2} bytes", e.Message);
    }

    [Fact]
    public void ExceededMessageNamesTheSettingAndTheBytes()
    {
        Assert.Equal("min-free-space-percent '3%' would be exceeded, at least 3.9\u00A0MB requested", new MinFreeSpace(3, 0).ExceededMessage(3903488));
        Assert.Equal("min-free-space-size 1024MB would be exceeded, at least 4.1\u00A0kB requested", new MinFreeSpace(0, 1024).ExceededMessage(4096));
        Assert.Equal("min-free-space-size 1MB would be exceeded", new MinFreeSpace(0, 1).ExceededMessage(0));
    }
}
