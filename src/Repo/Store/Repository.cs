using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;
using Arbor.Repo.Refs;

namespace Arbor.Repo.Store;

/// <summary>
/// An OSTree-compatible repository on disk: a thin facade handing out the object reader, the
/// ref store and write transactions. Thread-safe for concurrent reads.
/// </summary>
public sealed class Repository
{
    public string Path { get; }
    public RepoConfig Config { get; private set; }
    public RepoMode Mode { get; }
    public RefStore Refs { get; }
    internal ObjectReader Reader { get; }

    private Repository(string path, RepoConfig config)
    {
        Path = path;
        Config = config;
        Mode = config.Mode;
        Refs = new RefStore(this);
        Reader = new ObjectReader(this);
        PerObjectFsync = config.PerObjectFsync;
    }

    /// <summary>Opens an existing repository; a one-line error in ostree's words ("opening repo: ...") when <paramref name="path"/> is not one.</summary>
    public static Repository Open(string path) => Open(path, []);

    /// <param name="opening">The repositories whose parents are being checked (a loop of <c>core.parent</c>s ends there).</param>
    private static Repository Open(string path, HashSet<string> opening)
    {
        var full = System.IO.Path.GetFullPath(path);
        CheckOpenableDirectory(full, path);
        CheckOpenableDirectory(System.IO.Path.Combine(full, RepoLayout.Objects), RepoLayout.Objects);
        var configPath = System.IO.Path.Combine(full, RepoLayout.Config);
        if (!File.Exists(configPath))
            throw new RepoNotFoundException($"opening repo: openat({RepoLayout.Config}): No such file or directory");
        try
        {
            var config = RepoConfig.Load(configPath);
            if (config.RepoVersion != 1)
                throw new RepoException($"Invalid repository version '{config.RepoVersion}'");
            config.ValidateOpenTimeKeys(); // as ostree's reload_core_config does
            CheckParent(full, config.ParentRepo, opening);
            EnsureTmp(full);
            return new Repository(full, config);
        }
        catch (RepoException e) when (!e.Message.StartsWith("opening repo: ", StringComparison.Ordinal))
        {
            throw new RepoException($"opening repo: {e.Message}", e);
        }
    }

    /// <summary>reload_core_config opens <c>core.parent</c> when the repository opens, so a parent that is no repository fails then.</summary>
    private static void CheckParent(string full, string? parent, HashSet<string> opening)
    {
        if (parent is null || !opening.Add(full)) return;
        try { Open(parent, opening); }
        catch (RepoException e) { throw new RepoException($"While checking parent repository '{parent}': {e.Message}", e); }
        finally { opening.Remove(full); }
    }

    /// <summary>
    /// As ostree_repo_open: a writable repository gets its <c>tmp/</c> back when someone removed it to free space (and
    /// <c>tmp/cache/</c>, unless <c>$OSTREE_SKIP_CACHE</c> is set); an unwritable one without it cannot be opened.
    /// </summary>
    private static void EnsureTmp(string full)
    {
        var tmp = System.IO.Path.Combine(full, RepoLayout.Tmp);
        if (Files.TryAccessWritable(System.IO.Path.Combine(full, RepoLayout.Objects)) == 0)
        {
            try
            {
                Files.TryMkdir(tmp, 0x1FD); // ostree's DEFAULT_DIRECTORY_MODE, 0775
                if (Environment.GetEnvironmentVariable("OSTREE_SKIP_CACHE") is null)
                    Files.TryMkdir(System.IO.Path.Combine(tmp, "cache"), 0x1FD);
            }
            catch (NativeIOException e) { throw new RepoException($"mkdir({(e.PathName == tmp ? "tmp" : "cache")}): {Errno.Describe(e.Errno)}"); }
        }
        CheckOpenableDirectory(tmp, RepoLayout.Tmp);
    }

    /// <summary>ostree opens the repository and its objects directory first: "opening repo: opendir(NAME): strerror".</summary>
    private static void CheckOpenableDirectory(string full, string shown)
    {
        try { AtFiles.OpenDirectory(full).Dispose(); }
        catch (NativeIOException e)
        {
            var message = $"opening repo: opendir({shown}): {Errno.Describe(e.Errno)}";
            throw e.Errno == Errno.ENOENT ? new RepoNotFoundException(message) : new RepoException(message);
        }
    }

