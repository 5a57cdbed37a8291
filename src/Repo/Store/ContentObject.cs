using Arbor.Repo.Objects;

namespace Arbor.Repo.Store;

/// <summary>
/// A FILE object as read from the store: its metadata, its content size, and a way to read its
/// content. For bare-mode repos <see cref="LoosePath"/> is the object file, which checkouts hardlink.
/// </summary>
public sealed class ContentObject
{
    public required FileHeader Header { get; init; }
    /// <summary>Content size in bytes (0 for symlinks).</summary>
    public required long Size { get; init; }
    /// <summary>Absolute path of the loose object file.</summary>
    public required string LoosePath { get; init; }
    /// <summary>True when the loose file's own inode carries the object's mode/owner (bare, bare-user-only) so it can be hardlinked as is.</summary>
    public required bool IsHardlinkable { get; init; }
    public required Func<Stream> OpenContentStream { internal get; init; }

    /// <summary>Opens the uncompressed content (regular files only).</summary>
    public Stream OpenContent() => Header.IsRegular
        ? OpenContentStream()
        : throw new InvalidOperationException("Symlinks have no content stream");
}
