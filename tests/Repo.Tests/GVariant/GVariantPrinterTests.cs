using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.GVariant;

/// <summary>
/// <c>g_variant_print</c>'s text format: quoting and escapes, byte strings, type annotations on
/// the first element only, empty containers, nested variants, maybes and every number type;
/// then the same values printed by the real ostree (<c>show --print-metadata-key</c>, <c>--raw</c>).
/// </summary>
public sealed class GVariantPrinterTests
{
    private static GVariantValue S(string s) => GVariantValue.String(s);
    private static GVariantValue V(GVariantValue v) => GVariantValue.Variant(v);
    private static string P(GVariantValue v, bool annotate = true) => GVariantPrinter.Print(v, annotate);

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("say \"hi\"", "'say \"hi\"'")]
    [InlineData("both ' and \"", "\"both ' and \\\"\"")]
    [InlineData("back\\slash", "'back\\\\slash'")]
    [InlineData("tab\tnl\ncr\rbell\afeed\fvt\vbs\b", "'tab\\tnl\\ncr\\rbell\\afeed\\fvt\\vbs\\b'")]
    [InlineData("ümlaut ünïcödé", "'ümlaut ünïcödé'")]
    [InlineData("\u0001\u007f", "'\\u0001\\u007f'")]
    [InlineData("zero\u200bwidth", "'zero\\u200bwidth'")]
    [InlineData("nbsp\u00a0line\u2028", "'nbsp\u00a0line\u2028'")]
    [InlineData("emoji 😀", "'emoji 😀'")]
    [InlineData("", "''")]
    public void Strings(string value, string printed) => Assert.Equal(printed, P(S(value)));

    [Fact]
    public void ByteStringsAndByteArrays()
    {
        Assert.Equal("b'abc'", P(GVariantValue.Bytes("abc\0"u8)));
        Assert.Equal("b\"it's\"", P(GVariantValue.Bytes("it's\0"u8)));
        Assert.Equal("b'say \\\"x\\\" \\\\ \\001\\377\\n'", P(GVariantValue.Bytes("say \"x\" \\ \u0001"u8.ToArray().Concat(new byte[] { 0xff, (byte)'\n', 0 }).ToArray())));
        Assert.Equal("b''", P(GVariantValue.Bytes([0])));
        // not a byte string: no NUL, or a NUL before the end
        Assert.Equal("[byte 0x61, 0x62]", P(GVariantValue.Bytes("ab"u8)));
        Assert.Equal("[byte 0x61, 0x00, 0x62, 0x00]", P(GVariantValue.Bytes("a\0b\0"u8)));
        Assert.Equal("@ay []", P(GVariantValue.Bytes([])));
        Assert.Equal("[0x01]", P(GVariantValue.Bytes([1]), annotate: false));
    }

    [Fact]
    public void Numbers()
    {
        Assert.Equal("byte 0x03", P(GVariantValue.Byte(3)));
        Assert.Equal("int16 -3", P(GVariantValue.Number(GVariantType.Parse("n"), unchecked((ushort)(short)-3))));
        Assert.Equal("uint16 65535", P(GVariantValue.Number(GVariantType.Parse("q"), 65535)));
        Assert.Equal("-7", P(GVariantValue.Int32(-7)));
        Assert.Equal("uint32 4294967295", P(GVariantValue.UInt32(uint.MaxValue)));
        Assert.Equal("int64 -9223372036854775808", P(GVariantValue.Int64(long.MinValue)));
        Assert.Equal("uint64 18446744073709551615", P(GVariantValue.UInt64(ulong.MaxValue)));
        Assert.Equal("handle 3", P(GVariantValue.Number(GVariantType.Parse("h"), 3)));
        Assert.Equal("true", P(GVariantValue.Boolean(true)));
        Assert.Equal("objectpath '/a/b'", P(GVariantValue.StringOfType(GVariantType.Parse("o"), "/a/b")));
        Assert.Equal("signature 'a{sv}'", P(GVariantValue.StringOfType(GVariantType.Parse("g"), "a{sv}")));
        Assert.Equal("uint32 5", P(GVariantValue.UInt32(5)));
        Assert.Equal("5", P(GVariantValue.UInt32(5), annotate: false));
    }

    [Theory]
    [InlineData(3.5, "3.5")]
    [InlineData(1.0, "1.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(0.1, "0.10000000000000001")]
    [InlineData(3.141592653589793, "3.1415926535897931")]
    [InlineData(1e100, "1e+100")]
    [InlineData(1.5e-7, "1.4999999999999999e-07")]
    [InlineData(1e16, "10000000000000000.0")]
    [InlineData(1e17, "1e+17")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(5e-324, "4.9406564584124654e-324")]
    public void Doubles(double value, string printed) => Assert.Equal(printed, P(GVariantValue.Double(value)));

    [Fact]
    public void NaNsPrintTheirSignAsGlibcDoes()
    {
        Assert.Equal("nan", P(GVariantValue.Double(BitConverter.Int64BitsToDouble(0x7FF8000000000000))));
        // .NET's double.NaN has the sign bit set: glibc's printf shows it
        Assert.Equal("-nan", P(GVariantValue.Double(double.NaN)));
    }

    [Fact]
    public void ContainersAnnotateOnlyTheFirstElement()
    {
        var au = GVariantValue.Array(GVariantType.Parse("au"), [GVariantValue.UInt32(1), GVariantValue.UInt32(2)]);
        Assert.Equal("[uint32 1, 2]", P(au));
        Assert.Equal("@as []", P(GVariantValue.StringArray([])));
        Assert.Equal("@a(say) []", P(GVariantValue.Array(GVariantType.Parse("a(say)"), [])));
        Assert.Equal("@a{sv} {}", P(GVariantValue.Array(GVariantType.VarDict, [])));
        Assert.Equal("[]", P(GVariantValue.StringArray([]), annotate: false));
        var dict = GVariantValue.Array(GVariantType.Parse("a{su}"),
            [GVariantValue.DictEntry(S("a"), GVariantValue.UInt32(1)), GVariantValue.DictEntry(S("b"), GVariantValue.UInt32(2))]);
        Assert.Equal("{'a': uint32 1, 'b': 2}", P(dict));
        Assert.Equal("{'k', <byte 0x03>}", P(GVariantValue.DictEntry(S("k"), V(GVariantValue.Byte(3)))));
        Assert.Equal("()", P(GVariantValue.Tuple()));
        Assert.Equal("(uint32 1,)", P(GVariantValue.Tuple(GVariantValue.UInt32(1))));
        Assert.Equal("(uint32 1, 'x', [int64 2])", P(GVariantValue.Tuple(GVariantValue.UInt32(1), S("x"),
            GVariantValue.Array(GVariantType.Parse("ax"), [GVariantValue.Int64(2)]))));
    }

    [Fact]
    public void VariantsAlwaysAnnotate()
    {
        Assert.Equal("<uint32 42>", P(V(GVariantValue.UInt32(42)), annotate: false));
        Assert.Equal("<<<'deep'>>>", P(V(V(V(S("deep"))))));
        Assert.Equal("<@as []>", P(V(GVariantValue.StringArray([]))));
        Assert.Equal("[<byte 0x01>, <'x'>]", P(GVariantValue.Array(GVariantType.Parse("av"), [V(GVariantValue.Byte(1)), V(S("x"))])));
    }

    [Fact]
    public void Maybes()
    {
        var ms = GVariantType.Parse("ms");
        Assert.Equal("@ms nothing", P(GVariantValue.Maybe(GVariantType.String, null)));
        Assert.Equal("@ms 'x'", P(GVariantValue.Maybe(GVariantType.String, S("x"))));
        Assert.Equal("@mms just nothing", P(GVariantValue.Maybe(ms, GVariantValue.Maybe(GVariantType.String, null))));
        Assert.Equal("@mms 'x'", P(GVariantValue.Maybe(ms, GVariantValue.Maybe(GVariantType.String, S("x")))));
        var mms = GVariantType.Parse("mms");
        Assert.Equal("@mmms just just nothing", P(GVariantValue.Maybe(mms, GVariantValue.Maybe(ms, GVariantValue.Maybe(GVariantType.String, null)))));
        Assert.Equal("@mu 5", P(GVariantValue.Maybe(GVariantType.UInt32, GVariantValue.UInt32(5))));
        Assert.Equal("[@mu 5, nothing]", P(GVariantValue.Array(GVariantType.Parse("amu"),
            [GVariantValue.Maybe(GVariantType.UInt32, GVariantValue.UInt32(5)), GVariantValue.Maybe(GVariantType.UInt32, null)])));
    }

    /// <summary>GVariant text for <c>ostree commit --add-metadata=KEY=TEXT</c>: ostree parses it, stores it, and prints it back.</summary>
    public static readonly string[] MetadataTexts =
    [
        "'plain'", "\"it's\"", "'back\\\\slash \\\"q\\\"'", "'tab\\there\\nnewline'", "'ünïcödé ✓'", "'\\u0001\\u007f\\u200b\\U0001f600\\u00a0'",
        "b'bytes'", "b\"it's\"", "[byte 0x01, 0xff]", "@ay []", "b'esc\\001\\377\\n'",
        "true", "byte 0x2a", "int16 -3", "uint16 65535", "-5", "uint32 42", "int64 -5", "uint64 18446744073709551615",
        "3.5", "-0.0", "0.1", "1e100", "1.5e-7", "@d inf", "@d -inf", "@d nan",
        "@h 3", "@o '/a/b'", "@g 'a{sv}'",
        "@as []", "['a', 'b']", "@a{sv} {}", "{'k': <byte 3>, 'q': <@mu 5>}", "@a(say) []",
        "(1, 'a', [<@x 2>])", "()", "(uint32 1,)", "<<'nested'>>", "<@as []>",
        "@ms nothing", "@mms just nothing", "@mmu just just 7", "@mu 7", "[@mu 5, nothing]", "{1: 'x'}",
    ];

    [Fact]
    public void MetadataPrintsAsOstreeShowDoes()
    {
        OstreeOracle.Require();
        using var tmp = new TempDirectory("printer");
        var repoPath = tmp.Combine("repo");
        OstreeOracle.RunOk("init", "--repo=" + repoPath, "--mode=archive");
        Directory.CreateDirectory(tmp.Combine("tree"));
        var args = new List<string> { "commit", "--repo=" + repoPath, "-b", "m", "--timestamp=2021-01-01T00:00:00Z", "-s", "s", tmp.Combine("tree") };
        for (int i = 0; i < MetadataTexts.Length; i++) args.Add($"--add-metadata=k{i:00}={MetadataTexts[i]}");
        var checksum = OstreeOracle.RunOk([.. args]).Trim();

        var repo = Repository.Open(repoPath);
        var commit = repo.LoadCommit(Checksum.Parse(checksum));
        for (int i = 0; i < MetadataTexts.Length; i++)
        {
            var value = commit.Metadata[$"k{i:00}"]!;
            var unswapped = OstreeOracle.RunOk("show", "--repo=" + repoPath, "-B", $"--print-metadata-key=k{i:00}", checksum);
            Assert.Equal(unswapped, P(value) + "\n");
            var swapped = OstreeOracle.RunOk("show", "--repo=" + repoPath, $"--print-metadata-key=k{i:00}", checksum);
            Assert.Equal(swapped, P(GVariantByteswap.Byteswap(value)) + "\n");
        }
        var raw = OstreeOracle.RunOk("show", "--repo=" + repoPath, "--raw", checksum).Split('\n')[1];
        var bytes = repo.LoadMetadata(new ObjectName(Checksum.Parse(checksum), ObjectType.Commit));
        Assert.Equal(raw, P(GVariantByteswap.Byteswap(GVariantValue.Deserialize(bytes, Objects.ObjectFormats.Commit))));
    }
}
