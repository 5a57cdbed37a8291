using Arbor.Repo.Signing;

namespace Arbor.Repo.Tests.Signing;

/// <summary>User IDs split as gpgme splits them (what ostree's "Good signature from" prints), and the mailbox WKD URLs use.</summary>
public sealed class GpgUserIdTests
{
    [Theory]
    [InlineData("Arbor Test <test@example.com>", "Arbor Test", "", "test@example.com", "test@example.com")]
    [InlineData("Arbor Test (a comment) <Test.User@Example.com>", "Arbor Test", "a comment", "Test.User@Example.com", "test.user@example.com")]
    [InlineData("  Spaced\tName   <a@b.org>", "Spaced\tName", "", "a@b.org", "a@b.org")]
    [InlineData("no address here", "no address here", "", "", null)]
    [InlineData("<only@example.com>", "", "", "only@example.com", "only@example.com")]
    [InlineData("bare@example.com", "bare@example.com", "", "", "bare@example.com")]
    [InlineData("Nested (a (b) c) <x@y.z>", "Nested", "a (b) c", "x@y.z", "x@y.z")]
    [InlineData("Bad <not an address>", "Bad", "", "not an address", null)]
    [InlineData("Two <a@b@c.d>", "Two", "", "a@b@c.d", null)]
    [InlineData("Dots <a..b@c.d>", "Dots", "", "a..b@c.d", null)]
    [InlineData("Unclosed <a@b.c", "Unclosed", "", "", null)]
    public void SplitsAsGpgme(string uid, string name, string comment, string email, string? address)
    {
        var u = GpgUserId.Parse(uid);
        Assert.Equal((uid, name, comment, email, address), (u.Uid, u.Name, u.Comment, u.Email, u.Address));
    }
}
