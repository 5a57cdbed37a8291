using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.Signing;

/// <summary>
/// GPG signatures stored as ostree stores them: appended to the <c>aay</c> under
/// <c>ostree.gpgsigs</c> in a commit's detached metadata (<c>ostree_repo_sign_commit</c>), or in
/// <c>summary.sig</c> (<c>ostree_repo_add_gpg_signature_summary</c>). A key that already signed a
/// commit is refused, as ostree refuses it; signatures are matched to a key by issuer key ID.
/// </summary>
public static class GpgSigning
{
    /// <summary>
    /// <paramref name="detached"/> with a signature of <paramref name="commitBytes"/> by
    /// <paramref name="keyId"/> appended (the commit need not be stored yet).
    /// </summary>
    public static VariantDictionary AppendCommitSignature(VariantDictionary? detached, byte[] commitBytes, string keyId, GpgSigner signer)
    {
        var keyIds = signer.ResolveKey(keyId);
        foreach (var sig in SignatureMetadata.Get(detached, SignatureMetadata.GpgKey))
            if (GpgVerifier.IssuerKeyIds(sig).Any(keyIds.Contains))
                throw new SigningException($"Commit is already signed with GPG key {keyId}");
        return SignatureMetadata.Append(detached, SignatureMetadata.GpgKey, signer.Sign(commitBytes, keyId));
    }

    /// <summary><c>ostree gpg-sign COMMIT KEY-ID…</c>: signs a stored commit with each key in turn.</summary>
    public static void SignCommit(Repository repo, Checksum commit, IReadOnlyList<string> keyIds, GpgSigner signer)
    {
        var bytes = repo.LoadMetadata(new ObjectName(commit, ObjectType.Commit));
        using var _ = repo.Lock(exclusive: false);
        foreach (var keyId in keyIds)
        {
            var updated = AppendCommitSignature(repo.LoadDetachedMetadata(commit), bytes, keyId, signer);
            repo.WriteDetachedMetadata(commit, updated);
        }
    }

    /// <summary>
    /// <c>gpg-sign --delete</c>: removes, for each of <paramref name="keyIds"/> (a fingerprint, long or
    /// short key ID), the first of the commit's GPG signatures whose issuer it matches; returns how many.
    /// </summary>
    public static int DeleteCommitSignatures(Repository repo, Checksum commit, IReadOnlyList<string> keyIds)
    {
        using var _ = repo.Lock(exclusive: false);
        var meta = repo.LoadDetachedMetadata(commit);
        var sigs = SignatureMetadata.Get(meta, SignatureMetadata.GpgKey);
        if (sigs.Count == 0) return 0;
        // as ostree_gpg_verify_result_lookup: each KEY-ID names the first signature it matches, so
        // a key that signed twice loses one signature per mention
        var issuers = sigs.Select(GpgVerifier.IssuerKeyIds).ToList();
        var trash = new HashSet<int>();
        foreach (var keyId in keyIds.Select(Normalize))
        {
            int first = issuers.FindIndex(ids => ids.Any(issuer => Matches(keyId, issuer)));
            if (first >= 0) trash.Add(first);
        }
        if (trash.Count == 0) return 0;
        var keep = sigs.Where((_, i) => !trash.Contains(i)).ToList();
        repo.WriteDetachedMetadata(commit, SignatureMetadata.With(meta, SignatureMetadata.GpgKey, keep));
        return sigs.Count - keep.Count;
    }

    /// <summary><c>summary --gpg-sign</c>: signs <c>summary</c> with each key, appending to <c>summary.sig</c>.</summary>
    public static void SignSummary(Repository repo, IReadOnlyList<string> keyIds, GpgSigner signer)
    {
        var summaryPath = repo.FullPath(RepoLayout.Summary);
        if (!File.Exists(summaryPath)) throw new RepoException("openat(summary): No such file or directory");
        var summary = File.ReadAllBytes(summaryPath);
        var sigPath = repo.FullPath(RepoLayout.SummarySig);
        VariantDictionary? meta = File.Exists(sigPath) ? VariantDictionary.Parse(File.ReadAllBytes(sigPath)) : null;
        foreach (var keyId in keyIds)
            meta = SignatureMetadata.Append(meta, SignatureMetadata.GpgKey, signer.Sign(summary, keyId));
        AtomicFile.WriteAllBytes(sigPath, meta!.Serialize(), 0x1A4, repo.Config.Fsync);
    }

    private static string Normalize(string keyId)
    {
        var k = keyId.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        return k.StartsWith("0X", StringComparison.Ordinal) ? k[2..] : k;
    }

    /// <summary>A fingerprint ends with the issuer's key ID; a short key ID is the end of it.</summary>
    private static bool Matches(string keyId, string issuer) =>
        keyId.Length > 0 && (keyId.EndsWith(issuer, StringComparison.Ordinal) || issuer.EndsWith(keyId, StringComparison.Ordinal));
}
