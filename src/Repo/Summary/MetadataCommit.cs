using Arbor.Repo.Commit;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Refs;
using Arbor.Repo.Signing;
using Arbor.Repo.Store;

namespace Arbor.Repo.Summary;

/// <summary>
/// The <c>ostree-metadata</c> commit <c>summary -u</c> writes in a repository with a collection ID
/// (ot-builtin-summary.c): an empty tree (a root directory owned by 0:0, mode 0755), the summary's
/// additional metadata plus the collection and ref bindings (in GVariantDict order), the previous
/// <c>ostree-metadata</c> commit as its parent, signed with the summary's keys, and the
/// collection–ref (COLLECTION-ID, ostree-metadata) moved to it.
/// </summary>
public static class MetadataCommit
{
    /// <summary>ostree's <c>OSTREE_REPO_METADATA_REF</c>.</summary>
    public const string RefName = "ostree-metadata";

    private const uint RootDirMode = 0x41ED; // S_IFDIR | 0755

    public static Checksum Write(Repository repo, string collectionId, IEnumerable<KeyValuePair<string, GVariantValue>>? additionalMetadata,
        IReadOnlyList<string> gpgKeyIds, string? gpgHomedir, SignEngine engine, IReadOnlyList<string> signKeys, TimeProvider? clock = null)
    {
        var parent = RevParser.TryResolve(repo, RefName);
        var dict = new GVariantDict(additionalMetadata ?? []);
        dict.Insert(CommitBuilder.CollectionBindingKey, GVariantValue.String(collectionId));
        dict.Insert(CommitBuilder.RefBindingKey, GVariantValue.StringArray([RefName]));
        var metadata = new VariantDictionary();
        foreach (var (key, value) in dict.End()) metadata.Add(key, value);

        using var tx = repo.BeginTransaction();
        var rootMeta = tx.WriteMetadata(ObjectType.DirMeta, new DirMetaObject(0, 0, RootDirMode, XattrList.Empty).Serialize());
        var rootTree = tx.WriteMetadata(ObjectType.DirTree, new DirTreeObject([], []).Serialize());
        var commitBytes = new CommitObject
        {
            Metadata = metadata,
            Parent = parent,
            Subject = "",
            Body = "",
            Timestamp = CommitBuilder.DefaultTimestamp(clock ?? TimeProvider.System),
            RootTree = rootTree,
            RootMeta = rootMeta,
        }.Serialize();
        var checksum = tx.WriteMetadata(ObjectType.Commit, commitBytes);
        VariantDictionary? detached = null;
        if (gpgKeyIds.Count > 0)
        {
            var signer = new GpgSigner(gpgHomedir);
            foreach (var keyId in gpgKeyIds) detached = GpgSigning.AppendCommitSignature(detached, commitBytes, keyId, signer);
        }
        foreach (var key in signKeys)
            detached = SignatureMetadata.Append(detached, engine.MetadataKey, engine.Sign(commitBytes, key));
        if (detached is not null) tx.WriteDetachedMetadata(checksum, detached);
        tx.SetCollectionRef(collectionId, RefName, checksum);
        tx.Commit();
        return checksum;
    }
}
