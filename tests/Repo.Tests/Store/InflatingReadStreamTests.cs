using System.IO.Compression;
using Arbor.Repo.Core;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Store;

/// <summary>Raw-DEFLATE reading that notices truncation and damage, unlike DeflateStream.</summary>
public sealed class InflatingReadStreamTests : IDisposable
{
    private readonly TempDirectory _tmp = new("inflate");
    private readonly byte[] _data;
    private readonly byte[] _compressed;

    public InflatingReadStreamTests()
    {
        _data = new byte[500_000];
        new Random(3).NextBytes(_data.AsSpan(0, 200_000));
        var ms = new MemoryStream();
        using (var d = new DeflateStream(ms, CompressionLevel.Optimal, leaveOpen: true)) d.Write(_data);
        _compressed = ms.ToArray();
    }

    public void Dispose() => _tmp.Dispose();

    private string WriteFile(byte[] payload, int offset = 0)
    {
        var path = _tmp.Combine(Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, new byte[offset].Concat(payload).ToArray());
        return path;
    }

    private static byte[] ReadAll(Stream s)
    {
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    [Fact]
    public void AWholeStreamInflatesFromItsOffset()
    {
        using var s = InflatingReadStream.Open(WriteFile(_compressed, 13), 13);
        Assert.Equal(_data, ReadAll(s));
        Assert.Equal(_data.Length, s.TotalOut);
    }

    [Fact]
    public void BytesAfterTheFinalBlockAreIgnored()
    {
        using var s = InflatingReadStream.Open(WriteFile([.. _compressed, 1, 2, 3]), 0);
        Assert.Equal(_data, ReadAll(s));
    }

    [Fact]
    public void ATruncatedStreamNeedsMoreInput()
    {
        using var s = InflatingReadStream.Open(WriteFile(_compressed[..(_compressed.Length - 1)]), 0);
        Assert.Equal("Need more input", Assert.Throws<CorruptObjectException>(() => ReadAll(s)).Message);
    }

    [Fact]
    public void AnEmptyPayloadNeedsMoreInput()
    {
        using var s = InflatingReadStream.Open(WriteFile([]), 0);
        Assert.Equal("Need more input", Assert.Throws<CorruptObjectException>(() => ReadAll(s)).Message);
    }

    [Fact]
    public void GarbageIsInvalidCompressedData()
    {
        var bad = (byte[])_compressed.Clone();
        bad[0] = 0xFF; // block type 3 does not exist
        using var s = InflatingReadStream.Open(WriteFile(bad), 0);
        Assert.Equal("Invalid compressed data", Assert.Throws<CorruptObjectException>(() => ReadAll(s)).Message);
    }
}
