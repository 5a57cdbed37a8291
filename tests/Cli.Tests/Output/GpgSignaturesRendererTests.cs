using Arbor.Cli.Output;
using Arbor.Repo.Signing;

namespace Arbor.Cli.Tests.Output;

/// <summary>The block <c>ostree show</c> prints after a signed commit.</summary>
public sealed class GpgSignaturesRendererTests
{
    private static string Render(params GpgSignatureResult[] sigs)
    {
        var w = new StringWriter();
        GpgSignaturesRenderer.Render(w, sigs, TimeZoneInfo.Utc, utf8: true);
        return w.ToString();
    }

    [Fact]
    public void OneSignature() =>
        Assert.Equal(
            "Found 1 signature:\n\n" +
            "  Signature made Sun Nov 29 11:44:13 2026 using EdDSA key ID 19C13E21885860B6\n" +
            "  Can't check signature: public key not found\n",
            Render(GpgSignatureResult.Missing("19C13E21885860B6", "EdDSA", 1795952653, 0)));

    [Fact]
    public void EachSignatureAfterABlankLine() =>
        Assert.Equal(
            "Found 2 signatures:\n\n" +
            "  Signature made Sun Nov 29 11:44:13 2026 using EdDSA key ID 19C13E21885860B6\n" +
            "  Can't check signature: public key not found\n\n" +
            "  Signature made Sun Nov 29 11:44:13 2026 using RSA key ID 2D13D088E72CA4A7\n" +
            "  Good signature from \"Other Signer <other@example.com>\"\n" +
            "  Key expires Fri Jan \u20071 17:00:00 2027\n",
            Render(
                GpgSignatureResult.Missing("19C13E21885860B6", "EdDSA", 1795952653, 0),
                new GpgSignatureResult("1276EDA227F29AC480A75D452D13D088E72CA4A7", "RSA", 1795952653, 0, true, false, false, false, false,
                    "1276EDA227F29AC480A75D452D13D088E72CA4A7", "Other Signer", "other@example.com", "Other Signer <other@example.com>", 1798822800, 1798822800)));

    [Fact]
    public void RemoteSummaryLead()
    {
        var w = new StringWriter();
        GpgSignaturesRenderer.Render(w, [GpgSignatureResult.Missing("19C13E21885860B6", "EdDSA", 1795952653, 0)], TimeZoneInfo.Utc, utf8: false, GpgSignaturesRenderer.VerificationLead);
        Assert.StartsWith("GPG: Verification enabled, found 1 signature:\n\n  Signature made ", w.ToString());
    }
}
