using System.Diagnostics;
using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Store;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Checkout;

/// <summary>
/// Writes a commit's tree (or part of it) to a directory, with ostree 2022.7's semantics
/// (<c>ostree_repo_checkout_at</c>): hardlinks to the objects where the repository mode allows,
/// copies otherwise, owners and xattrs in normal mode, restrictive directory modes applied last.
/// A destination that did not exist is built under a temporary sibling name and renamed into
/// place at the end, so a failed checkout leaves nothing behind (unless <see cref="CheckoutOptions.InPlace"/>:
/// then it is built under its own name, still 0700 until its subtree is done). Directories are processed by
/// one worker per processor.
/// </summary>
public static class TreeCheckout
{
    /// <summary>Checks out <paramref name="commit"/> (or <see cref="CheckoutOptions.Subpath"/> of it) to <paramref name="destination"/>.</summary>
    public static CheckoutStats Run(Repository repo, Checksum commit, string destination, CheckoutOptions options)
    {
        Validate(options);
        using var run = new CheckoutRun(repo, options);
        var c = run.Metadata.LoadCommit(commit);
        return RunTarget(run, c.RootTree, c.RootMeta, destination);
    }

    /// <summary>Checks out the directory named by a dirtree and dirmeta pair (a subtree; e.g. <c>/usr/etc</c> to <c>/etc</c>).</summary>
    public static CheckoutStats Run(Repository repo, Checksum dirTree, Checksum dirMeta, string destination, CheckoutOptions options)
    {
        Validate(options);
        using var run = new CheckoutRun(repo, options);
        return RunTarget(run, dirTree, dirMeta, destination);
    }

    private static void Validate(CheckoutOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RequireHardlinks && options.ForceCopy)
            throw new ArgumentException("RequireHardlinks and ForceCopy exclude each other", nameof(options));
        if (options.Overwrite == CheckoutOverwriteMode.UnionIdentical && !options.RequireHardlinks)
            throw new ArgumentException("UnionIdentical requires RequireHardlinks", nameof(options));
    }

    private static CheckoutStats RunTarget(CheckoutRun run, Checksum tree, Checksum meta, string destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        var clock = Stopwatch.StartNew();
        var target = SubpathResolver.Resolve(run.Metadata, tree, meta, run.Options.Subpath);
        var (parentPath, name) = Split(destination);
        bool exists = Files.TryLStat(Path.Join(parentPath, name)) is not null;
        if (exists && target is DirectoryTarget && run.Options.Overwrite == CheckoutOverwriteMode.None)
            throw new CheckoutException($"mkdirat: {Errno.Describe(Errno.EEXIST)}");

        using var parent = OpenParent(parentPath);
        string workName = exists || run.Options.InPlace ? name : TempName.Make(".arbor-checkout-");
        string workPath = Path.Join(parentPath, workName);
        try
        {
            run.Hidden = !exists;
            var states = target switch
            {
                DirectoryTarget d => CheckoutDirectory(run, parent, parentPath, workName, d),
                FileTarget f => CheckoutFile(run, parent, workPath, workName, exists, f),
                _ => throw new InvalidOperationException(),
            };
            if (!exists && workName != name && Directory.Exists(workPath)) Publish(run, parent, parentPath, workName, name);
            var stats = WorkerState.Sum(states, clock.Elapsed);
            run.Options.Progress?.Report(new CheckoutProgress(stats.Directories, stats.RegularFiles + stats.Symlinks, stats.BytesCopied));
            return stats;
        }
        catch
        {
            run.Directories.CloseAll();
            if (!exists) RemoveQuietly(workPath);
            throw;
        }
    }

    private static WorkerState[] CheckoutDirectory(CheckoutRun run, SafeFileHandle parent, string parentPath, string name, DirectoryTarget target)
    {
        // paths inside the tree are tracked for the skip list and for labeling
        string? filter = run.Options.Skip is null && run.Labeling is null ? null : "/";
        // a setgid parent hands its group (and setgid) down: then every chown must really happen
        bool parentClean = (Files.FStat(parent, parentPath).Mode & 0x400) == 0;
        var root = new DirectoryWork(run, null, parent, parentPath, Z(name), target.Tree, target.Meta, filter, parentClean);
        int workers = run.Options.MaxParallelism > 0 ? run.Options.MaxParallelism : Environment.ProcessorCount;
        return run.Queue.Run(root, workers);
    }

    /// <summary>A subpath naming a file: the destination is a directory (made 0700 when new) holding that one file.</summary>
    private static WorkerState[] CheckoutFile(CheckoutRun run, SafeFileHandle parent, string path, string name, bool exists, FileTarget target)
    {
        if (!exists)
        {
            int m = AtFiles.TryMkdirAt(parent, Z(name), 0x1C0);
            if (m != 0) throw new CheckoutException($"mkdirat: {Errno.Describe(m)}");
        }
        int e = AtFiles.TryOpenDirectoryAt(parent, Z(name), followSymlinks: true, out var handle);
        if (e != 0) throw new CheckoutException($"opendir({path}): {Errno.Describe(e)}");
        var worker = new WorkerState();
        using (handle)
        {
            var node = new DirectoryNode(null, handle!, path, null, new Objects.DirMetaObject(0, 0, 0x41C0, Objects.XattrList.Empty), didExist: true);
            run.FileCheckout.Checkout(worker, node, Z(target.Name), target.Content);
            if (run.Options.Fsync) Sync.FSync(handle!, path);
        }
        return [worker];
    }

    /// <summary>Renames the finished temporary directory to its name, refusing to replace anything.</summary>
    private static void Publish(CheckoutRun run, SafeFileHandle parent, string parentPath, string workName, string name)
    {
        int e = AtFiles.TryRenameAt(parent, Z(workName), parent, Z(name), Rename.NoReplace);
        if (e == Errno.EEXIST || e == Errno.ENOTEMPTY) throw new CheckoutException($"mkdirat: {Errno.Describe(Errno.EEXIST)}");
        if (e != 0) throw Errno.Error("rename", Path.Join(parentPath, name), e);
        if (run.Options.Fsync) Sync.FSync(parent, parentPath);
    }

    private static SafeFileHandle OpenParent(string parentPath)
    {
        try
        {
            return AtFiles.OpenDirectory(parentPath);
        }
        catch (NativeIOException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR)
        {
            // what ostree reports when it cannot create the destination
            throw new CheckoutException($"mkdirat: {Errno.Describe(e.Errno)}", e);
        }
    }

    /// <summary>The parent directory (absolute) and the last component of a destination; "/" is entered as ".".</summary>
    private static (string Parent, string Name) Split(string destination)
    {
        var full = Path.GetFullPath(destination);
        if (full.Length > 1) full = full.TrimEnd('/');
        if (full == "/") return ("/", ".");
        return (Path.GetDirectoryName(full)!, Path.GetFileName(full));
    }

    private static void RemoveQuietly(string path)
    {
        try
        {
            TreeRemoval.RemoveTree(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the checkout's own error is the one worth reporting; a leftover temporary name is harmless
        }
    }

    private static byte[] Z(string name)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(name) + 1];
        Encoding.UTF8.GetBytes(name, bytes);
        return bytes;
    }
}
