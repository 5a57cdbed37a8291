using Arbor.Repo.GVariant;

namespace Arbor.Repo.Tests.GVariant;

/// <summary>
/// GLib's reading of untrusted data. Each expected normal form (and whether GLib finds the input
/// normal) is what Debian 12's GLib 2.74 gives for the input: <c>g_variant_get_normal_form
/// (g_variant_new_from_bytes (type, bytes, FALSE))</c>, run through python3-gi; the comment is
/// GLib's printing of the value. The first is ostree's test-commit-sign.sh's corrupted
/// detached metadata, as the real ostree stores it after a pull over HTTP.
/// </summary>
public sealed class GVariantNormalizerTests
{
    [Theory]
    [InlineData("a{sv}", "626f726b626f726b626f726b0a", "0000000000000000000028290100000000000000000000000000282901000000000000000000000000002829010d1d2d", false)] // {'': <()>, '': <()>, '': <()>}
    [InlineData("a{sv}", "", "", true)] // @a{sv} {}
    [InlineData("a{sv}", "00", "000000000000000000002829010d", false)] // {'': <()>}
    [InlineData("a{sv}", "6b00000000000000000028290d0e", "", false)] // @a{sv} {}: the offset table is not a whole number of offsets
    [InlineData("a{sv}", "6b000000000000002a007904", "00000000000000000000282901000000000000000000000000002829010000000000000000000000000028290100000000000000000000000000282901000000000000000000000000002829010000000000000000000000000028290100000000000000000000000000282901000000000000000000000000002829010d1d2d3d4d5d6d7d", false)] // 8 × {'': <()>}
    // one entry spoilt, the other kept: an unknown type in the second variant, a key that is not a string, non-zero padding
    [InlineData("a{sv}", "61000000000000007800007302000000620000000000000001007a020d1c", "61000000000000007800007302000000620000000000000000002829020d1d", false)] // {'a': <'x'>, 'b': <()>}
    [InlineData("a{sv}", "612100000000000078000073020000006200000000000000010079020d1c", "000000000000000078000073010000006200000000000000010079020d1c", false)] // {'': <'x'>, 'b': <byte 0x01>}
    [InlineData("a{sv}", "6100ff000000000078000073020000006200000000000000010079020d1c", "610000000000000078000073020000006200000000000000010079020d1c", false)] // {'a': <'x'>, 'b': <byte 0x01>}
    [InlineData("a{sv}", "610000000000000078000073020000006200000000000000010079020d1c", "610000000000000078000073020000006200000000000000010079020d1c", true)] // {'a': <'x'>, 'b': <byte 0x01>}
    // arrays: elements whose offsets go back or past the table are empty
    [InlineData("as", "610062006300020604", "00000000000102030405", false)] // ['', '', '', '', '']
    [InlineData("as", "61006200630002040600", "000000000000000000000102030405060708090a", false)] // 10 × ''
    [InlineData("as", "6100620063000402", "000000000000010203040506", false)] // 6 × ''
    [InlineData("ab", "0002", "0001", false)] // [false, true]
    [InlineData("a(yi)", "01000000", "", false)] // @a(yi) []: not a whole number of elements
    // tuples: members out of order or overlapping the offsets are empty; a fixed-size tuple of the wrong size is zeros
    [InlineData("(sss)", "6100620063000509", "0000000201", false)] // ('', '', '')
    [InlineData("(sss)", "6100620063000905", "0000000201", false)] // ('', '', '')
    [InlineData("(yqs)", "01000200610003", "0100020000", false)] // (byte 0x01, uint16 2, '')
    [InlineData("(i)", "010203", "00000000", false)] // (0,)
    [InlineData("(yi)", "01000000", "0000000000000000", false)] // (byte 0x00, 0)
    [InlineData("()", "05", "00", false)] // ()
    [InlineData("(asas)", "0000", "000100", false)] // (@as [], [''])
    // GLib's normal-form check passes a tuple of 0 bytes whose members can all be empty, so it is kept
    [InlineData("(mmhmo)", "", "", true)] // (@mmh nothing, @mo nothing)
    [InlineData("(mmhmo)", "00", "00", true)]
    [InlineData("a(asas)", "00", "00", true)] // [(@as [], @as [])]
    [InlineData("a(asas)", "0001", "0001", true)]
    // maybes
    [InlineData("mi", "010203", "", false)] // @mi nothing
    [InlineData("ms", "6162", "0000", false)] // @ms ''
    [InlineData("mv", "000079", "0000282900", false)] // @mv <()>
    // strings, object paths, signatures
    [InlineData("s", "c08000", "00", false)] // '': overlong UTF-8
    [InlineData("s", "eda08000", "00", false)] // '': a surrogate
    [InlineData("s", "6100", "6100", true)] // 'a'
    [InlineData("o", "2f2f00", "2f00", false)] // objectpath '/'
    [InlineData("o", "2f612f00", "2f00", false)] // objectpath '/'
    [InlineData("g", "6d7300", "00", false)] // signature '': no maybes in D-Bus
    [InlineData("g", "7b73767d00", "7b73767d00", true)] // signature '{sv}'
    // variants: without a NUL, or with an invalid or indefinite type string, the unit tuple
    [InlineData("v", "00", "00002829", false)] // <()>
    [InlineData("v", "0100616179", "00616179", false)] // <@aay []>
    [InlineData("v", "01007979", "00002829", false)] // <()>
    [InlineData("v", "0100ff", "00002829", false)] // <()>
    [InlineData("d", "0000000000f8ff7f", "0000000000f8ff7f", true)] // nan, its bits kept
    public void NormalFormIsGLibs(string type, string input, string expected, bool glibNormal)
    {
        var t = GVariantType.Parse(type);
        var data = Convert.FromHexString(input);

        Assert.Equal(expected, Convert.ToHexStringLower(GVariantNormalizer.NormalForm(data, t)));
        Assert.Equal(glibNormal, GVariantNormalizer.IsGLibNormal(data, t));
        // the normal form is its own, and holds the value read
        Assert.Equal(expected, Convert.ToHexStringLower(GVariantNormalizer.NormalForm(Convert.FromHexString(expected), t)));
        Assert.Equal(GVariantNormalizer.Read(Convert.FromHexString(expected), t).Serialize(), GVariantNormalizer.Read(data, t).Serialize());
    }

