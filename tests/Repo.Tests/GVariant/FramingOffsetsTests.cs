using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.GVariant;

/// <summary>Offset widths exactly at the 1/2/4-byte edges (gvariant.md §4), for arrays and tuples, and the 1700-entry dirtree.</summary>
public sealed class FramingOffsetsTests
{
    [Theory]
    [InlineData(0L, 0)]
    [InlineData(1L, 1)]
    [InlineData(255L, 1)]
    [InlineData(256L, 2)]
    [InlineData(65535L, 2)]
    [InlineData(65536L, 4)]
    [InlineData(4294967295L, 4)]
    [InlineData(4294967296L, 8)]
    public void ReaderWidthFollowsContainerSize(long size, int width) => Assert.Equal(width, FramingOffsets.WidthForSize(size));

    [Theory]
    [InlineData(0L, 0, 0)]
    [InlineData(254L, 1, 1)]
    [InlineData(255L, 1, 2)]
    [InlineData(253L, 2, 1)]
    [InlineData(254L, 2, 2)]
    [InlineData(65533L, 1, 2)]
    [InlineData(65534L, 1, 4)]
    [InlineData(65531L, 2, 2)]
    [InlineData(65532L, 2, 4)]
    public void WriterWidthIsTheSmallestThatFits(long body, int offsets, int width) => Assert.Equal(width, FramingOffsets.WidthForBody(body, offsets));

    /// <summary>An <c>as</c> of one string of <paramref name="length"/> characters: size and offset width at the edges.</summary>
    [Theory]
    [InlineData(253, 255, 1)]
    [InlineData(254, 257, 2)]
    [InlineData(65532, 65535, 2)]
    [InlineData(65533, 65538, 4)]
    public void ArrayOfOneStringAtTheEdges(int length, int totalSize, int width)
    {
        var s = new string('x', length);
        var bytes = GVariantValue.StringArray([s]).Serialize();
        Assert.Equal(totalSize, bytes.Length);
        Assert.Equal(width, FramingOffsets.WidthForSize(bytes.Length));
        // the single offset is the end of the string, stored little-endian in the last W bytes
        Assert.Equal((ulong)(length + 1), FramingOffsets.Read(bytes.AsSpan(bytes.Length - width), width));
        Assert.Equal(s, GVariantValue.Deserialize(bytes, "as").AsStringArray().Single());
        Assert.True(GVariantNormalForm.IsNormal(bytes, GVariantType.StringArray));
    }

    /// <summary>A <c>(ss)</c>: one offset (the first string's end); body + W decides W.</summary>
    [Theory]
    [InlineData(252, 0, 255, 1)]
    [InlineData(253, 0, 257, 2)]
    [InlineData(100, 152, 255, 1)]
    [InlineData(100, 153, 257, 2)]
    [InlineData(65000, 531, 65535, 2)]
    [InlineData(65000, 532, 65538, 4)]
    public void TupleOfTwoStringsAtTheEdges(int first, int second, int totalSize, int width)
    {
        var v = GVariantValue.Tuple(GVariantValue.String(new string('a', first)), GVariantValue.String(new string('b', second)));
        var bytes = v.Serialize();
        Assert.Equal(totalSize, bytes.Length);
        Assert.Equal(width, FramingOffsets.WidthForSize(bytes.Length));
        Assert.Equal((ulong)(first + 1), FramingOffsets.Read(bytes.AsSpan(bytes.Length - width), width));
        var back = GVariantValue.Deserialize(bytes, "(ss)");
        Assert.Equal(first, back.Children[0].AsString().Length);
        Assert.Equal(second, back.Children[1].AsString().Length);
        Assert.True(GVariantNormalForm.IsNormal(bytes, GVariantType.Parse("(ss)")));
    }

    [Fact]
    public void TupleOffsetsAreStoredInReverseOrder()
    {
        // (sss): offsets of members 0 and 1 are stored last-recorded first
        var bytes = GVariantValue.Tuple(GVariantValue.String("a"), GVariantValue.String("bb"), GVariantValue.String("c")).Serialize();
        Assert.Equal(new byte[] { 0x61, 0x00, 0x62, 0x62, 0x00, 0x63, 0x00, 0x05, 0x02 }, bytes);
    }

    [Fact]
    public void ArrayJustUnderAndOverTheTwoByteEdgeWithManyElements()
    {
        // 'aay' of n one-byte elements: body n, n offsets; 127*1 + 127 = 254 fits in W=1, 128 needs W=2
        foreach (var (n, width) in new[] { (127, 1), (128, 2), (21845, 2), (21846, 4) })
        {
            var v = GVariantValue.Array(GVariantType.ByteArrayArray, Enumerable.Range(0, n).Select(i => GVariantValue.Bytes([(byte)i])));
            var bytes = v.Serialize();
            Assert.Equal(n + n * width, bytes.Length);
            Assert.Equal(width, FramingOffsets.WidthForSize(bytes.Length));
            var back = GVariantValue.Deserialize(bytes, GVariantType.ByteArrayArray);
            Assert.Equal(n, back.ChildCount);
            Assert.Equal((byte)((n - 1) & 0xff), back.Children[n - 1].AsBytes()[0]);
        }
    }

    [Fact]
    public void LargeDirtreeUsesFourByteOffsets()
    {
        using var tmp = new TempDirectory("many");
        var (archive, _) = VectorRepos.Extract(tmp.Path);
        var repo = Repository.Open(archive);
        var checksum = Checksum.Parse(Vectors.Value("path.large-dirtree./many").Split("dirtree=")[1].AsSpan(0, 64));
        var bytes = repo.LoadMetadata(new ObjectName(checksum, ObjectType.DirTree));
        Assert.Equal(int.Parse(Vectors.Value("object.large-dirtree./many.dirtree-size")), bytes.Length);
        Assert.Equal(4, FramingOffsets.WidthForSize(bytes.Length));

        var tree = DirTreeObject.Parse(bytes);
        Assert.Equal(1700, tree.Files.Count);
        Assert.Equal("f0000", tree.Files[0].Name);
        Assert.Equal("f1699", tree.Files[^1].Name);
        Assert.Equal(bytes, tree.Serialize());
        Assert.Equal(checksum, Checksum.Compute(bytes));
        Assert.True(GVariantNormalForm.IsNormal(bytes, ObjectFormats.DirTree));

        // the tuple's one offset (end of the files array) is the last 4 bytes; the files array's
        // own offset table ends there too, and its last entry points at the table's start
        int filesEnd = (int)FramingOffsets.Read(bytes.AsSpan(bytes.Length - 4), 4);
        Assert.Equal(bytes.Length - 4, filesEnd);
        int tableStart = (int)FramingOffsets.Read(bytes.AsSpan(filesEnd - 4), 4);
        Assert.Equal(1700 * 4, filesEnd - tableStart);
        var files = new GVariantReader(bytes.AsSpan(0, filesEnd), "a(say)");
        Assert.Equal(1700, files.ArrayCount);
        Assert.Equal("f0850", files.Element(850).Member(0).GetString());
    }
}
