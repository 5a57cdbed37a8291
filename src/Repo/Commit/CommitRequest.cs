using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Store;

namespace Arbor.Repo.Commit;

/// <summary>The kinds of input tree <c>commit</c> overlays, in command-line order.</summary>
public enum TreeSourceKind
{
    Directory,
    Tar,
    Ref,
    Git,
}

/// <summary>One <c>--tree=TYPE=VALUE</c> (a positional PATH is a directory). For git, <see cref="Revision"/> is the part after the last ':'.</summary>
public sealed record TreeSource(TreeSourceKind Kind, string Value, string? Revision = null);

/// <summary>Everything <c>ostree commit</c> takes, as typed values (the CLI parses, <see cref="CommitBuilder"/> acts).</summary>
public sealed record CommitRequest
{
    public string? Branch { get; init; }
    public bool Orphan { get; init; }
    /// <summary>"none", a full checksum, or null for the branch's current commit.</summary>
    public string? Parent { get; init; }
    public string Subject { get; init; } = "";
    public string Body { get; init; } = "";
    /// <summary>Seconds since the epoch; null for $SOURCE_DATE_EPOCH or now.</summary>
    public ulong? Timestamp { get; init; }
    public IReadOnlyList<TreeSource> Trees { get; init; } = [];

    public uint? OwnerUid { get; init; }
    public uint? OwnerGid { get; init; }
    public bool CanonicalPermissions { get; init; }
    public bool NoXattrs { get; init; }

    /// <summary>--add-metadata-string, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> MetadataStrings { get; init; } = [];
    /// <summary>--add-metadata (values already parsed from GVariant text), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, GVariantValue>> MetadataVariants { get; init; } = [];
    public IReadOnlyList<string> KeepMetadata { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> DetachedMetadataStrings { get; init; } = [];
    public bool NoBindings { get; init; }
    public IReadOnlyList<string> BindRefs { get; init; } = [];

    public bool SkipIfUnchanged { get; init; }
    public bool LinkCheckoutSpeedup { get; init; }
    public bool TarAutocreateParents { get; init; }
    /// <summary><c>--tar-pathname-filter</c>: rewrites the paths of tar entries.</summary>
    public Arbor.Repo.Import.TarPathnameFilter? TarPathnameFilter { get; init; }
    /// <summary>Delete the input directories once the commit is written.</summary>
    public bool Consume { get; init; }
    /// <summary><c>--generate-sizes</c>: <c>ostree.sizes</c> in the commit metadata (archive repositories only, as in ostree).</summary>
    public bool GenerateSizes { get; init; }
    /// <summary><c>--devino-canonical</c>: a file hardlinked into the repository is that object (implies link-checkout-speedup).</summary>
    public bool DevInoCanonical { get; init; }
    /// <summary><c>--base=REV</c>: the trees are overlaid onto this commit's tree.</summary>
    public string? Base { get; init; }
    /// <summary><c>--bootable</c>: <c>ostree.bootable</c> and <c>ostree.linux</c> from the tree's <c>/usr/lib/modules/VERSION/vmlinuz</c>.</summary>
    public bool Bootable { get; init; }
    /// <summary><c>--mode-ro-executables</c>, <c>--statoverride=FILE</c>, <c>--skip-list=FILE</c>.</summary>
    public bool ReadOnlyExecutables { get; init; }
    /// <summary><c>--selinux-policy</c>: label every entry with the policy of this root file system.</summary>
    public string? SelinuxPolicy { get; init; }
    /// <summary><c>--selinux-policy-from-base</c>: the policy of the <see cref="Base"/> commit, else of the first directory tree.</summary>
    public bool SelinuxPolicyFromBase { get; init; }
    public string? StatOverrideFile { get; init; }
    public string? SkipListFile { get; init; }
    /// <summary>Secret keys of <see cref="SignEngine"/> (<c>--sign</c>) and GPG key IDs (<c>--gpg-sign</c>) the commit is signed with, in order.</summary>
    public IReadOnlyList<string> SignKeys { get; init; } = [];
    public Signing.SignEngine SignEngine { get; init; } = Signing.SignEngine.Ed25519;
    public IReadOnlyList<string> GpgKeyIds { get; init; } = [];
    public string? GpgHomedir { get; init; }
    /// <summary>Where the unmatched statoverride / skip-list paths are listed before the error.</summary>
    public TextWriter Diagnostics { get; init; } = TextWriter.Null;
    /// <summary>False for <c>--fsync=false</c>; null keeps the repository's setting.</summary>
    public bool? Fsync { get; init; }

    /// <summary>Files hashed and written at once (defaults to the number of cores).</summary>
    public int? Parallelism { get; init; }

    /// <summary>Told the transaction's counts while files are committed (at most five times a second).</summary>
    public IProgress<Store.TransactionStats>? Progress { get; init; }
}

/// <summary>The outcome: the commit written, or the parent returned by <c>--skip-if-unchanged</c>.</summary>
public sealed record CommitResult(Checksum Commit, bool Skipped)
{
    /// <summary>The transaction's counts (zero when skipped) and the devino cache hits, for <c>--table-output</c>.</summary>
    public TransactionStats Stats { get; init; } = new(0, 0, 0, 0, 0);
    public int DevInoHits { get; init; }
}
