using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Remotes;
using Arbor.Repo.Store;

namespace Arbor.Repo.Signing;

/// <summary>
/// The GPG signatures of a commit already in the repository, checked as <c>ostree show</c>
/// checks them: with <c>ostree_repo_verify_commit_for_remote</c> when a remote is named, else
/// <c>ostree_repo_verify_commit_ext</c> (every remote keyring in the repository, the global
/// keyrings and <c>--gpg-homedir</c>).
/// </summary>
public static class StoredCommitSignatures
{
    /// <returns>Every signature, good or not; null when the commit carries no GPG signature (ostree's NO_SIGNATURE).</returns>
    public static IReadOnlyList<GpgSignatureResult>? Check(Repository repo, RemoteStore store, Checksum commit,
        string? remoteName, string? keyringDirectory, DateTimeOffset now)
    {
        var bytes = repo.LoadMetadata(new ObjectName(commit, ObjectType.Commit));
        var sigs = SignatureMetadata.Get(repo.LoadDetachedMetadata(commit), SignatureMetadata.GpgKey);
        if (sigs.Count == 0) return null;
        var verifier = remoteName is not null
            ? GpgKeyrings.ForRemote(store, store.Get(remoteName))
            : GpgKeyrings.ForAllRemotes(store, keyringDirectory);
        return verifier.Verify(bytes, sigs, now);
    }
}
