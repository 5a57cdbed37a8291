using Arbor.Repo.Native;

namespace Arbor.Repo.Checkout;

/// <summary>
/// Directories are created 0700 and get their real mode, owner and mtime only once everything
/// below them is written, children first, as ostree does after its recursion: a restrictive mode
/// (0500, 0000) cannot stop the checkout from filling the directory, and nobody else can use a
/// half-built one. With parallel workers the order comes from a count of pending work per
/// directory; whoever finishes a directory's last piece applies its metadata and then releases
/// the parent. Directories never finished (a failed checkout) are closed by <see cref="CloseAll"/>.
/// </summary>
internal sealed class PendingDirectoryModes(CheckoutRun run)
{
    private readonly List<DirectoryNode> _open = [];

    /// <summary>Tracks a new directory; it holds one pending count for its own processing.</summary>
    public void Add(DirectoryNode node)
    {
        lock (_open) _open.Add(node);
    }

    /// <summary>Registers <paramref name="count"/> more pieces of work inside <paramref name="node"/>.</summary>
    public static void AddPending(DirectoryNode node, int count) => Interlocked.Add(ref node.Pending, count);

    /// <summary>One piece of work inside <paramref name="node"/> is done; finishes every directory that became complete.</summary>
    public void Release(DirectoryNode? node, WorkerState worker)
    {
        while (node is not null && Interlocked.Decrement(ref node.Pending) == 0)
        {
            Finish(node);
            worker.Directories++;
            run.ReportProgress(1, 0, 0);
            node = node.Parent;
        }
    }

    private void Finish(DirectoryNode node)
    {
        var h = node.Handle;
        if (!node.DidExist)
        {
            if (!node.ModeApplied) Files.FChmod(h, run.FinalDirectoryMode(node.Meta), node.Path);
            if (!run.UserMode && !(node.Clean && run.IsOwnIdentity(node.Meta.Uid, node.Meta.Gid)))
                Files.FChown(h, node.Meta.Uid, node.Meta.Gid, node.Path);
            // a constant mtime for every checkout, except copies (which mostly serve /etc)
            if (!run.Options.ForceCopy) Files.FSetMtime(h, 0, node.Path);
        }
        if (run.Options.Fsync) Sync.FSync(h, node.Path);
        h.Dispose();
    }

    /// <summary>Closes the directories of an abandoned checkout.</summary>
    public void CloseAll()
    {
        lock (_open)
        {
            foreach (var n in _open) n.Handle.Dispose();
            _open.Clear();
        }
    }
}
