namespace Arbor.Repo.Checkout;

/// <summary>What a finished checkout did.</summary>
public sealed record CheckoutStats
{
    /// <summary>Directories created (or entered, in union modes).</summary>
    public long Directories { get; init; }
    public long RegularFiles { get; init; }
    public long Symlinks { get; init; }
    /// <summary>Files that are hardlinks to repository objects.</summary>
    public long Hardlinked { get; init; }
    /// <summary>Files written as copies (decompressed for archive repos).</summary>
    public long Copied { get; init; }
    public long BytesCopied { get; init; }
    /// <summary>Files left alone: already present (union modes) or skipped by the filter.</summary>
    public long Skipped { get; init; }
    /// <summary>Whiteouts processed (removals and overlayfs character devices).</summary>
    public long Whiteouts { get; init; }
    public TimeSpan Elapsed { get; init; }
}
