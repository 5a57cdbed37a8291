using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Tests.GVariant;

/// <summary>Data that is not in normal form (gvariant.md §6) is rejected, with ostree's "Not normal form".</summary>
public sealed class GVariantNormalFormTests
{
    [Theory]
    // 1. offset width not the one implied by the size: ['a'] written with a 2-byte offset
    [InlineData("as", "61000200", "wrong offset width")]
    [InlineData("(sy)", "6100010200", "wrong tuple offset width")]
    // 3. padding bytes not zero
    [InlineData("(yu)", "01ffffff02000000", "non-zero alignment padding")]
    [InlineData("(uy)", "0200000001ff0000", "non-zero fixed-tuple tail")]
    [InlineData("(yv)", "0101000000000000020079", "non-zero padding before a variant")]
    // 4. fixed sizes
    [InlineData("u", "010203", "short uint32")]
    [InlineData("t", "01020304050607080900", "long uint64")]
    [InlineData("(uu)", "0100000002000000ff", "fixed tuple too long")]
    [InlineData("au", "0100000002", "array size not a multiple of 4")]
    [InlineData("a(uy)", "01000000020000000300", "array size not a multiple of 8")]
    // 5. booleans, strings
    [InlineData("b", "02", "boolean 2")]
    [InlineData("ab", "0100ff", "boolean 0xff in an array")]
    [InlineData("s", "6162", "unterminated string")]
    [InlineData("s", "", "empty data for a string")]
    [InlineData("s", "61006200", "embedded NUL")]
    [InlineData("s", "ff00", "invalid UTF-8")]
    [InlineData("s", "c08000", "overlong UTF-8")]
    [InlineData("s", "eda08000", "UTF-16 surrogate in UTF-8")]
    // 6. variant type strings
    [InlineData("v", "0100", "empty variant type")]
    [InlineData("v", "01007a", "unknown type character")]
    [InlineData("v", "01007979", "two types")]
    [InlineData("v", "0100286175", "unterminated tuple type")]
    [InlineData("v", "01007b617579", "dict entry with a container key")]
    [InlineData("v", "017a", "no separator")]
    [InlineData("v", "01006d", "maybe without element")]
    [InlineData("v", "0100c3bc", "non-ASCII type string")]
    [InlineData("v", "010061", "array without element type")]
    // 2. offsets out of range, decreasing, malformed tables
    [InlineData("as", "610009", "offset past the end")]
    [InlineData("as", "610062006300040206", "decreasing offsets")]
    [InlineData("as", "610062000402", "offsets pointing into the table")]
    [InlineData("as", "6100620001", "table length not a multiple of W")]
    [InlineData("as", "00", "offset table claims to start at 0 with one offset only")]
    [InlineData("(ss)", "6100620009", "tuple offset past the end")]
    [InlineData("(ss)", "610062000a00", "tuple offset width and end")]
    [InlineData("(a{sv}s)", "ff", "tuple offset greater than size")]
    // 7. maybes and non-empty arrays
    [InlineData("ms", "6100", "Just string without the trailing 0")]
    [InlineData("ms", "610001", "Just string with a non-zero trailing byte")]
    [InlineData("mu", "010000", "Just uint32 of 3 bytes")]
    [InlineData("(a(say)a(sayay))", "0000", "empty dirtree with an extra byte")]
    public void IsRejected(string type, string hex, string why)
    {
        var bytes = Convert.FromHexString(hex);
        var t = GVariantType.Parse(type);
        Assert.False(GVariantNormalForm.IsNormal(bytes, t), why);
        var e = Assert.Throws<GVariantFormatException>(() => GVariantNormalForm.Validate(bytes, t, "Object"));
        Assert.StartsWith("Object: Not normal form", e.Message);
    }

    [Theory]
    [InlineData("as", "610002")]
    [InlineData("as", "")]
    [InlineData("(sy)", "61000102")]
    [InlineData("(yu)", "0100000002000000")]
    [InlineData("b", "01")]
    [InlineData("v", "312e30000073")]
    [InlineData("v", "2a0000000075")]
    [InlineData("ms", "610000")]
    [InlineData("ms", "")]
    [InlineData("mu", "01000000")]
    [InlineData("()", "00")]
    [InlineData("(a(say)a(sayay))", "00")]
    [InlineData("s", "c3bc00")]
    public void IsAccepted(string type, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.True(GVariantNormalForm.IsNormal(bytes, GVariantType.Parse(type)));
        Assert.Equal(bytes, GVariantNormalForm.Validate(bytes, GVariantType.Parse(type), "x").Serialize());
    }

    [Fact]
    public void VariantNestingBeyondTheLimitIsRejected()
    {
        Assert.True(GVariantNormalForm.IsNormal(NestedVariants(GVariantLimits.MaxDepth - 1), GVariantType.Variant));
        Assert.False(GVariantNormalForm.IsNormal(NestedVariants(GVariantLimits.MaxDepth + 1), GVariantType.Variant));
    }

    [Fact]
    public void ObjectParsersReportCorruption()
    {
        // a commit whose subject is not terminated: one-line CorruptObjectException
        var commit = VectorDumps.Load("commit-1.commit");
        var broken = (byte[])commit.Clone();
        int subject = System.Text.Encoding.ASCII.GetString(broken).IndexOf("First commit", StringComparison.Ordinal);
        broken[subject + "First commit".Length] = (byte)'!';
        var e = Assert.Throws<Arbor.Repo.Core.CorruptObjectException>(() => CommitObject.Parse(broken));
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary><paramref name="depth"/> variants nested around a byte: y, then "00 v" per level (8-aligned start is 0).</summary>
    internal static byte[] NestedVariants(int depth)
    {
        var data = new List<byte> { 0x2a, 0x00, (byte)'y' };
        for (int i = 1; i < depth; i++) data.AddRange([0x00, (byte)'v']);
        return data.ToArray();
    }
}
