using System.Buffers.Binary;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;
using Arbor.Repo.StaticDelta;

namespace Arbor.Repo.Tests.StaticDelta;

/// <summary>
/// <see cref="DeltaPartBuilder.Finish"/> lays the part's GVariant tuple out by hand to stream its blob
/// into xz: the bytes it compresses must be exactly what a GVariant serializer writes for the same
/// tables, blob and opcodes, at every framing-offset width.
/// </summary>
public sealed class DeltaPartBuilderTests
{
    private static readonly XattrList Selinux = new([Xattr.Create("security.selinux", "system_u:object_r:bin_t:s0\0"u8.ToArray())]);

    [Theory]
    [InlineData(0)]         // one metadata object: a tuple under 256 bytes (1-byte offsets)
    [InlineData(300)]       // 2-byte offsets
    [InlineData(70_000)]    // 4-byte offsets
    [InlineData(3_000_000)] // a blob across several pooled segments
    public void TheStreamedTupleEqualsTheSerializedOne(int bigFile)
    {
        var b = new DeltaPartBuilder(0);
        b.AddMetadata(new ObjectName(Checksum.Compute("dirmeta"u8), ObjectType.DirMeta), "abc"u8);
        var content = new byte[bigFile];
        new Random(bigFile).NextBytes(content);
        if (bigFile > 0)
        {
            b.AddContent(Checksum.Compute(content), FileHeader.Regular(0, 0, 0x1ED, Selinux), new MemoryStream(content), content.Length);
            b.AddContent(Checksum.Compute("link"u8), FileHeader.Symlink(1000, 1000, "", XattrList.Empty), "target"u8);
            b.AddBsPatch(Checksum.Compute("new"u8), FileHeader.Regular(0, 0, 0x1A4), 10, Checksum.Compute("old"u8), "patchbytes"u8);
        }
        var built = b.Finish(bigEndian: false);
        Assert.Equal((byte)'x', built.FileBytes[0]);
        var serialized = Lzma.DecompressXz(built.FileBytes.AsSpan(1), 0);

        Assert.True(GVariantNormalForm.IsNormal(serialized, GVariantType.Parse(DeltaPart.Format)));
        var part = DeltaPart.Open(built.FileBytes, "test");
        (uint, uint, uint)[] modes = bigFile > 0 ? [(0, 0, 0x81ED), (1000, 1000, 0xA1FF), (0, 0, 0x81A4)] : [];
        XattrList[] xattrs = bigFile > 0 ? [Selinux, XattrList.Empty] : [];
        Assert.Equal(Reference(modes, xattrs, part.Payload.ToArray(), part.Operations.ToArray()), serialized);
        if (bigFile > 0)
        {
            Assert.Equal(content, part.Payload.Slice(3, content.Length).ToArray());
            Assert.Equal(modes, part.Modes);
            Assert.Equal(xattrs, part.Xattrs);
        }
    }

    /// <summary>
    /// A rollsum'd file as ostree's process_one_rollsum writes it: the source checksum first in the blob,
    /// literal bytes before a match with the read source unset, consecutive matches under one
    /// <c>r</c>, the tail after <c>R</c>.
    /// </summary>
    [Fact]
    public void ARollsumFileIsWrittenAsOstreeWritesIt()
    {
        var b = new DeltaPartBuilder(0);
        var content = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();
        var source = Checksum.Compute("old"u8);
        b.AddRollsum(Checksum.Compute(content), FileHeader.Regular(0, 0, 0x1A4), source, content,
            [new RollsumMatch(10, 5, 0), new RollsumMatch(10, 15, 100), new RollsumMatch(5, 30, 7)]);
        var part = DeltaPart.Open(b.Finish(bigEndian: false).FileBytes, "test");
        byte[] ops = [(byte)'o', 0, 0, 40,
            (byte)'w', 5, 32, (byte)'r', 0, (byte)'w', 10, 0, (byte)'w', 10, 100, (byte)'R',
            (byte)'w', 5, 37, (byte)'r', 0, (byte)'w', 5, 7, (byte)'R',
            (byte)'w', 5, 42, (byte)'c'];
        Assert.Equal(ops, part.Operations.ToArray());
        byte[] blob = [.. source.ToBytes(), .. content[..5], .. content[25..30], .. content[35..]];
        Assert.Equal(blob, part.Payload.ToArray());
    }

    /// <summary>The part tuple as <see cref="GVariantWriter"/> serializes it.</summary>
    private static byte[] Reference(IReadOnlyList<(uint Uid, uint Gid, uint Mode)> modes, IReadOnlyList<XattrList> xattrs, byte[] payload, byte[] ops)
    {
        using var w = new GVariantWriter(GVariantType.Parse(DeltaPart.Format), payload.Length + ops.Length + 256);
        w.BeginTuple();
        w.BeginArray();
        foreach (var (uid, gid, mode) in modes)
        {
            w.BeginTuple();
            w.WriteUInt32(BinaryPrimitives.ReverseEndianness(uid));
            w.WriteUInt32(BinaryPrimitives.ReverseEndianness(gid));
            w.WriteUInt32(BinaryPrimitives.ReverseEndianness(mode));
            w.End();
        }
        w.End();
        w.BeginArray();
        foreach (var x in xattrs) x.WriteTo(w);
        w.End();
        w.WriteByteArray(payload);
        w.WriteByteArray(ops);
        w.End();
        return w.ToArray();
    }
}
