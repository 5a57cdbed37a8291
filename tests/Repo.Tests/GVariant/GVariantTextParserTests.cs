using Arbor.Repo.GVariant;

namespace Arbor.Repo.Tests.GVariant;

public sealed class GVariantTextParserTests
{
    [Theory]
    [InlineData("uint32 42", "u", "uint32 42")]
    [InlineData("42", "i", "42")]
    [InlineData("-7", "i", "-7")]
    [InlineData("int64 -5", "x", "int64 -5")]
    [InlineData("uint64 18446744073709551615", "t", "uint64 18446744073709551615")]
    [InlineData("byte 0x10", "y", "byte 0x10")]
    [InlineData("4.5", "d", "4.5")]
    [InlineData("true", "b", "true")]
    [InlineData("'str'", "s", "'str'")]
    [InlineData("\"it's\"", "s", "\"it's\"")]
    [InlineData("['a', 'b']", "as", "['a', 'b']")]
    [InlineData("@as []", "as", "@as []")]
    [InlineData("[1, 2]", "ai", "[1, 2]")]
    [InlineData("[uint32 1, 2]", "au", "[uint32 1, 2]")]
    [InlineData("(1, 'x')", "(is)", "(1, 'x')")]
    [InlineData("{'k': <1>}", "a{sv}", "{'k': <1>}")]
    [InlineData("<'v'>", "v", "<'v'>")]
    [InlineData("b'ab'", "ay", "b'ab'")]
    [InlineData("just 'x'", "ms", "@ms 'x'")]
    [InlineData("010", "i", "8")]
    [InlineData("0x1F", "i", "31")]
    [InlineData("[1, 2.5]", "ad", "[1.0, 2.5]")]
    [InlineData("(1,)", "(i)", "(1,)")]
    [InlineData("[[1], []]", "aai", "[[1], []]")]
    [InlineData("@ms nothing", "ms", "@ms nothing")]
    [InlineData("objectpath '/a/b'", "o", "objectpath '/a/b'")]
    // a number under just takes GLib's default type, as in an array or a tuple
    [InlineData("just 5", "mi", "@mi 5")]
    [InlineData("just 1.5", "md", "@md 1.5")]
    [InlineData("just just 1", "mmi", "@mmi 1")]
    [InlineData("[just 1, nothing]", "ami", "[@mi 1, nothing]")]
    // where a maybe is wanted, a plain value is its just (GLib's maybe_wrapper)
    [InlineData("[1, just 2]", "ami", "[@mi 1, 2]")]
    [InlineData("[@mi 1, 2]", "ami", "[@mi 1, 2]")]
    [InlineData("[@ms 'a', 'b', nothing]", "ams", "[@ms 'a', 'b', nothing]")]
    [InlineData("@mmi 5", "mmi", "@mmi 5")]
    public void ParsesTheTypesOstreeUsersPass(string text, string type, string printed)
    {
        var v = GVariantTextParser.Parse(text);
        Assert.Equal(type, v.Type.Signature);
        Assert.Equal(printed, GVariantPrinter.Print(v, typeAnnotate: true));
    }

    [Theory]
    [InlineData("uint32 abc", "7-10:unknown keyword")]
    [InlineData("[]", "0-2:unable to infer type")]
    [InlineData("'open", "0-5:unterminated string constant")]
    [InlineData("uint32 -1", "7-9:number out of range for type 'u'")]
    [InlineData("byte 256", "5-8:number out of range for type 'y'")]
    // a single location is printed once, as GLib does
    [InlineData("'it''s'", "4:expected end of input")]
    [InlineData("1 2", "2:expected end of input")]
    [InlineData("", "0:expected value")]
    [InlineData("[", "1:expected value")]
    [InlineData("just", "4:expected value")]
    public void ErrorsNameThePlace(string text, string message)
    {
        var e = Assert.Throws<FormatException>(() => GVariantTextParser.Parse(text));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Uint32SerializesLittleEndian()
    {
        Assert.Equal([42, 0, 0, 0], GVariantTextParser.Parse("uint32 42").Serialize());
    }
}
