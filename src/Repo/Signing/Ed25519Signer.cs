using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.Signing;

/// <summary>
/// Signs with Ed25519 as ostree's "sign" API does (pull-protocol.md §5.2): a 64-byte signature over
/// the exact commit object bytes, appended to <c>ostree.sign.ed25519</c> in the commit's detached
/// metadata; for the summary, over the summary bytes into <c>summary.sig</c> (writing those is
/// <see cref="SignEngine"/>'s job, the same for every engine).
/// </summary>
public static class Ed25519Signer
{
    /// <summary>The signature of <paramref name="data"/> with a base64 secret key.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> data, string secretKeyBase64)
    {
        using var key = Ed25519Keys.ParseSecretKey(secretKeyBase64);
        return Ed25519Keys.Sign(key, data);
    }

    /// <summary>Removes the commit's Ed25519 signatures that verify with any of <paramref name="publicKeys"/>; returns how many.</summary>
    public static int DeleteCommitSignatures(Repository repo, Checksum commit, IReadOnlyList<byte[]> publicKeys)
    {
        var bytes = repo.LoadMetadata(new ObjectName(commit, ObjectType.Commit));
        using var _ = repo.Lock(exclusive: false);
        var meta = repo.LoadDetachedMetadata(commit);
        var sigs = SignatureMetadata.Get(meta, SignatureMetadata.Ed25519Key);
        var keep = sigs.Where(s => s.Length != Ed25519Keys.SignatureBytes || !publicKeys.Any(pk => Ed25519Keys.Verify(pk, bytes, s))).ToList();
        if (keep.Count == sigs.Count) return 0;
        repo.WriteDetachedMetadata(commit, SignatureMetadata.With(meta, SignatureMetadata.Ed25519Key, keep));
        return sigs.Count - keep.Count;
    }
}
