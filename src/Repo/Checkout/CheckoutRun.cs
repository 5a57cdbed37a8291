using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Repo.Checkout;

/// <summary>Everything one checkout shares between its workers: options, object stores, caches, progress.</summary>
internal sealed class CheckoutRun : IDisposable
{
    private readonly Progress.ProgressGate _progressGate = new();
    private long _progressDirs, _progressFiles, _progressBytes;

    public CheckoutRun(Repository repo, CheckoutOptions options)
    {
        Repo = repo;
        Options = options;
        // bare-user-only repositories always check out in user mode ("nothing else makes sense", ostree)
        UserMode = options.Mode == CheckoutMode.User || repo.Mode == RepoMode.BareUserOnly;
        CanonicalDirModes = repo.Mode == RepoMode.BareUserOnly || options.BareUserOnlyDirs;
        Chain = ObjectStore.OpenChain(repo);
        Cache = UncompressedCache.For(repo, options, UserMode);
        Metadata = new MetadataCache(repo, Chain[0]);
        Directories = new PendingDirectoryModes(this);
        Queue = new WorkQueue();
        FileCheckout = new FileCheckout(this);
        if (options.SePolicy is { Enabled: true } policy && !repo.Config.DisableXattrs)
        {
            Labeling = policy;
            var prefix = options.SePolicyPrefix ?? options.Subpath ?? "/";
            LabelPrefix = prefix.EndsWith('/') ? prefix : prefix + "/";
            LabelsDirectoriesAndSymlinks = Labels.SePolicy.HostEnabled;
        }
    }

    /// <summary>The policy labeling this checkout, or null.</summary>
    public Labels.SePolicy? Labeling { get; }

    /// <summary>The path the checkout root is labeled as, ending in "/".</summary>
    public string LabelPrefix { get; } = "/";

    /// <summary>ostree labels directories and symlinks through setfscreatecon, which it skips unless the host runs SELinux.</summary>
    public bool LabelsDirectoriesAndSymlinks { get; }

    /// <summary>The path a file of <paramref name="dir"/> is labeled as (the prefix alone for a single-file checkout, as ostree).</summary>
    public string LabelPath(DirectoryNode dir, ReadOnlySpan<byte> nameZ) =>
        dir.FilterPath is null ? LabelPrefix : LabelPrefix + dir.FilterPath[1..] + CheckoutDirTree.Text(nameZ);

    /// <summary>The xattrs an entry gets from its object: without <c>security.selinux</c> when the policy labels instead.</summary>
    public Objects.XattrList XattrsToApply(Objects.XattrList xattrs) => Labeling is null ? xattrs : Labels.SePolicy.WithoutLabel(xattrs);

    /// <summary>Sets the policy's label of <paramref name="labelPath"/> (no trailing NUL, as ostree's fsetxattr) on an open file or directory.</summary>
    public void SetLabel(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string labelPath, uint mode, string pathForErrors)
    {
        if (Labeling?.Label(labelPath, mode) is { } label)
            Native.Xattrs.Set(handle, LabelName, System.Text.Encoding.UTF8.GetBytes(label), pathForErrors);
    }

    /// <summary>Sets the policy's label of <paramref name="labelPath"/> on a path without following it (symlinks).</summary>
    public void SetLabel(string path, string labelPath, uint mode)
    {
        if (Labeling?.Label(labelPath, mode) is { } label)
            Native.Xattrs.Set(path, LabelName, System.Text.Encoding.UTF8.GetBytes(label));
    }

    private static ReadOnlySpan<byte> LabelName => "security.selinux"u8;

    public Repository Repo { get; }
    public CheckoutOptions Options { get; }
    public bool UserMode { get; }
    public bool CanonicalDirModes { get; }
    public MetadataCache Metadata { get; }
    public ObjectStore[] Chain { get; }
    public ObjectStore Primary => Chain[0];
    /// <summary>The archive repository's uncompressed-objects cache, when this checkout uses it.</summary>
    public UncompressedCache? Cache { get; }
    public PendingDirectoryModes Directories { get; }
    public WorkQueue Queue { get; }
    public FileCheckout FileCheckout { get; }

    /// <summary>True when the checkout is built under a temporary name nobody else can reach yet.</summary>
    public bool Hidden { get; set; }

    /// <summary>Who new files and directories belong to before any chown.</summary>
    public uint EffectiveUid { get; } = Native.Files.EffectiveUid;
    public uint EffectiveGid { get; } = Native.Files.EffectiveGid;

    /// <summary>The process umask (applied by the kernel to the modes given at creation).</summary>
    public uint Umask { get; } = ProcessUmask.Value;

    public bool IsOwnIdentity(uint uid, uint gid) => uid == EffectiveUid && gid == EffectiveGid;

    /// <summary>A directory's mode as ostree applies it: bare-user-only (or -M) keeps only 0775.</summary>
    public uint FinalDirectoryMode(Objects.DirMetaObject meta)
    {
        uint mode = meta.Mode & Objects.ObjectFormats.PermissionMask;
        return CanonicalDirModes ? mode & 0x1FD : mode;
    }

    /// <summary>Whether <paramref name="mode"/> survives the umask and carries no setuid, setgid or sticky bit.</summary>
    public bool CanCreateWith(uint mode) => (mode & Umask) == 0 && (mode & 0xE00) == 0;

    /// <summary>Any store whose objects can be hardlinked in this checkout mode.</summary>
    public bool CanHardlinkFrom(ObjectStore store) =>
        (store.Mode == RepoMode.Bare && !UserMode) || (store.IsUserMode && UserMode);

    /// <summary>Adds a finished batch to the shared totals and reports progress (the first batch at once, then at most every 200 ms).</summary>
    public void ReportProgress(long dirs, long files, long bytes)
    {
        var progress = Options.Progress;
        if (progress is null) return;
        long d = Interlocked.Add(ref _progressDirs, dirs);
        long f = Interlocked.Add(ref _progressFiles, files);
        long b = Interlocked.Add(ref _progressBytes, bytes);
        if (_progressGate.IsDue()) progress.Report(new CheckoutProgress(d, f, b));
    }

    public void Dispose()
    {
        Directories.CloseAll();
        foreach (var s in Chain) s.Dispose();
        Cache?.Dispose();
    }
}
