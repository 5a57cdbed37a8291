using System.Buffers.Binary;
using System.IO.Compression;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.GVariant;

/// <summary>Objects the real ostree wrote (shared/vectors/dumps) decode, re-encode byte for byte and print as GLib does.</summary>
public sealed class GVariantVectorTests
{
    public static TheoryData<string> VariantDumps() => new(VectorDumps.Variants.Select(v => v.Name));
    public static TheoryData<string> FilezDumps() => new(VectorDumps.Filez);

    [Theory]
    [MemberData(nameof(VariantDumps))]
    public void DumpReencodesByteForByte(string name)
    {
        var bytes = VectorDumps.Load(name);
        var type = VectorDumps.TypeOf(name);
        var value = GVariantValue.Deserialize(bytes, type);
        Assert.Equal(bytes, value.Serialize());
        Assert.True(GVariantNormalForm.IsNormal(bytes, type));
        // byteswapping twice is the identity, and a swapped value is still normal when serialized
        var swapped = GVariantByteswap.Byteswap(value);
        Assert.Equal(bytes, GVariantByteswap.Byteswap(swapped).Serialize());
        Assert.True(GVariantNormalForm.IsNormal(swapped.Serialize(), type));
    }

    [Theory]
    [InlineData("commit-1.commit", "commit.1")]
    [InlineData("commit-2.commit", "commit.2")]
    [InlineData("commit-1.root.dirtree", "commit.1.root-dirtree")]
    [InlineData("commit-1.root.dirmeta", "commit.1.root-dirmeta")]
    public void MetadataObjectsHashToTheirNames(string dump, string key)
    {
        Assert.Equal(Vectors.Value(key), Checksum.Compute(VectorDumps.Load(dump)).ToString());
    }

    [Fact]
    public void ObjectModelsReencodeTheDumps()
    {
        foreach (var dump in new[] { "commit-1.commit", "commit-2.commit" })
        {
            var bytes = VectorDumps.Load(dump);
            Assert.Equal(bytes, CommitObject.Parse(bytes).Serialize());
        }
        var tree = VectorDumps.Load("commit-1.root.dirtree");
        var parsed = DirTreeObject.Parse(tree);
        Assert.Equal(["UPPER.txt", "big.bin", "empty", "hello.txt", "link", "small.bin", "xattr.txt", "ümlaut.txt"], parsed.Files.Select(f => f.Name));
        Assert.Equal(["bin", "emptydir", "private", "sub"], parsed.Dirs.Select(d => d.Name));
        Assert.Equal(tree, parsed.Serialize());
        foreach (var dump in new[] { "commit-1.root.dirmeta", "commit-1.sub.dirmeta" })
        {
            var bytes = VectorDumps.Load(dump);
            Assert.Equal(bytes, DirMetaObject.Parse(bytes).Serialize());
        }
        var meta = VectorDumps.Load("commit-1.commitmeta");
        Assert.Equal(29, meta.Length);
        Assert.Equal(meta, VariantDictionary.Parse(meta).Serialize());
        Assert.Equal(Vectors.Value("commitmeta.1.sha256-of-file"), Checksum.Compute(meta).ToString());
    }

