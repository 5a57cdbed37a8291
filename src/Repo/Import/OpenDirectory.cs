using Arbor.Repo.Commit;

namespace Arbor.Repo.Import;

/// <summary>
/// A directory of a <see cref="DirectoryImporter"/> walk that is not finished yet: its node and
/// how many things it still waits for — one per file whose object is still being written, one per
/// subdirectory not finished yet, and one while the walk is still listing it. The thread that
/// brings the count to zero finishes the directory: when sealing, its dirtree is written and the
/// node collapsed to its checksums (<see cref="TreeWriter.Seal"/>), so a finished subtree costs no
/// memory; then the parent is told that one of the things it waits for is done.
/// </summary>
internal sealed class OpenDirectory
{
    private readonly ImportContext _ctx;
    private readonly OpenDirectory? _parent;
    private readonly bool _seal;
    private int _pending = 1; // the walk, until it has listed every entry
    private int _files; // file jobs handed out for this directory (read once the count is zero)

    private OpenDirectory(ImportContext ctx, OpenDirectory? parent, MutableTree node, bool seal)
    {
        _ctx = ctx;
        _parent = parent;
        Node = node;
        _seal = seal;
    }

    public MutableTree Node { get; }

    /// <summary>The directory the walk starts at; <paramref name="seal"/>: seal each directory when it is finished.</summary>
    public static OpenDirectory Root(ImportContext ctx, MutableTree node, bool seal) => new(ctx, null, node, seal);

    /// <summary>A subdirectory found by the walk; this directory waits for it.</summary>
    public OpenDirectory Subdirectory(MutableTree node)
    {
        Interlocked.Increment(ref _pending);
        return new OpenDirectory(_ctx, this, node, _seal);
    }

    /// <summary>A file handed to a worker; this directory waits for <see cref="FileDone"/>.</summary>
    public void FileStarted()
    {
        _files++; // the walk hands out files one at a time
        Interlocked.Increment(ref _pending);
    }

    /// <summary>A worker stored the file's object and entered it in <see cref="Node"/>.</summary>
    public void FileDone()
    {
        _ctx.CountHeldFiles(1);
        Release();
    }

    /// <summary>The walk has listed every entry of this directory.</summary>
    public void ListingDone() => Release();

    private void Release()
    {
        if (Interlocked.Decrement(ref _pending) != 0) return;
        if (_seal)
        {
            TreeWriter.Seal(_ctx.Transaction, Node);
            _ctx.CountHeldFiles(-Volatile.Read(ref _files));
        }
        _parent?.Release();
    }
}
