namespace Arbor.Repo.Checkout;

/// <summary>How <see cref="TreeCheckout"/> writes a tree (ostree's <c>OstreeRepoCheckoutAtOptions</c>).</summary>
public sealed class CheckoutOptions
{
    public static CheckoutOptions Default { get; } = new();

    /// <summary><see cref="CheckoutMode.None"/> applies owners and xattrs; <see cref="CheckoutMode.User"/> is <c>-U</c>.
    /// Bare-user-only repositories always check out in user mode, as ostree does.</summary>
    public CheckoutMode Mode { get; init; }

    public CheckoutOverwriteMode Overwrite { get; init; }

    /// <summary><c>-H</c>: fail instead of copying when a file cannot be hardlinked.</summary>
    public bool RequireHardlinks { get; init; }

    /// <summary><c>-C</c>: never hardlink; directories then keep their creation mtime instead of 0.</summary>
    public bool ForceCopy { get; init; }

    /// <summary><c>--subpath</c>: check out only this path of the tree (resolved as ostree resolves it).</summary>
    public string? Subpath { get; init; }

    /// <summary>overlayfs passthrough whiteouts (<c>--process-passthrough-whiteouts</c>; what deployments use):
    /// a file <c>.ostree-wh.NAME</c> becomes a character device 0:0 named NAME.</summary>
    public bool ProcessWhiteouts { get; init; }

    /// <summary>Docker/OCI whiteouts (<c>--whiteouts</c>): <c>.wh.NAME</c> removes NAME from the destination,
    /// <c>.wh..wh..opq</c> empties the directory first.</summary>
    public bool ProcessDockerWhiteouts { get; init; }

    /// <summary><c>-M</c>: directory modes keep only the bits in 0775 (always so for bare-user-only repos).</summary>
    public bool BareUserOnlyDirs { get; init; }

    /// <summary>fsync every copied file and every directory before the checkout is published (ostree's
    /// <c>enable_fsync</c>; the <c>checkout</c> command leaves it off, as ostree does).</summary>
    public bool Fsync { get; init; }

    /// <summary>Build a new destination directly under its own name instead of a temporary sibling renamed
    /// into place at the end. For owners that can recognise and remove an unfinished tree by its name, as
    /// ostree's deployments are (<c>CHECKSUM.SERIAL</c>, removed by cleanup when no boot entry uses them):
    /// a kill mid-checkout then leaves nothing under a name they do not know.</summary>
    public bool InPlace { get; init; }

    /// <summary>Returns true to skip a path: files as <c>/dir/name</c>, directories as <c>/dir/</c> (<c>--skip-list</c>).</summary>
    public Func<string, bool>? Skip { get; init; }

    /// <summary><c>--selinux-policy</c>: label the checked-out files from this policy (requires <see cref="ForceCopy"/>).
    /// As in ostree, regular files get <c>security.selinux</c> outside user mode; directories and
    /// symlinks only when the running system has SELinux on; the commit's own labels are dropped.</summary>
    public Labels.SePolicy? SePolicy { get; init; }

    /// <summary><c>--selinux-prefix</c>: the path the checkout root is labeled as (default: the subpath, else "/").</summary>
    public string? SePolicyPrefix { get; init; }

    /// <summary>ostree's <c>enable_uncompressed_cache</c>: a user-mode checkout from an archive repository inflates
    /// regular files into the repository's <c>uncompressed-objects-cache/</c> and hardlinks them from there
    /// (ostree's <c>checkout</c> command asks for it unless an option such as <c>--disable-cache</c> sends it
    /// through <c>ostree_repo_checkout_at</c>).</summary>
    public bool UncompressedCache { get; init; }

    /// <summary>Worker threads; 0 means one per processor.</summary>
    public int MaxParallelism { get; init; }

    public IProgress<CheckoutProgress>? Progress { get; init; }
}
