using Arbor.Repo.Signing;
using Arbor.TestKit;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Arbor.Repo.Tests.Signing;

/// <summary>Keys made by the real gpg, seen as gpg lists them: primary user ID first, subkeys, expiry and revocation.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class GpgKeyViewTests : IDisposable
{
    private readonly GpgHome _gpg = new("/tmp", "First Name", "first@example.com", "ed25519", "2031-05-06");

    public void Dispose() => _gpg.Dispose();

    private GpgKeyView View(DateTimeOffset? now = null) =>
        GpgKeyView.From(new PgpPublicKeyRing(_gpg.ExportPublicKey()), now ?? DateTimeOffset.UtcNow);

    [Fact]
    public void ThePrimaryKeyComesFirstWithItsTimes()
    {
        var sub = _gpg.AddSubkey("ed25519", "sign", "2032-07-08");
        var v = View();
        Assert.Equal([_gpg.Fingerprint, sub], v.Subkeys.Select(k => k.Fingerprint));
        Assert.Equal(DateTimeOffset.Parse("2031-05-06T00:00:00Z").ToUnixTimeSeconds(), v.Primary.Expires, tolerance: 86400);
        Assert.False(v.Primary.Expired);
        Assert.True(View(DateTimeOffset.Parse("2031-06-01T00:00:00Z")).Primary.Expired);
        Assert.Same(v.Subkeys[1], v.Find(Convert.ToInt64(sub[^16..], 16)));
    }

    [Fact]
    public void TheNewestUserIdIsPrimaryUnlessOneIsMarked()
    {
        Thread.Sleep(1100); // self-signatures have one-second resolution
        _gpg.AddUserId("Second Name <second@example.org>");
        Assert.Equal(["Second Name <second@example.org>", "First Name <first@example.com>"], View().UserIds.Select(u => u.Id.Uid));
        _gpg.Gpg("--batch", "--quick-set-primary-uid", _gpg.Fingerprint, "First Name <first@example.com>");
        Assert.Equal(["First Name <first@example.com>", "Second Name <second@example.org>"], View().UserIds.Select(u => u.Id.Uid));
    }

    [Fact]
    public void RevokedUserIdsAndKeys()
    {
        _gpg.AddUserId("Gone <gone@example.org>");
        _gpg.Gpg("--batch", "--quick-revoke-uid", _gpg.Fingerprint, "Gone <gone@example.org>");
        var v = View();
        Assert.Equal("First Name <first@example.com>", v.UserIds[0].Id.Uid);
        Assert.True(v.UserIds.Single(u => u.Id.Name == "Gone").Revoked);
        Assert.False(v.UserIds[0].Revoked);
        _gpg.Revoke();
        v = View();
        Assert.True(v.Primary.Revoked);
        Assert.All(v.UserIds, u => Assert.True(u.Revoked));
    }

    [Fact]
    public void ARevokedKeyRevokesItsSubkeysAndDoesNotExpire()
    {
        _gpg.AddSubkey("ed25519", "sign", "2032-07-08");
        _gpg.Revoke();
        // as gpg lists it (test-remote-gpg-list-keys.sh): "Subkey: … (revoked)", and "Expires:" for the primary key
        var v = View(DateTimeOffset.Parse("2031-06-01T00:00:00Z"));
        Assert.All(v.Subkeys, k => Assert.True(k.Revoked));
        Assert.False(v.Primary.Expired);
    }
}
