using System.Diagnostics;
using Arbor.Repo.Native;

namespace Arbor.Repo.Tests.Native;

/// <summary>liblzma decoding against data made by the xz tool (what ostree's delta parts hold), and encoding read back by both the xz tool and the decoder.</summary>
public sealed class LzmaTests
{
    /// <summary>Runs the xz tool over <paramref name="data"/> (stdin to stdout) and returns its output.</summary>
    private static byte[] RunXz(string arguments, byte[] data)
    {
        var psi = new ProcessStartInfo("xz", arguments) { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var copy = Task.Run(() => { p.StandardInput.BaseStream.Write(data); p.StandardInput.Close(); });
        using var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        copy.Wait();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return ms.ToArray();
    }

    private static byte[] Xz(byte[] data) => RunXz("-z -c -6", data);

    private static byte[] Sample(int size)
    {
        var data = new byte[size];
        var rng = new Random(42);
        for (int i = 0; i < size; i++) data[i] = (byte)(i % 251 < 200 ? i % 7 : rng.Next(256));
        return data;
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1000, 1000)]        // exact hint
    [InlineData(300_000, 10)]       // hint far too small: the buffer grows
    [InlineData(5000, 1 << 30)]     // hint far too large: capped, trimmed to the real size
    public void DecodesWhatXzWrote(int size, long hint)
    {
        var data = Sample(size);
        Assert.Equal(data, Lzma.DecompressXz(Xz(data), hint));
    }

    [Fact]
    public void RejectsTruncatedCorruptAndTrailingData()
    {
        var xz = Xz(Sample(100_000));
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Lzma.DecompressXz(xz.AsSpan(0, xz.Length - 10), 0)).Message);
        var corrupt = (byte[])xz.Clone();
        corrupt[corrupt.Length / 2] ^= 0xFF;
        Assert.Throws<InvalidDataException>(() => Lzma.DecompressXz(corrupt, 100_000));
        Assert.Contains("not in the xz format", Assert.Throws<InvalidDataException>(() => Lzma.DecompressXz("hello, this is not xz data"u8, 5)).Message);
        Assert.Contains("trailing", Assert.Throws<InvalidDataException>(() => Lzma.DecompressXz([.. xz, 1, 2, 3], 100_000)).Message);
    }

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
        Lzma.CompressXz([input.AsMemory(0, length / 3), input.AsMemory(length / 3)], preset, compressed);
        var bytes = compressed.ToArray();
        Assert.Equal([0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00], bytes[..6]);
        Assert.Equal(input, Lzma.DecompressXz(bytes, length));
        Assert.Equal(input, Unxz(bytes));
    }

    [Fact]
    public void EmptyChunksBetweenOthersAreSkipped()
    {
        // liblzma answers a second call that makes no progress with LZMA_BUF_ERROR (a delta part with empty blobs)
        byte[] a = [1, 2, 3], b = [4, 5];
        using var compressed = new MemoryStream();
        Lzma.CompressXz([a, Array.Empty<byte>(), Array.Empty<byte>(), Array.Empty<byte>(), b], 8, compressed);
        Assert.Equal([1, 2, 3, 4, 5], Lzma.DecompressXz(compressed.ToArray(), 5));
    }

    private static byte[] Unxz(byte[] data) => RunXz("-d -c", data);

    [Fact]
    public void PresetOutOfRangeIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Lzma.CompressXz([new byte[] { 1, 2, 3 }], 10, Stream.Null));
}
