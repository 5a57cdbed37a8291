using System.Text;
using Arbor.Repo.Signing;

namespace Arbor.Repo.Tests.Signing;

/// <summary>Web Key Directory URLs as ostree 2022.7's <c>remote gpg-list-keys</c> prints them.</summary>
public sealed class GpgWkdTests
{
    [Fact]
    public void HashesAsTheWkdDraftExample()
    {
        // draft-koch-openpgp-webkey-service: "Joe.Doe@Example.ORG" → iy9q119eutrkn8s1mk4r39qejnbu3n5q
        var urls = GpgWkd.Urls("joe.doe@example.org")!.Value;
        Assert.Equal("https://openpgpkey.example.org/.well-known/openpgpkey/example.org/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=joe.doe", urls.Advanced);
        Assert.Equal("https://example.org/.well-known/openpgpkey/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=joe.doe", urls.Direct);
    }

    [Theory]
    // what ostree 2022.7 printed for these addresses
    [InlineData("test.user@example.com", "dpkwqu7tcssks3gmmbmqf4xar83heb6c", "test.user")]
    [InlineData("second@example.org", "gwzzokpn8bfoy8gbfcgncr68k3nww85k", "second")]
    [InlineData("other@example.com", "4nkbh4g4thhbk89apjo9asxzaz8391in", "other")]
    [InlineData("a+b c~d@example.org", null, "a%2Bb%20c~d")]
    public void MatchesOstree(string address, string? hash, string local)
    {
        var urls = GpgWkd.Urls(address)!.Value;
        Assert.EndsWith("?l=" + local, urls.Direct);
        if (hash is not null) Assert.Contains($"/hu/{hash}?", urls.Direct);
    }

    [Theory]
    [InlineData("no-at")]
    [InlineData("a@b@c")]
    public void NeedsExactlyOneAt(string address) => Assert.Null(GpgWkd.Urls(address));

    [Theory]
    [InlineData("", "")]
    [InlineData("f", "ca")]
    [InlineData("fo", "c3zo")]
    [InlineData("foobar", "c3zs6aubqe")]
    public void ZBase32(string input, string expected) => Assert.Equal(expected, GpgWkd.ZBase32(Encoding.ASCII.GetBytes(input)));
}
