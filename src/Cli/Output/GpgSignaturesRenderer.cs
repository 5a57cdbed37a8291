using Arbor.Repo.Core;
using Arbor.Repo.Signing;

namespace Arbor.Cli.Output;

/// <summary>
/// The block <c>ostree show</c> prints after a signed commit: "Found N signature(s):", then for
/// each signature a blank line and its description indented by two spaces; <c>remote summary</c>
/// prints the same after "GPG: Verification enabled, found N signature(s):" (<c>ostree_print_gpg_verify_result</c>). Pure.
/// </summary>
public static class GpgSignaturesRenderer
{
    public const string ShowLead = "Found";
    public const string VerificationLead = "GPG: Verification enabled, found";

    public static void Render(TextWriter w, IReadOnlyList<GpgSignatureResult> signatures, string lead = ShowLead) =>
        Render(w, signatures, TimeZoneInfo.Local, LocaleCharset.IsUtf8, lead);

    /// <summary>With times in <paramref name="zone"/>, for a UTF-8 locale or not.</summary>
    public static void Render(TextWriter w, IReadOnlyList<GpgSignatureResult> signatures, TimeZoneInfo zone, bool utf8, string lead = ShowLead)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(lead).Append(' ').Append(signatures.Count).Append(" signature").Append(signatures.Count == 1 ? "" : "s").Append(":\n");
        foreach (var sig in signatures) sb.Append('\n').Append(sig.Describe("  ", zone, utf8));
        w.Write(sb.ToString());
    }
}
