using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Import;
using Arbor.Repo.Labels;
using Arbor.Repo.Objects;
using Arbor.Repo.Refs;
using Arbor.Repo.Signing;
using Arbor.Repo.Store;

namespace Arbor.Repo.Commit;

/// <summary>
/// <c>ostree commit</c>: overlays the input trees in order into one <see cref="MutableTree"/>,
/// writes its dirtrees bottom-up (a last directory input writes them as it completes them) and the commit object, all inside one <see cref="Transaction"/>
/// (a failure leaves nothing behind and moves no ref), then publishes objects, detached metadata
/// and the branch ref together (ot-builtin-commit.c).
/// </summary>
public static class CommitBuilder
{
    public const string RefBindingKey = "ostree.ref-binding";
    public const string CollectionBindingKey = "ostree.collection-binding";

    public static CommitResult Commit(Repository repo, CommitRequest request, TimeProvider? clock = null)
    {
        repo.EnsureWritable();
        // ostree reads the statoverride and skip-list files before anything else
        var filter = request.ReadOnlyExecutables || request.StatOverrideFile is not null || request.SkipListFile is not null
            ? CommitPathFilter.Create(request.ReadOnlyExecutables, request.StatOverrideFile, request.SkipListFile)
            : null;
        if (request.Branch is null && !request.Orphan)
            throw new RepoException("A branch must be specified with --branch, or use --orphan");
        // ostree takes the branch as a refspec: REMOTE:REF writes refs/remotes/REMOTE/REF
        var (branchRemote, branchRef) = request.Branch is { } b ? Refspec.Parse(b) : (null, null);

        var parent = ResolveParent(repo, request);
        if (parent is null && request.KeepMetadata.Count > 0)
            throw new RepoException("Either --branch or --parent must be specified when using --keep-metadata");
        var metadata = BuildMetadata(repo, request, parent);
        var detached = BuildDetachedMetadata(request);
        var modifier = CommitModifier.Create(repo.Mode, request.OwnerUid, request.OwnerGid,
            request.CanonicalPermissions, request.NoXattrs, repo.Config.DisableXattrs, filter);
        if (request.Fsync is false) repo.DisableFsync = true;
        var trees = request.Trees.Count > 0 ? request.Trees : [new TreeSource(TreeSourceKind.Directory, ".")];
        using var policy = OpenPolicy(repo, request, trees[0]);
        if (policy is not null) modifier = modifier with { SePolicy = policy };

        using var tx = repo.BeginTransaction();
        // ostree generates sizes for archive repositories only
        if (request.GenerateSizes && repo.Mode == RepoMode.Archive) tx.Sizes = new ObjectSizeIndex();
        tx.Progress = request.Progress;
        var linkCache = request.LinkCheckoutSpeedup || request.DevInoCanonical ? DevInoCache.Scan(repo) : null;
        var ctx = new ImportContext(tx, modifier, linkCache)
        {
            Parallelism = request.Parallelism ?? Math.Max(1, Environment.ProcessorCount),
            DevInoCanonical = request.DevInoCanonical,
            Consume = request.Consume,
        };
        var root = new MutableTree();
        if (request.Base is { } baseRev)
        {
            var baseCommit = repo.LoadCommit(RevParser.Resolve(repo, baseRev));
            root.TryFillEmptyFromDirTree(repo, baseCommit.RootTree, baseCommit.RootMeta);
        }
        for (int i = 0; i < trees.Count; i++) Overlay(ctx, trees[i], root, request, last: i == trees.Count - 1);
        filter?.ThrowIfUnmatched(request.Diagnostics);

        var (rootTree, rootMeta) = TreeWriter.Write(tx, root);
        if (request.SkipIfUnchanged && parent is { } p)
        {
            var previous = repo.LoadCommit(p);
            if (previous.RootTree == rootTree && previous.RootMeta == rootMeta)
                return new CommitResult(p, Skipped: true); // disposing the transaction discards what was staged
        }

        if (!request.NoBindings) AddBindings(repo, request, ref metadata);
        if (request.Bootable) metadata = BootableMetadata.Add(tx, rootTree, metadata);
        if (tx.Sizes?.ToVariant() is { } sizes) (metadata ??= new VariantDictionary()).Add(ObjectSizeIndex.MetadataKey, sizes);
        var commit = new CommitObject
        {
            Metadata = metadata ?? new VariantDictionary(),
            Parent = parent,
            Subject = request.Subject,
            Body = request.Body,
            Timestamp = request.Timestamp ?? DefaultTimestamp(clock ?? TimeProvider.System),
            RootTree = rootTree,
            RootMeta = rootMeta,
        };
        var commitBytes = commit.Serialize();
        var checksum = tx.WriteMetadata(ObjectType.Commit, commitBytes);
        // signed before the transaction is published, so a failed signature leaves nothing behind
        foreach (var key in request.SignKeys)
            detached = SignatureMetadata.Append(detached, request.SignEngine.MetadataKey, request.SignEngine.Sign(commitBytes, key));
        if (request.GpgKeyIds.Count > 0)
        {
            var signer = new GpgSigner(request.GpgHomedir);
            foreach (var keyId in request.GpgKeyIds) detached = GpgSigning.AppendCommitSignature(detached, commitBytes, keyId, signer);
        }
        if (detached is not null) tx.WriteDetachedMetadata(checksum, detached);
        var stats = tx.Stats;
        if (branchRef is not null) tx.SetRef(branchRemote, branchRef, checksum);
        tx.Commit();
        // ostree_repo_commit_transaction: a transaction that moved refs regenerates the summary
        // when core.auto-update-summary is set
        if (request.Branch is not null) Summary.SummaryWriter.MaybeRegenerate(repo);

        if (request.Consume) Consume(trees);
        return new CommitResult(checksum, Skipped: false) { Stats = stats, DevInoHits = ctx.DevInoHits };
    }

