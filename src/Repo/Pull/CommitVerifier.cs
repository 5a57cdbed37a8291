using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Remotes;
using Arbor.Repo.Signing;
using Arbor.Repo.Store;

namespace Arbor.Repo.Pull;

/// <summary>
/// The signature policy of one remote, applied to each pulled commit and to the summary
/// (pull-protocol.md §5): <c>gpg-verify</c> / <c>gpg-verify-summary</c> with the remote's
/// keyrings, <c>sign-verify</c> / <c>sign-verify-summary</c> with the sign engines and keys they
/// name (<see cref="RemoteSignVerifiers"/>). Messages follow ostree 2022.7.
/// </summary>
public sealed class CommitVerifier
{
    private readonly bool _gpgCommits;
    private readonly bool _gpgSummary;
    private readonly Lazy<GpgVerifier>? _gpg;
    private readonly RemoteSignVerifiers? _signCommits;
    private readonly RemoteSignVerifiers? _signSummary;

    private CommitVerifier(bool gpgCommits, bool gpgSummary, Lazy<GpgVerifier>? gpg, RemoteSignVerifiers? signCommits, RemoteSignVerifiers? signSummary)
    {
        _gpgCommits = gpgCommits;
        _gpgSummary = gpgSummary;
        _gpg = gpg;
        _signCommits = signCommits;
        _signSummary = signSummary;
    }

    public static readonly CommitVerifier None = new(false, false, null, null, null);

    public bool VerifiesCommits => _gpgCommits || _signCommits is not null;
    public bool VerifiesSummary => _gpgSummary || _signSummary is not null;

    /// <param name="gpgCommits">Overrides the remote's <c>gpg-verify</c> (pull-local's --gpg-verify).</param>
    public static CommitVerifier For(RemoteStore store, RemoteConfig remote, bool? gpgCommits = null, bool? gpgSummary = null)
    {
        bool gc = gpgCommits ?? remote.GpgVerify;
        bool gs = gpgSummary ?? remote.GpgVerifySummary;
        Lazy<GpgVerifier>? gpg = gc || gs ? new(() => GpgKeyrings.ForRemote(store, remote)) : null;
        // as ostree's _signapi_init_for_remote: both options are read (and their keys loaded) up front
        var sc = RemoteSignVerifiers.For(store, remote, "sign-verify");
        var ss = RemoteSignVerifiers.For(store, remote, "sign-verify-summary");
        return new CommitVerifier(gc, gs, gpg, sc, ss);
    }

    /// <summary>Checks a commit's signatures; <paramref name="detached"/> is its <c>.commitmeta</c>.</summary>
    /// <param name="stored">The commit was in the repository already: ostree then checks it engine by engine (scan_commit_object).</param>
    public void VerifyCommit(Checksum commit, ReadOnlySpan<byte> commitBytes, VariantDictionary? detached, bool stored = false)
    {
        if (_gpgCommits)
        {
            var sigs = SignatureMetadata.Get(detached, SignatureMetadata.GpgKey);
            if (sigs.Count == 0)
                throw new SigningException($"Commit {commit}: GPG verification enabled, but no signatures found (use gpg-verify=false in remote config to disable)");
            try { GpgVerifier.RequireValid(_gpg!.Value.Verify(commitBytes, sigs, DateTimeOffset.UtcNow)); }
            catch (SigningException e) { throw new SigningException($"Commit {commit}: {e.Message}"); }
        }
        if (_signCommits is not null)
        {
            if (stored)
            {
                try { _signCommits.VerifyStored(commitBytes, detached); }
                catch (SigningException e) { throw new SigningException($"Can't verify commit {commit}: {e.Message}"); }
                return;
            }
            // _verify_unwritten_commit
            if (detached is null) throw new SigningException("Can't verify commit without detached metadata");
            try { _signCommits.Verify(commitBytes, detached); }
            catch (SigningException e) { throw new SigningException($"Can't verify commit: {e.Message}"); }
        }
    }

