using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Checkout;

/// <summary>
/// Checks out one directory (ostree's <c>checkout_tree_at_recurse</c>): create it 0700 (or enter
/// it in union modes), set its xattrs, then hand out its files and subdirectories as work. Its
/// final mode, owner and mtime wait in <see cref="PendingDirectoryModes"/> until all of that is done.
/// </summary>
internal sealed class DirectoryWork(CheckoutRun run, DirectoryNode? parent, SafeFileHandle parentHandle, string parentPath,
    byte[] nameZ, Checksum tree, Checksum meta, string? filterPath, bool parentClean) : CheckoutWork
{
    /// <summary>Files per batch: large directories are split so both workers can fill them.</summary>
    public const int BatchSize = 256;

    /// <summary>The directory node, once created (the root's is what the caller publishes).</summary>
    public DirectoryNode? Node { get; private set; }

    /// <summary>Whether the root already existed (union modes).</summary>
    public bool RootDidExist { get; private set; }

    public override void Run(WorkerState worker)
    {
        try
        {
            RunCore(worker);
        }
        finally
        {
            // this item holds one pending count in its parent: once the directory exists, the count
            // passes on when its whole subtree is finished; if it never came to exist, release it now
            if (Node is null) run.Directories.Release(parent, worker);
        }
    }

    private void RunCore(WorkerState worker)
    {
        var options = run.Options;
        var dirMeta = run.Metadata.LoadDirMeta(meta);
        var dirTree = run.Metadata.LoadDirTree(tree);
        if (filterPath is not null && options.Skip is { } skip && skip(filterPath))
        {
            worker.Skipped++;
            return;
        }
        string path = Path.Join(parentPath, CheckoutDirTree.Text(nameZ));
        if (options.ProcessDockerWhiteouts && dirTree.Find(System.Text.Encoding.UTF8.GetBytes(Whiteouts.OpaqueName)) >= 0)
            TreeRemoval.RemoveTree(path);

        // Directories start 0700 and get their mode when their subtree is done; inside the hidden
        // temporary root nobody can reach them meanwhile, so a mode with u=rwx is given at once
        uint finalMode = run.FinalDirectoryMode(dirMeta);
        bool modeAtCreation = run.Hidden && parent is not null && parentClean && (finalMode & 0x1C0) == 0x1C0 && run.CanCreateWith(finalMode);
        bool didExist = false;
        int e = AtFiles.TryMkdirAt(parentHandle, nameZ, modeAtCreation ? finalMode : 0x1C0 /* 0700 */);
        if (e == Errno.EEXIST)
        {
            if (options.Overwrite == CheckoutOverwriteMode.None) throw new CheckoutException($"mkdirat: {Errno.Describe(e)}");
            didExist = true;
        }
        else if (e != 0) throw new CheckoutException($"mkdirat: {Errno.Describe(e)}");

        // a directory we made is ours; an existing one is entered as ostree does (following a symlink)
        e = AtFiles.TryOpenDirectoryAt(parentHandle, nameZ, followSymlinks: didExist, out var handle);
        if (e != 0) throw new CheckoutException($"opendir({path}): {Errno.Describe(e)}");
        var node = new DirectoryNode(parent, handle!, path, filterPath, dirMeta, didExist,
            clean: parentClean && !didExist, modeApplied: modeAtCreation && !didExist);
        run.Directories.Add(node);
        Node = node;
        if (parent is null) RootDidExist = didExist;

        if (options.RequireHardlinks && (parent is null || didExist))
        {
            ulong dev = Files.FStat(handle!, path).Device;
            if (dev != run.Primary.Device)
                throw new CheckoutException($"Unable to do hardlink checkout across devices (src={run.Primary.Device} destination={dev})");
        }
        if (!didExist && !run.UserMode)
            foreach (var x in run.XattrsToApply(dirMeta.Xattrs).Items) Native.Xattrs.Set(handle!, x.Name, x.Value, path);
        if (!didExist && run.LabelsDirectoriesAndSymlinks)
            run.SetLabel(handle!, run.LabelPrefix + filterPath![1..], dirMeta.Mode, path);

        try
        {
            Schedule(worker, node, dirTree);
        }
        finally
        {
            run.Directories.Release(node, worker);
        }
    }

    private void Schedule(WorkerState worker, DirectoryNode node, CheckoutDirTree dirTree)
    {
        var options = run.Options;
        bool inlineFiles = dirTree.FileCount <= BatchSize || options.ProcessDockerWhiteouts;
        // Docker whiteouts remove siblings: keep ostree's order (all files, then subdirectories)
        if (options.ProcessDockerWhiteouts) CheckoutFiles(worker, node, dirTree, 0, dirTree.FileCount);

        int batches = inlineFiles ? 0 : (dirTree.FileCount + BatchSize - 1) / BatchSize;
        PendingDirectoryModes.AddPending(node, dirTree.DirCount + batches);
        for (int i = dirTree.DirCount - 1; i >= 0; i--)
        {
            var childName = dirTree.DirNameZ(i).ToArray();
            string? childFilter = node.FilterPath is null ? null : node.FilterPath + CheckoutDirTree.Text(childName) + "/";
            run.Queue.Push(new DirectoryWork(run, node, node.Handle, node.Path, childName, dirTree.DirTree(i), dirTree.DirMeta(i), childFilter, node.Clean));
        }
        for (int b = batches - 1; b >= 0; b--)
            run.Queue.Push(new FileBatchWork(run, node, dirTree, b * BatchSize, Math.Min(dirTree.FileCount, (b + 1) * BatchSize)));
        if (inlineFiles && !options.ProcessDockerWhiteouts) CheckoutFiles(worker, node, dirTree, 0, dirTree.FileCount);
    }

    public static void CheckoutFiles(CheckoutRun run, WorkerState worker, DirectoryNode node, CheckoutDirTree dirTree, int from, int to)
    {
        long before = worker.RegularFiles + worker.Symlinks, bytesBefore = worker.BytesCopied;
        for (int i = from; i < to && !run.Queue.Failed; i++)
            run.FileCheckout.Checkout(worker, node, dirTree.FileNameZ(i), dirTree.FileChecksum(i));
        run.ReportProgress(0, worker.RegularFiles + worker.Symlinks - before, worker.BytesCopied - bytesBefore);
    }

    private void CheckoutFiles(WorkerState worker, DirectoryNode node, CheckoutDirTree dirTree, int from, int to) =>
        CheckoutFiles(run, worker, node, dirTree, from, to);
}

/// <summary>A batch of one large directory's files.</summary>
internal sealed class FileBatchWork(CheckoutRun run, DirectoryNode node, CheckoutDirTree dirTree, int from, int to) : CheckoutWork
{
    public override void Run(WorkerState worker)
    {
        try
        {
            DirectoryWork.CheckoutFiles(run, worker, node, dirTree, from, to);
        }
        finally
        {
            run.Directories.Release(node, worker);
        }
    }
}
