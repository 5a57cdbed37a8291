using Arbor.Repo.Finders.Lan;
using Arbor.Repo.Refs;

namespace Arbor.Repo.Tests.Finders.Lan;

/// <summary>
/// ostree's bloom filter of collection–refs (<c>ostree-bloom.c</c>, hash function 1). The vectors
/// come from an independent implementation of <c>ostree_str_bloom_hash</c>, whose filters the real
/// ostree accepted (FindRemotesLanCompatTests advertises filters built by this class).
/// </summary>
public sealed class RefBloomTests
{
    private const string Os = "org.example.Os";

    [Theory]
    [InlineData("", 0, 0x1e924b9d737700d7UL)]
    [InlineData("org.example.Os", 0, 0xe04ff3a63f4d0dd3UL)]
    [InlineData("os/main", 2, 0x7b3c65c3d460ec6cUL)]
    [InlineData("a-longer-string-of-24-by", 7, 0xd0b64747f118def3UL)]
    public void StringHashIsSipHashUnderAKeyOfK(string s, byte k, ulong expected) => Assert.Equal(expected, RefBloom.StringHash(s, k));

    [Fact]
    public void CollectionRefHashXorsTheTwoStringHashes() =>
        Assert.Equal(RefBloom.StringHash(Os, 1) ^ RefBloom.StringHash("os/main", 1), RefBloom.Hash(new CollectionRef(Os, "os/main"), 1));

    [Fact]
    public void AddSetsBitHashModSizeOfEachHashFunction()
    {
        // 8 bytes, k=2: (Os, os/main) sets bits 11 and 48, (Os, other) bits 3 and 51
        var bloom = new RefBloom(new byte[8], 2);
        bloom.Add(new CollectionRef(Os, "os/main"));
        bloom.Add(new CollectionRef(Os, "other"));
        Assert.Equal(Convert.FromHexString("0808000000000900"), bloom.Bits.ToArray());
    }

    [Fact]
    public void MaybeContainsTestsEveryHashFunctionsBit()
    {
        var bloom = new RefBloom(Convert.FromHexString("0808000000000900"), 2);
        Assert.True(bloom.MaybeContains(new CollectionRef(Os, "os/main")));
        Assert.True(bloom.MaybeContains(new CollectionRef(Os, "other")));
        Assert.False(bloom.MaybeContains(new CollectionRef(Os, "nope")));   // bits 41 and 3: one set, one not
        Assert.False(bloom.MaybeContains(new CollectionRef(Os, "absent"))); // bits 53 and 43
        // with one hash function, "nope" needs bit 41 only
        Assert.False(new RefBloom(Convert.FromHexString("0808000000000900"), 1).MaybeContains(new CollectionRef(Os, "nope")));
    }

    [Fact]
    public void AnEmptyFilterMayContainAnything() =>
        Assert.True(new RefBloom([], 3).MaybeContains(new CollectionRef(Os, "anything")));
}