    /// <summary>Checks <c>summary.sig</c> over the exact summary bytes when the remote requires it.</summary>
    public void VerifySummary(byte[]? summary, byte[]? signature, string summaryUrl)
    {
        if (!VerifiesSummary) return;
        if (_gpgSummary)
        {
            if (summary is null)
                throw new SigningException("GPG verification enabled, but no summary found (check that the configured URL in remote config is correct)");
            if (signature is null)
                throw new SigningException("GPG verification enabled, but no summary signatures found (use gpg-verify-summary=false in remote config to disable)");
        }
        if (_signSummary is not null && (summary is null || signature is null))
            throw new SigningException("Signatures verification enabled, but no summary.sig found (use sign-verify-summary=false in remote config to disable)");
        // GLib reads data that is not a well-formed a{sv} as an empty one (g_variant_new_from_bytes)
        VariantDictionary? sig;
        try { sig = VariantDictionary.Parse(signature!); }
        catch (GVariant.GVariantFormatException) { sig = null; }
        if (_gpgSummary)
        {
            var sigs = SignatureMetadata.Get(sig, SignatureMetadata.GpgKey);
            if (sigs.Count == 0)
                throw new SigningException("GPG verification enabled, but no signatures found (use gpg-verify=false in remote config to disable)");
            try { GpgVerifier.RequireValid(_gpg!.Value.Verify(summary, sigs, DateTimeOffset.UtcNow)); }
            catch (SigningException e) { throw new SigningException($"Summary {summaryUrl}: {e.Message}"); }
        }
        if (_signSummary is not null)
        {
            try { _signSummary.Verify(summary, sig); }
            catch (SigningException e) { throw new SigningException($"Summary {summaryUrl}: {e.Message}"); }
        }
    }

    /// <summary>
    /// ostree_repo_signature_verify_commit_data as <c>admin status --verify</c> uses it: a stored
    /// commit checked against the policy of <paramref name="remoteName"/>. Returns the GPG
    /// signatures (empty when only <c>sign-verify</c> applies); throws ostree's errors when the
    /// commit has no detached metadata, the remote verifies nothing, or no signature is valid.
    /// </summary>
    public static IReadOnlyList<GpgSignatureResult> VerifyStoredCommit(Repository repo, RemoteStore store, string remoteName, Checksum commit)
    {
        var remote = store.Get(remoteName);
        var detached = repo.LoadDetachedMetadata(commit) ?? throw new SigningException("Can't verify commit without detached metadata");
        var verifier = For(store, remote);
        if (!remote.GpgVerify && verifier._signCommits is null)
            throw new SigningException($"Cannot verify commit for remote {remoteName}; GPG verification disabled, and no signapi verifiers configured");
        var bytes = repo.LoadMetadata(new ObjectName(commit, ObjectType.Commit));
        IReadOnlyList<GpgSignatureResult> results = [];
        if (verifier._gpgCommits)
        {
            var sigs = SignatureMetadata.Get(detached, SignatureMetadata.GpgKey);
            if (sigs.Count == 0)
                throw new SigningException("GPG verification enabled, but no signatures found (use gpg-verify=false in remote config to disable)");
            var list = verifier._gpg!.Value.Verify(bytes, sigs, DateTimeOffset.UtcNow);
            GpgVerifier.RequireValid(list);
            results = list;
        }
        if (verifier._signCommits is not null)
        {
            try { verifier._signCommits.Verify(bytes, detached); }
            catch (SigningException e) { throw new SigningException($"Can't verify commit: {e.Message}"); }
        }
        return results;
    }

    /// <summary>
    /// ostree_repo_verify_commit_for_remote as plain <c>admin status</c> calls it (ostree 2022.7 passes
    /// the stateroot as the remote name): a commit without GPG signatures is an error; a remote of that
    /// name that does not exist gives null (ostree's NOT_FOUND, which status passes over silently);
    /// otherwise every signature, good or not, checked with that remote's keyrings.
    /// </summary>
    public static IReadOnlyList<GpgSignatureResult>? DescribeStoredCommitGpg(Repository repo, RemoteStore store, string remoteName, Checksum commit)
    {
        var sigs = SignatureMetadata.Get(repo.LoadDetachedMetadata(commit), SignatureMetadata.GpgKey);
        if (sigs.Count == 0)
            throw new SigningException("GPG verification enabled, but no signatures found (use gpg-verify=false in remote config to disable)");
        if (store.TryGet(remoteName) is not { } remote) return null;
        var bytes = repo.LoadMetadata(new ObjectName(commit, ObjectType.Commit));
        return GpgKeyrings.ForRemote(store, remote).Verify(bytes, sigs, DateTimeOffset.UtcNow);
    }
}
