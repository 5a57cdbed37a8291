using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Repo.Checkout;

/// <summary>Everything one checkout shares between its workers: options, object stores, caches, progress.</summary>
internal sealed class CheckoutRun : IDisposable
{
    private const long ProgressIntervalMs = 100;

    private long _progressDirs, _progressFiles, _progressBytes, _nextReport;

    public CheckoutRun(Repository repo, CheckoutOptions options)
    {
        Repo = repo;
        Options = options;
        // bare-user-only repositories always check out in user mode ("nothing else makes sense", ostree)
        UserMode = options.Mode == CheckoutMode.User || repo.Mode == RepoMode.BareUserOnly;
        CanonicalDirModes = repo.Mode == RepoMode.BareUserOnly || options.BareUserOnlyDirs;
        Metadata = new MetadataCache(repo);
        Chain = ObjectStore.OpenChain(repo);
        Directories = new PendingDirectoryModes(this);
        Queue = new WorkQueue();
        FileCheckout = new FileCheckout(this);
    }

    public Repository Repo { get; }
    public CheckoutOptions Options { get; }
    public bool UserMode { get; }
    public bool CanonicalDirModes { get; }
    public MetadataCache Metadata { get; }
    public ObjectStore[] Chain { get; }
    public ObjectStore Primary => Chain[0];
    public PendingDirectoryModes Directories { get; }
    public WorkQueue Queue { get; }
    public FileCheckout FileCheckout { get; }

    /// <summary>Any store whose objects can be hardlinked in this checkout mode.</summary>
    public bool CanHardlinkFrom(ObjectStore store) =>
        (store.Mode == RepoMode.Bare && !UserMode) || (store.IsUserMode && UserMode);

    /// <summary>Adds a finished batch to the shared totals and reports progress at most every 100 ms.</summary>
    public void ReportProgress(long dirs, long files, long bytes)
    {
        var progress = Options.Progress;
        if (progress is null) return;
        long d = Interlocked.Add(ref _progressDirs, dirs);
        long f = Interlocked.Add(ref _progressFiles, files);
        long b = Interlocked.Add(ref _progressBytes, bytes);
        long now = Environment.TickCount64;
        long next = Volatile.Read(ref _nextReport);
        if (now < next || Interlocked.CompareExchange(ref _nextReport, now + ProgressIntervalMs, next) != next) return;
        progress.Report(new CheckoutProgress(d, f, b));
    }

    public void Dispose()
    {
        Directories.CloseAll();
        foreach (var s in Chain) s.Dispose();
    }
}
