using Arbor.Repo.Objects;
using Arbor.Repo.Remotes;

namespace Arbor.Repo.Signing;

/// <summary>
/// The GPG signatures of a fetched summary, checked again for printing as <c>ostree remote
/// summary</c> does (<c>ostree_repo_verify_summary</c>) with the remote's keyrings.
/// </summary>
public static class SummarySignatures
{
    /// <returns>Every signature, good or not; null when <c>summary.sig</c> holds no GPG signature.</returns>
    public static IReadOnlyList<GpgSignatureResult>? Check(RemoteStore store, RemoteConfig remote, byte[] summary, byte[] signature, DateTimeOffset now)
    {
        VariantDictionary meta;
        try { meta = VariantDictionary.Parse(signature); }
        catch (GVariant.GVariantFormatException e) { throw new SigningException($"Invalid summary.sig: {e.Message}"); }
        var sigs = SignatureMetadata.Get(meta, SignatureMetadata.GpgKey);
        return sigs.Count == 0 ? null : GpgKeyrings.ForRemote(store, remote).Verify(summary, sigs, now);
    }
}
