using Arbor.Repo.Finders.Lan;

namespace Arbor.Repo.Tests.Finders.Lan;

/// <summary>SipHash-2-4 (64-bit output) against the reference implementation's vectors: key 00..0f, message 00..(n-1).</summary>
public sealed class SipHashTests
{
    [Theory]
    [InlineData(0, 0x726fdb47dd0e0e31UL)]
    [InlineData(7, 0xab0200f58b01d137UL)]
    [InlineData(8, 0x93f5f5799a932462UL)]
    [InlineData(15, 0xa129ca6149be45e5UL)]
    public void MatchesTheReferenceVectors(int length, ulong expected)
    {
        var key = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        var message = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        Assert.Equal(expected, SipHash.Hash24(key, message));
    }
}
