using Arbor.Repo.Signing;

namespace Arbor.Repo.Tests.Signing;

/// <summary><c>ostree_gpg_verify_result_describe</c>'s default format, line by line.</summary>
public sealed class GpgSignatureResultTests
{
    private const string Primary = "6C5E9915431B0ADE108DC96F19C13E21885860B6";
    private const string Sub = "145EC013E54B3B534A6909BFB8D07293AF52AACE";
    private const long Made = 1795952653;      // 2026-11-29 11:44:13 UTC
    private const long Jan2027 = 1798837200;   // 2027-01-01 21:00:00 UTC
    private static readonly TimeZoneInfo Kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

    private static GpgSignatureResult Good(string fpr = Primary, long sigExpires = 0, long keyExpires = 0, long primaryExpires = 0) =>
        new(fpr, "EdDSA", Made, sigExpires, true, false, false, false, false, Primary, "Arbor Test", "test@example.com",
            "Arbor Test (c) <test@example.com>", keyExpires, primaryExpires);

    [Fact]
    public void GoodSignatureByThePrimaryKey() =>
        Assert.Equal(
            "  Signature made Sun Nov 29 17:14:13 2026 using EdDSA key ID 19C13E21885860B6\n" +
            "  Good signature from \"Arbor Test <test@example.com>\"\n",
            Good().Describe("  ", Kolkata, utf8: true));

    [Fact]
    public void SubkeyWithExpiryLines() =>
        Assert.Equal(
            "GPG: Signature made Sun Nov 29 11:44:13 2026 using EdDSA key ID B8D07293AF52AACE\n" +
            "GPG: Good signature from \"Arbor Test <test@example.com>\"\n" +
            "GPG: Primary key ID 19C13E21885860B6\n" +
            "GPG: Signature expires Fri Jan \u20071 21:00:00 2027\n" +
            "GPG: Key expires Fri Jan \u20071 21:00:00 2027\n" +
            "GPG: Primary key expires Fri Jan \u20071 21:00:00 2027\n",
            Good(Sub, Jan2027, Jan2027, Jan2027).Describe("GPG: ", TimeZoneInfo.Utc, utf8: true));

    [Fact]
    public void PrimaryKeyExpiryIsOnlyPrintedForASubkey() =>
        Assert.DoesNotContain("Primary key", Good(Primary, 0, Jan2027, Jan2027).Describe("", TimeZoneInfo.Utc, utf8: false));

    [Fact]
    public void MissingKeyPrintsOnlyTheKeyIdAndSignatureExpiry() =>
        Assert.Equal(
            "Signature made Sun Nov 29 11:44:13 2026 using RSA key ID 2D13D088E72CA4A7\n" +
            "Can't check signature: public key not found\n" +
            "Signature expires Fri Jan ?1 21:00:00 2027\n",
            GpgSignatureResult.Missing("2D13D088E72CA4A7", "RSA", Made, Jan2027).Describe("", TimeZoneInfo.Utc, utf8: false));

    [Theory]
    [InlineData(false, true, false, false, "Key revoked\n")]
    [InlineData(false, false, false, true, "Expired signature from \"Arbor Test <test@example.com>\"\n")]
    [InlineData(false, false, true, false, "BAD signature from \"Arbor Test <test@example.com>\"\n")]
    [InlineData(false, true, true, true, "Key revoked\n")]
    public void VerdictsInOstreeOrder(bool valid, bool revoked, bool keyExpired, bool sigExpired, string verdict)
    {
        var r = Good() with { Valid = valid, KeyRevoked = revoked, KeyExpired = keyExpired, SignatureExpired = sigExpired, KeyExpires = keyExpired ? Jan2027 : 0 };
        var lines = r.Describe("", TimeZoneInfo.Utc, utf8: true).Split('\n');
        Assert.Equal(verdict, lines[1] + "\n");
        if (keyExpired) Assert.Equal("Key expired Fri Jan \u20071 21:00:00 2027", lines[2]);
    }

    [Fact]
    public void KeyIdIsTheFingerprintTail()
    {
        Assert.Equal("B8D07293AF52AACE", Good(Sub).KeyId);
        Assert.Equal("19C13E21885860B6", Good(Sub).PrimaryKeyId);
        Assert.Equal("ABCD", GpgSignatureResult.Missing("ABCD", "RSA", Made, 0).KeyId);
    }
}