    [Fact]
    public void NormalDataIsKept()
    {
        foreach (var (name, type) in VectorDumps.Variants)
        {
            var bytes = VectorDumps.Load(name);
            Assert.Equal(bytes, GVariantNormalizer.NormalForm(bytes, type));
            Assert.Equal(bytes, GVariantNormalizer.Read(bytes, type).Serialize());
        }
    }

    [Fact]
    public void AVariantNestedTooDeepHoldsTheUnitTuple()
    {
        // GLib: a variant at depth d holds a value whose type is t deep only when d + t < 128; the
        // 128th of nested variants is at depth 127, so it holds only what is 0 deep: ()
        var ok = GVariantNormalFormTests.NestedVariants(127);
        Assert.True(GVariantNormalizer.IsGLibNormal(ok, GVariantType.Variant));
        Assert.Equal(ok, GVariantNormalizer.NormalForm(ok, GVariantType.Variant));
        GVariantValue unit = GVariantValue.Tuple();
        for (int i = 0; i < 128; i++) unit = GVariantValue.Variant(unit);
        var expected = unit.Serialize();
        Assert.Equal(258, expected.Length); // as GLib's
        foreach (int n in new[] { 128, 130, 1000 })
        {
            var deep = GVariantNormalFormTests.NestedVariants(n);
            Assert.False(GVariantNormalizer.IsGLibNormal(deep, GVariantType.Variant));
            Assert.Equal(expected, GVariantNormalizer.NormalForm(deep, GVariantType.Variant));
        }
    }

    [Fact]
    public void TypeDepthFollowsGLibsUnsignedArithmetic()
    {
        // 127 arrays of bytes are 128 deep: too deep for a variant at depth 0, so ()
        var deep = Convert.FromHexString("00").Concat(System.Text.Encoding.ASCII.GetBytes(new string('a', 127) + "y")).ToArray();
        Assert.False(GVariantNormalizer.IsGLibNormal(deep, GVariantType.Variant));
        Assert.Equal("00002829", Convert.ToHexStringLower(GVariantNormalizer.NormalForm(deep, GVariantType.Variant)));
        // 128 arrays (129 deep, the most a type string may have) pass GLib's check as 128 - 129 wraps around
        var deeper = Convert.FromHexString("00").Concat(System.Text.Encoding.ASCII.GetBytes(new string('a', 128) + "y")).ToArray();
        Assert.True(GVariantNormalizer.IsGLibNormal(deeper, GVariantType.Variant));
        Assert.Equal(deeper, GVariantNormalizer.NormalForm(deeper, GVariantType.Variant));
        // a type string of more than 255 characters is fine
        var wide = Convert.FromHexString("00").Concat(System.Text.Encoding.ASCII.GetBytes("(" + new string('s', 300) + ")")).ToArray();
        Assert.False(GVariantNormalizer.IsGLibNormal(wide, GVariantType.Variant));
        // 300 empty strings, 299 two-byte offsets, then NUL and the 302-character type string: 1201 bytes as GLib's
        Assert.Equal(1201, GVariantNormalizer.NormalForm(wide, GVariantType.Variant).Length);
    }

    [Fact]
    public void GarbageIsNeverRejected()
    {
        var random = new Random(7);
        foreach (var type in new[] { "a{sv}", "v", "(a(say)a(sayay))", "(a{sv}aya(say)sstayay)", "a{s(sv)}" })
        {
            var t = GVariantType.Parse(type);
            for (int i = 0; i < 300; i++)
            {
                var data = new byte[random.Next(0, 80)];
                random.NextBytes(data);
                var normal = GVariantNormalizer.NormalForm(data, t);
                Assert.True(GVariantNormalForm.IsNormal(normal, t) || GVariantNormalizer.IsGLibNormal(normal, t));
                Assert.Equal(normal, GVariantNormalizer.NormalForm(normal, t));
            }
        }
    }
}
