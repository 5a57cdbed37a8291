using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.Signing;

/// <summary>
/// One signature type of ostree's sign API (<c>OstreeSign</c>): its name, the metadata key its
/// signatures live under (<c>ostree.sign.NAME</c>, an <c>aay</c>), signing with a secret key, and
/// verifiers built from public keys given as KEY-IDs (<c>add_pk</c>) or loaded from a key file or
/// the trusted/revoked key directories (<c>load_pk</c>).
/// </summary>
public abstract class SignEngine
{
    public static readonly SignEngine Ed25519 = new Ed25519SignEngine();
    public static readonly SignEngine Dummy = new DummySignEngine();

    /// <summary>The engine named <paramref name="name"/>; ostree's error for any other name.</summary>
    public static SignEngine ByName(string name) => name switch
    {
        SignTypes.Ed25519 => Ed25519,
        SignTypes.Dummy => Dummy,
        _ => throw new SigningException("Requested signature type is not implemented"),
    };

    public abstract string Name { get; }

    public string MetadataKey => "ostree.sign." + Name;

    /// <summary>Fails as ostree's <c>set_sk</c> does when the secret key cannot be used; call before any work.</summary>
    public abstract void CheckSecretKey(string secretKey);

    /// <summary>The signature of <paramref name="data"/> with <paramref name="secretKey"/>.</summary>
    public abstract byte[] Sign(ReadOnlySpan<byte> data, string secretKey);

    /// <summary>
    /// A verifier trusting <paramref name="publicKeys"/> (each added as ostree's <c>add_pk</c>) and,
    /// when <paramref name="load"/> is set, the keys <c>load_pk</c> finds: those of
    /// <paramref name="keysFile"/>, else the trusted keys (minus revoked ones) under
    /// <paramref name="keysDir"/> or the system directories.
    /// </summary>
    public abstract ISignatureVerifier Verifier(IReadOnlyList<string> publicKeys, bool load = false, string? keysFile = null, string? keysDir = null);

    /// <summary>Appends a signature of <paramref name="commit"/> to its detached metadata (ostree_sign_commit).</summary>
    public void SignCommit(Repository repo, Checksum commit, string secretKey)
    {
        var bytes = repo.LoadMetadata(new ObjectName(commit, ObjectType.Commit));
        var signature = Sign(bytes, secretKey);
        using var _ = repo.Lock(exclusive: false);
        var meta = repo.LoadDetachedMetadata(commit);
        repo.WriteDetachedMetadata(commit, SignatureMetadata.Append(meta, MetadataKey, signature));
    }

    /// <summary>Signs the repository's <c>summary</c> with each key, appending to <c>summary.sig</c> (ostree_sign_summary).</summary>
    public void SignSummary(Repository repo, IReadOnlyList<string> secretKeys)
    {
        if (secretKeys.Count == 0) throw new SigningException("No keys passed for signing summary");
        var summaryPath = repo.FullPath(RepoLayout.Summary);
        if (!File.Exists(summaryPath)) throw new RepoException("opening summary: openat(summary): No such file or directory");
        var summary = File.ReadAllBytes(summaryPath);
        var sigPath = repo.FullPath(RepoLayout.SummarySig);
        VariantDictionary? meta = File.Exists(sigPath) ? VariantDictionary.Parse(File.ReadAllBytes(sigPath)) : null;
        foreach (var key in secretKeys)
            meta = SignatureMetadata.Append(meta, MetadataKey, Sign(summary, key));
        AtomicFile.WriteAllBytes(sigPath, meta!.Serialize(), 0x1A4, repo.Config.Fsync);
    }
}
