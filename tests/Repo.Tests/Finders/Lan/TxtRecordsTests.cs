using System.Text;
using Arbor.Repo.Finders.Lan;
using Arbor.Repo.GVariant;

namespace Arbor.Repo.Tests.Finders.Lan;

/// <summary>DNS-SD TXT attributes as ostree parses them: the vectors of ostree's test-repo-finder-avahi.c.</summary>
public sealed class TxtRecordsTests
{
    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    [Theory]
    [InlineData("", null, null)]
    [InlineData("\0", null, null)]
    [InlineData("\xff", null, null)]
    [InlineData("k\0", null, null)]
    [InlineData("k\xff", null, null)]
    [InlineData("=", null, null)]
    [InlineData("=value", null, null)]
    [InlineData("k=v", "k", "v")]
    [InlineData("key=value", "key", "value")]
    [InlineData("k=v=", "k", "v=")]
    [InlineData("k=", "k", "")]
    [InlineData("k", "k", null)]
    [InlineData("k==", "k", "=")]
    [InlineData("k=\0\x01\x02", "k", "\0\x01\x02")]
    public void ParsesOneRecord(string txt, string? key, string? value)
    {
        var records = TxtRecords.Parse([B(txt)]);
        if (key is null)
        {
            Assert.Equal(0, records.Count);
            return;
        }
        Assert.Equal(1, records.Count);
        Assert.Equal(value is null ? null : B(value), records.Get(key));
    }

    [Fact]
    public void TheFirstOfDuplicateKeysWins() =>
        Assert.Equal(B("value1"), TxtRecords.Parse([B("k=value1"), B("k=value2"), B("k=value3")]).Get("k"));

    [Fact]
    public void KeysAreCaseInsensitive()
    {
        var records = TxtRecords.Parse([B("k=value1"), B("K=value2"), B("KeY2=v")]);
        Assert.Equal(2, records.Count);
        Assert.Equal(B("value1"), records.Get("k"));
        Assert.Equal(B("v"), records.Get("key2"));
        Assert.Null(records.Get("KeY2"));
    }

    [Fact]
    public void AnEmptyValueIsNotAMissingOne()
    {
        var records = TxtRecords.Parse([B("empty="), B("missing")]);
        Assert.Equal(2, records.Count);
        Assert.Equal(Array.Empty<byte>(), records.Get("empty"));
        Assert.Null(records.Get("missing"));
        Assert.Null(records.Get("absent"));
    }

    [Fact]
    public void ARecordLongerThan8900BytesIsIgnored()
    {
        Assert.Equal(1, TxtRecords.Parse([[.. B("k="), .. new byte[8898]]]).Count);
        Assert.Equal(0, TxtRecords.Parse([[.. B("k="), .. new byte[8899]]]).Count);
    }

    [Fact]
    public void LookupGivesOnlyNormalFormValuesOfTheType()
    {
        var records = TxtRecords.Parse([B("t=12345678"), B("short=1234"), B("bare")]);
        Assert.Equal(B("12345678"), records.Lookup("t", GVariantType.UInt64));
        Assert.Null(records.Lookup("short", GVariantType.UInt64)); // 4 bytes are no uint64
        Assert.Null(records.Lookup("bare", GVariantType.Byte));
        Assert.Null(records.Lookup("absent", GVariantType.Byte));
    }
}
