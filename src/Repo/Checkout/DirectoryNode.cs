using Arbor.Repo.Objects;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Checkout;

/// <summary>
/// A directory of the checkout while its subtree is being written: its open fd (every child is
/// created relative to it), the dirmeta to apply when the subtree is done, and how many pieces of
/// work (its own file batches, its subdirectories) are still pending.
/// </summary>
internal sealed class DirectoryNode(DirectoryNode? parent, SafeFileHandle handle, string path, string? filterPath, DirMetaObject meta, bool didExist,
    bool clean = false, bool modeApplied = false)
{
    public DirectoryNode? Parent { get; } = parent;
    public SafeFileHandle Handle { get; } = handle;
    /// <summary>Absolute path, for messages and the few path-only calls (lsetxattr on symlinks, removals).</summary>
    public string Path { get; } = path;
    /// <summary>The path inside the tree as the skip filter sees it ("/", "/usr/"); null without a filter.</summary>
    public string? FilterPath { get; } = filterPath;
    public DirMetaObject Meta { get; } = meta;
    /// <summary>True when the directory was already there (union modes): its metadata is left alone.</summary>
    public bool DidExist { get; } = didExist;

    /// <summary>
    /// Created by this checkout inside a directory without setgid: it, and everything created in it,
    /// is owned by the effective uid and gid, so a chown to those is skipped.
    /// </summary>
    public bool Clean { get; } = clean;

    /// <summary>The final mode was given at mkdir (possible inside the still-hidden temporary root).</summary>
    public bool ModeApplied { get; } = modeApplied;

    /// <summary>Pending pieces of work, plus one held by the directory's own processing.</summary>
    public int Pending = 1;

    public string ChildPath(ReadOnlySpan<byte> nameZ) => System.IO.Path.Join(Path, CheckoutDirTree.Text(nameZ));
}
