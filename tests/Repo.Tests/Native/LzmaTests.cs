using Arbor.Repo.Native;

namespace Arbor.Repo.Tests.Native;

/// <summary>What liblzma writes is a complete xz stream that SharpCompress (the reader static delta parts go through) decodes back.</summary>
public sealed class LzmaTests
{
    [Theory]
    [InlineData(0, 6)]
    [InlineData(1, 8)]
    [InlineData(200_000, 8)]
    [InlineData(70_000, 0)]
    public void CompressedStreamDecodesToTheInput(int length, uint preset)
    {
        var input = new byte[length];
        new Random(length).NextBytes(input.AsSpan(0, length / 2)); // half random, half zeros
        using var compressed = new MemoryStream();
        Lzma.CompressXz(input, preset, compressed);
        var bytes = compressed.ToArray();
        Assert.Equal([0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00], bytes[..6]);
        using var xz = new SharpCompress.Compressors.Xz.XZStream(new MemoryStream(bytes));
        using var output = new MemoryStream();
        xz.CopyTo(output);
        Assert.Equal(input, output.ToArray());
    }

    [Fact]
    public void PresetOutOfRangeIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Lzma.CompressXz([1, 2, 3], 10, Stream.Null));
}