    /// <summary>Creates a repository (or re-opens one of the same mode), as <c>ostree init --mode</c>.</summary>
    public static Repository Create(string path, RepoMode mode, string? collectionId = null)
    {
        var full = System.IO.Path.GetFullPath(path);
        var configPath = System.IO.Path.Combine(full, RepoLayout.Config);
        if (collectionId is not null) CollectionRefListing.ValidateCollectionId(collectionId);
        // ostree_repo_create on an existing repository (one with objects/) opens it and keeps its config, whatever the
        // mode asked for; without objects/ it makes what is missing, keeping a config that is there
        if (Files.TryLStat(System.IO.Path.Combine(full, RepoLayout.Objects)) is not null) return Open(full);
        bool hadConfig = File.Exists(configPath);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full.TrimEnd('/')) ?? "/");
            Files.TryMkdir(full, 0x1FF); // as Directory.CreateDirectory did: 0777 & ~umask
        }
        catch (NativeIOException e)
        {
            throw new RepoException($"Creating repo: mkdirat: {Errno.Describe(e.Errno)}");
        }
        // as repo_create_at_internal: the config first, objects/ last, so a repository with objects/ is complete
        var config = hadConfig ? null : RepoConfig.CreateNew(configPath, mode, collectionId);
        config?.Save();
        foreach (var dir in RepoLayout.InitDirectories)
            Files.TryMkdir(System.IO.Path.Combine(full, dir), 0x1FD /* 0775 & ~umask */);
        return config is null ? Open(full) : new Repository(full, config);
    }

    /// <summary>Skips fsync/syncfs in transactions (ostree_repo_set_disable_fsync, <c>--fsync=false</c>).</summary>
    public bool DisableFsync { get; set; }

    /// <summary>fsync each object as it is written (<c>core.per-object-fsync</c>, or <c>pull --per-object-fsync</c>):
    /// steady back-pressure instead of one large sync when the transaction commits.</summary>
    public bool PerObjectFsync { get; set; }

    public void ReloadConfig() => Config = RepoConfig.Load(Config.Path);

    public string FullPath(string relative) => System.IO.Path.Combine(Path, relative);

    public string ObjectPath(ObjectName name) => FullPath(RepoLayout.ObjectPath(name, Mode));

    // ---- reading ----

    public bool HasObject(ObjectName name) => Reader.Has(name);
    public bool HasObject(Checksum checksum, ObjectType type) => Reader.Has(new ObjectName(checksum, type));

    /// <summary>The raw bytes of a metadata object (commit, dirtree, dirmeta, commitmeta, tombstone).</summary>
    public byte[] LoadMetadata(ObjectName name) => Reader.LoadMetadata(name);
    public byte[]? TryLoadMetadata(ObjectName name) => Reader.TryLoadMetadata(name);

    public CommitObject LoadCommit(Checksum checksum) => CommitObject.Parse(LoadMetadata(new(checksum, ObjectType.Commit)));
    public DirTreeObject LoadDirTree(Checksum checksum) => DirTreeObject.Parse(LoadMetadata(new(checksum, ObjectType.DirTree)));
    public DirMetaObject LoadDirMeta(Checksum checksum) => DirMetaObject.Parse(LoadMetadata(new(checksum, ObjectType.DirMeta)));

    /// <summary>The detached metadata of a commit, or null when it has none.</summary>
    public VariantDictionary? LoadDetachedMetadata(Checksum commit)
    {
        var bytes = Reader.TryLoadMetadata(new ObjectName(commit, ObjectType.CommitMeta));
        if (bytes is null) return null;
        try { return VariantDictionary.Parse(bytes); }
        catch (GVariant.GVariantFormatException e)
        {
            // what GLib takes for normal is stored as it is by a pull (a variant nested 128 deep, an
            // empty tuple without its offsets); anything else ostree reads as trusted, undefined (and
            // `show` crashes), so it is an error here
            if (GVariant.GVariantNormalizer.IsGLibNormal(bytes, GVariant.GVariantType.VarDict)) return VariantDictionary.ParseLenient(bytes);
            throw new CorruptObjectException($"Invalid detached metadata of commit {commit}: {e.Message}", e);
        }
    }

    /// <summary>Opens a FILE object: its header and content, per repo mode.</summary>
    public ContentObject LoadContent(Checksum checksum) => Reader.LoadContent(checksum);

    /// <summary>True when <c>state/C.commitpartial</c> marks the commit as not fully present.</summary>
    public bool IsCommitPartial(Checksum commit) => File.Exists(FullPath(RepoLayout.CommitPartialPath(commit)));

    // ---- writing ----

    /// <summary>Fails as ostree_ensure_repo_writable does when the objects directory cannot be written.</summary>
    public void EnsureWritable()
    {
        int e = Files.TryAccessWritable(FullPath(RepoLayout.Objects));
        if (e != 0) throw new RepoException($"Cannot write to repository: {Errno.Describe(e)}");
    }

    /// <summary>Starts a write transaction (objects staged, then published; refs written last).</summary>
    public Transaction BeginTransaction() => new(this);

    /// <summary>Takes the repo lock; exclusive for prune and deletions.</summary>
    public RepoLock Lock(bool exclusive) =>
        Config.Locking ? RepoLock.Acquire(Path, exclusive, Config.LockTimeoutSeconds) : RepoLock.None(Path);

    /// <summary>
    /// Replaces the detached metadata of a commit. As ostree_repo_write_commit_detached_metadata, an
    /// empty dictionary (or null) leaves an empty file, not none: a pull then replaces the puller's
    /// copy with it, where a missing file would leave the old one (signatures included) in place.
    /// </summary>
    public void WriteDetachedMetadata(Checksum commit, VariantDictionary? metadata)
    {
        var path = FullPath(RepoLayout.CommitMetaPath(commit));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllBytes(path, metadata?.Serialize() ?? [], 0x1A4, Config.Fsync);
    }

    public void MarkCommitPartial(Checksum commit, bool partial)
    {
        var path = FullPath(RepoLayout.CommitPartialPath(commit));
        if (partial)
        {
            Directory.CreateDirectory(FullPath(RepoLayout.State));
            if (!File.Exists(path)) File.WriteAllBytes(path, []);
        }
        else if (File.Exists(path)) File.Delete(path);
    }
}
