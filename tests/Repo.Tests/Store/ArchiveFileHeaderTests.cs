using Arbor.Repo.Core;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Store;

/// <summary>A damaged <c>.filez</c> read by ls, cat or checkout: ostree_content_stream_parse's words.</summary>
public sealed class ArchiveFileHeaderTests : IDisposable
{
    private readonly TempDirectory _tmp = new("archive-header");
    private readonly string _archive;

    public ArchiveFileHeaderTests() => (_archive, _) = VectorRepos.Extract(_tmp.Path);

    public void Dispose() => _tmp.Dispose();

    private (string Path, Checksum Checksum) AFileObject()
    {
        var path = Directory.EnumerateFiles(Path.Combine(_archive, "objects"), "*.filez", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var hex = Path.GetFileName(Path.GetDirectoryName(path)!) + Path.GetFileNameWithoutExtension(path);
        return (path, Checksum.Parse(hex));
    }

    /// <summary>`ostree ls -R` over a .filez cut to 10 bytes: "File header size 35 exceeds size 10".</summary>
    [Theory]
    [InlineData(10)]
    [InlineData(3)]
    public void ATruncatedObjectsHeaderExceedsItsSize(int keep)
    {
        var (path, checksum) = AFileObject();
        var bytes = File.ReadAllBytes(path);
        uint size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
        File.WriteAllBytes(path, bytes[..keep]);
        // ostree's 4-byte read of a 3-byte file keeps the bytes it got: here the size's high bytes, all zero
        uint seen = keep >= 4 ? size : System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian([.. bytes[..keep], .. new byte[4 - keep]]);
        var e = Assert.Throws<CorruptObjectException>(() => Repository.Open(_archive).LoadContent(checksum));
        Assert.Equal(seen == 0 ? "File header size is zero" : $"File header size {seen} exceeds size {keep}", e.Message);
    }

    [Fact]
    public void AnEmptyObjectsHeaderSizeIsZero()
    {
        var (path, checksum) = AFileObject();
        File.WriteAllBytes(path, []);
        var e = Assert.Throws<CorruptObjectException>(() => Repository.Open(_archive).LoadContent(checksum));
        Assert.Equal("File header size is zero", e.Message);
    }
}
