using Arbor.Repo.GVariant;

namespace Arbor.Repo.Tests.GVariant;

/// <summary>The streaming writer against the byte examples of gvariant.md, and its misuse errors.</summary>
public sealed class GVariantWriterTests
{
    [Fact]
    public void SpecExamples()
    {
        Assert.Equal(Convert.FromHexString("312e30000073"), GVariantValue.Variant(GVariantValue.String("1.0")).Serialize());
        Assert.Equal(Convert.FromHexString("2a0000000075"), GVariantValue.Variant(GVariantValue.UInt32(42)).Serialize());
        Assert.Equal(Convert.FromHexString("00"), GVariantValue.Tuple().Serialize());
        Assert.Equal(Convert.FromHexString("00"), new GVariantValueBuilderForEmptyDirtree().Bytes);
        Assert.Equal(Convert.FromHexString("610000"), GVariantValue.Maybe(GVariantType.String, GVariantValue.String("a")).Serialize());
        Assert.Empty(GVariantValue.Maybe(GVariantType.String, null).Serialize());
        Assert.Equal(Convert.FromHexString("01000000"), GVariantValue.Maybe(GVariantType.UInt32, GVariantValue.UInt32(1)).Serialize());
        Assert.Empty(GVariantValue.StringArray([]).Serialize());
    }

    [Fact]
    public void DictionaryEntriesAreEightAligned()
    {
        // a{sv} {'a': <byte 1>, 'bb': <'x'>}: each entry starts 8-aligned, zero padding
        using var w = new GVariantWriter(GVariantType.VarDict);
        w.BeginArray();
        w.BeginDictEntry(); w.WriteString("a"); w.BeginVariant("y"); w.WriteByte(1); w.End(); w.End();
        w.BeginDictEntry(); w.WriteString("bb"); w.BeginVariant("s"); w.WriteString("x"); w.End(); w.End();
        w.End();
        var bytes = w.ToArray();
        Assert.Equal(Convert.FromHexString(
            "6100000000000000" + "01007902" + "00000000" + // entry 1: key, pad, variant, key offset; pad to 8
            "6262000000000000" + "7800007303" +           // entry 2
            "0c1d"), bytes);                              // array offsets: ends of entry 1 and 2
        Assert.True(GVariantNormalForm.IsNormal(bytes, GVariantType.VarDict));
    }

    [Fact]
    public void MisuseIsAProgrammingError()
    {
        using var w = new GVariantWriter("(su)");
        w.BeginTuple();
        Assert.Throws<InvalidOperationException>(() => w.WriteUInt32(1));
        w.WriteString("x");
        Assert.Throws<InvalidOperationException>(() => w.End());
        w.WriteUInt32(1);
        Assert.Throws<InvalidOperationException>(() => w.WriteUInt32(2));
        w.End();
        Assert.Equal(Convert.FromHexString("780000000100000002"), w.ToArray());
        using var incomplete = new GVariantWriter("s");
        Assert.Throws<InvalidOperationException>(() => incomplete.ToArray());
        Assert.Throws<ArgumentException>(() => new GVariantWriter("s").WriteString("a\0b"u8));
    }

    private sealed class GVariantValueBuilderForEmptyDirtree
    {
        public byte[] Bytes { get; } = new Objects.DirTreeObject([], []).Serialize();
    }
}