    /// <summary>The labeling policy of <c>--selinux-policy</c> or <c>--selinux-policy-from-base</c> (as ot-builtin-commit.c picks it), or null.</summary>
    private static SePolicy? OpenPolicy(Repository repo, CommitRequest request, TreeSource first)
    {
        if (request.SelinuxPolicy is not null && request.SelinuxPolicyFromBase)
            throw new RepoException("Cannot specify both --selinux-policy and --selinux-policy-from-base");
        if (request.SelinuxPolicy is { } root) return SePolicy.Open(root);
        if (!request.SelinuxPolicyFromBase) return null;
        if (request.Base is { } baseRev) return SePolicy.FromCommit(repo, RevParser.Resolve(repo, baseRev));
        return first.Kind switch
        {
            TreeSourceKind.Directory => SePolicy.Open(first.Value),
            TreeSourceKind.Tar => throw new RepoException("Cannot use --selinux-policy-from-base with tar"),
            _ => null,
        };
    }

    private static Checksum? ResolveParent(Repository repo, CommitRequest request)
    {
        if (request.Parent is { } p)
        {
            if (p == "none") return null;
            return Checksum.TryParse(p, out var c) ? c : throw new RepoException($"Invalid rev {p}");
        }
        if (request.Orphan || request.Branch is null) return null;
        // a directory of refs named like the branch: no parent, the ref write then replaces it or says "Conflict"
        try { return RevParser.TryResolve(repo, request.Branch); }
        catch (RefIsDirectoryException) { return null; }
    }