    [Theory]
    [MemberData(nameof(FilezDumps))]
    public void FilezHeaderReencodesAndContentHashesToTheObjectName(string name)
    {
        var bytes = VectorDumps.Load(name);
        uint headerLength = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4)));
        var header = bytes.AsSpan(8, (int)headerLength);
        Assert.True(GVariantNormalForm.IsNormal(header, ObjectFormats.ArchiveFileHeader));
        var (h, size) = FileHeader.ParseArchiveHeader(header);
        Assert.Equal(header.ToArray(), h.SerializeArchiveHeader(size));

        using var inflate = new DeflateStream(new MemoryStream(bytes, 8 + (int)headerLength, bytes.Length - 8 - (int)headerLength), CompressionMode.Decompress);
        var content = new MemoryStream();
        inflate.CopyTo(content);
        Assert.Equal((long)size, h.IsRegular ? content.Length : 0);
        var expected = name switch
        {
            "hello.txt.filez" => Vectors.Value("path.1./hello.txt").Split("file=")[1],
            "xattr.txt.filez" => Vectors.Value("path.1./xattr.txt").Split("file=")[1],
            _ => Vectors.Value("path.1./link").Split("file=")[1],
        };
        Assert.Equal(expected[..64], ContentHasher.Compute(h, h.IsRegular ? content.ToArray() : []).ToString());
    }

    [Fact]
    public void CommitPrintsAsShowRawDoes()
    {
        // listings.txt: `ostree show --raw vectors/main^` prints the byteswapped commit
        var listing = File.ReadAllLines(Vectors.PathOf("listings.txt"));
        int at = Array.IndexOf(listing, "===== ostree show --raw vectors/main^");
        Assert.Equal("commit " + Vectors.Value("commit.1"), listing[at + 1]);
        var value = GVariantValue.Deserialize(VectorDumps.Load("commit-1.commit"), ObjectFormats.Commit);
        Assert.Equal(listing[at + 2], GVariantPrinter.Print(GVariantByteswap.Byteswap(value), typeAnnotate: true));

        at = Array.IndexOf(listing, "===== ostree show --raw vectors/main");
        value = GVariantValue.Deserialize(VectorDumps.Load("commit-2.commit"), ObjectFormats.Commit);
        Assert.Equal(listing[at + 2], GVariantPrinter.Print(GVariantByteswap.Byteswap(value), typeAnnotate: true));
    }

    [Fact]
    public void XattrsPrintAsLsDoes()
    {
        // `ostree ls -X`: { [(b'user.vector.a', [byte 0x66, ...]), (b'user.vector.b', [0x73, ...])] }
        var meta = VectorDumps.Load("xattr.txt.bare-user.ostreemeta");
        var xattrs = GVariantValue.Deserialize(meta, ObjectFormats.DirMeta).Children[3];
        Assert.Equal("[(b'user.vector.a', [byte 0x66, 0x69, 0x72, 0x73, 0x74]), (b'user.vector.b', [0x73, 0x65, 0x63, 0x6f, 0x6e, 0x64])]",
            GVariantPrinter.Print(xattrs, typeAnnotate: true));
        var sub = GVariantValue.Deserialize(VectorDumps.Load("commit-1.sub.dirmeta"), ObjectFormats.DirMeta).Children[3];
        Assert.Equal("[(b'user.vector.dir', [byte 0x64])]", GVariantPrinter.Print(sub, typeAnnotate: true));
        var root = GVariantValue.Deserialize(VectorDumps.Load("commit-1.root.dirmeta"), ObjectFormats.DirMeta).Children[3];
        Assert.Equal("@a(ayay) []", GVariantPrinter.Print(root, typeAnnotate: true));
    }

    [Fact]
    public void DirmetaNumbersAreBigEndian()
    {
        var v = GVariantValue.Deserialize(VectorDumps.Load("commit-1.root.dirmeta"), ObjectFormats.DirMeta);
        Assert.Equal("(uint32 0, uint32 0, uint32 16877, @a(ayay) [])", GVariantPrinter.Print(GVariantByteswap.Byteswap(v), true));
        Assert.Equal("(uint32 0, uint32 0, uint32 3980460032, @a(ayay) [])", GVariantPrinter.Print(v, true));
    }

    [Fact]
    public void SummaryPrintsAsSummaryRawDoes()
    {
        OstreeOracle.Require();
        using var tmp = new TempDirectory("summary-raw");
        var (archive, _) = VectorRepos.Extract(tmp.Path);
        var bytes = File.ReadAllBytes(Path.Combine(archive, "summary"));
        var expected = OstreeOracle.RunOk("summary", "--repo=" + archive, "--view", "--raw");
        var value = GVariantValue.Deserialize(bytes, ObjectFormats.Summary);
        Assert.Equal(expected, GVariantPrinter.Print(GVariantByteswap.Byteswap(value), typeAnnotate: true) + "\n");
        Assert.Equal(bytes, value.Serialize());
    }
}