    /// <summary>
    /// Overlays one input tree. The <paramref name="last"/> one may seal what it completes (nothing
    /// will be overlaid into it afterwards), so a directory input streams its dirtrees out as it
    /// goes instead of holding the whole tree until <see cref="TreeWriter.Write"/>.
    /// </summary>
    private static void Overlay(ImportContext ctx, TreeSource tree, MutableTree root, CommitRequest request, bool last)
    {
        switch (tree.Kind)
        {
            case TreeSourceKind.Directory:
                ctx.Transaction.Sizes?.Restart();
                DirectoryImporter.Import(ctx, tree.Value, root, seal: last);
                break;
            case TreeSourceKind.Tar:
                ctx.Transaction.Sizes?.Restart();
                TarImporter.Import(ctx, tree.Value, root, request.TarAutocreateParents, request.TarPathnameFilter);
                break;
            case TreeSourceKind.Ref:
                ctx.Transaction.Sizes?.Restart();
                CommitTreeImporter.Import(ctx, RevParser.Resolve(ctx.Repository, tree.Value), root);
                break;
            case TreeSourceKind.Git:
                GitTreeImporter.Import(ctx, tree.Value, tree.Revision ?? "HEAD", root);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tree));
        }
    }

    /// <summary>
    /// Commit metadata in ostree's order: every --add-metadata-string, then every --add-metadata,
    /// then the kept keys (duplicates are kept, as GVariantBuilder keeps them).
    /// </summary>
    private static VariantDictionary? BuildMetadata(Repository repo, CommitRequest request, Checksum? parent)
    {
        if (request.MetadataStrings.Count == 0 && request.MetadataVariants.Count == 0 && request.KeepMetadata.Count == 0 && !request.Bootable)
            return null;
        var metadata = new VariantDictionary();
        foreach (var (k, v) in request.MetadataStrings) metadata.Add(k, GVariantValue.String(v));
        foreach (var (k, v) in request.MetadataVariants) metadata.Add(k, v);
        if (request.KeepMetadata.Count > 0)
        {
            var previous = repo.LoadCommit(parent!.Value).Metadata;
            foreach (var key in request.KeepMetadata)
            {
                // GVariantDict keeps the last of duplicate keys
                var value = previous.Entries.LastOrDefault(e => e.Key == key).Value
                    ?? throw new RepoException($"Missing metadata key '{key}' from commit '{parent}'");
                metadata.Add(key, value);
            }
        }
        return metadata;
    }

    private static VariantDictionary? BuildDetachedMetadata(CommitRequest request)
    {
        if (request.DetachedMetadataStrings.Count == 0) return null;
        var detached = new VariantDictionary();
        foreach (var (k, v) in request.DetachedMetadataStrings) detached.Add(k, GVariantValue.String(v));
        return detached;
    }

    /// <summary><c>ostree.ref-binding</c> (branch and --bind-ref, strcmp-sorted), then the repo's collection binding.</summary>
    private static void AddBindings(Repository repo, CommitRequest request, ref VariantDictionary? metadata)
    {
        bool hadCollectionBinding = metadata?.ContainsKey(CollectionBindingKey) ?? false;
        metadata ??= new VariantDictionary();
        var refs = new List<string>();
        if (request.Branch is { } branch) refs.Add(branch);
        refs.AddRange(request.BindRefs);
        refs.Sort(string.CompareOrdinal);
        metadata.Add(RefBindingKey, GVariantValue.StringArray(refs));
        if (!hadCollectionBinding && repo.Config.CollectionId is { } id)
            metadata.Add(CollectionBindingKey, GVariantValue.String(id));
    }

    /// <summary>$SOURCE_DATE_EPOCH when set (as ostree_repo_write_commit reads it), else now.</summary>
    internal static ulong DefaultTimestamp(TimeProvider clock)
    {
        var env = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        if (env is null) return (ulong)clock.GetUtcNow().ToUnixTimeSeconds();
        var (seconds, anyDigits, outOfRange) = GAsciiNumber.ReadInt64(env);
        if (outOfRange) throw new RepoException("Parsing SOURCE_DATE_EPOCH: Numerical result out of range");
        if (!anyDigits) throw new RepoException("Failed to convert SOURCE_DATE_EPOCH");
        return unchecked((ulong)seconds);
    }

    /// <summary><c>--consume</c>: the committed input directories are removed (the current directory itself is kept).</summary>
    private static void Consume(IReadOnlyList<TreeSource> trees)
    {
        foreach (var tree in trees)
        {
            if (tree.Kind != TreeSourceKind.Directory) continue;
            if (tree.Value is "." or "./")
                foreach (var entry in new DirectoryInfo(tree.Value).EnumerateFileSystemInfos())
                {
                    if (entry is DirectoryInfo { LinkTarget: null } d) d.Delete(recursive: true);
                    else entry.Delete();
                }
            else
                Directory.Delete(tree.Value, recursive: true);
        }
    }
}
