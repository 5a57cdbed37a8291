using System.Collections.Concurrent;
using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.Commit;

/// <summary>
/// What every importer (directory, tar, commit, git tree) writes through: the open transaction,
/// the modifier, and the caches that let a file be committed without reading it again.
/// </summary>
public sealed class ImportContext
{
    private readonly ConcurrentDictionary<(ulong Dev, ulong Ino), Checksum> _inputHardlinks = new();
    private readonly ConcurrentDictionary<Checksum, byte> _dirMetas = new();
    private int _devInoHits;
    private int _heldFiles;
    private int _peakHeldFiles;

    public ImportContext(Transaction transaction, CommitModifier modifier, DevInoCache? linkCache = null)
    {
        Transaction = transaction;
        Modifier = modifier;
        LinkCache = linkCache;
    }

    public Transaction Transaction { get; }
    public Repository Repository => Transaction.Repository;
    public CommitModifier Modifier { get; }

    /// <summary>Objects of the repository by inode (<c>--link-checkout-speedup</c>), or null.</summary>
    public DevInoCache? LinkCache { get; }

    /// <summary><c>--devino-canonical</c>: a file found in <see cref="LinkCache"/> is taken as that object, unfiltered and unmodified.</summary>
    public bool DevInoCanonical { get; init; }

    /// <summary>
    /// <c>--consume</c>: the input goes once committed, so a bare or bare-user-only repository may
    /// adopt its regular files as objects (<see cref="Transaction.AdoptContent"/>), as ostree does.
    /// </summary>
    public bool Consume { get; init; }

    private ulong? _repositoryDevice;

    /// <summary>True if a file on <paramref name="device"/> may be adopted: consumed input on the repository's file system, in a mode that adopts.</summary>
    internal bool MayAdopt(ulong device) =>
        Consume && Repository.Mode is RepoMode.Bare or RepoMode.BareUserOnly
        && device == (_repositoryDevice ??= Native.Files.Stat(Repository.Path).Device);

    /// <summary>Workers hashing and writing files at once: one per core (I/O waits overlap with the other core's hashing).</summary>
    public int Parallelism { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Files committed from an existing object without being read (link-checkout-speedup hits).</summary>
    public int DevInoHits => Volatile.Read(ref _devInoHits);

    internal void CountDevInoHit() => Interlocked.Increment(ref _devInoHits);

    /// <summary>
    /// The most file entries a directory import held at once in directories not yet sealed: the
    /// whole tree's files without sealing, only the open directories' files with it.
    /// </summary>
    public int PeakHeldFiles => Volatile.Read(ref _peakHeldFiles);

    internal void CountHeldFiles(int delta)
    {
        int held = Interlocked.Add(ref _heldFiles, delta);
        int peak = Volatile.Read(ref _peakHeldFiles);
        while (held > peak)
        {
            int seen = Interlocked.CompareExchange(ref _peakHeldFiles, held, peak);
            if (seen == peak) break;
            peak = seen;
        }
    }

    /// <summary>A file of the input already committed under another name (a hardlink inside the tree).</summary>
    internal bool TryGetInputHardlink(ulong dev, ulong ino, out Checksum checksum) => _inputHardlinks.TryGetValue((dev, ino), out checksum);

    /// <summary>
    /// Every object is written again, not reused from the repository as it is (<c>--generate-sizes</c>
    /// with a <c>--tree=ref</c>: ostree's modifier path writes each file, and so records its size).
    /// </summary>
    public bool RewritesAllContent => Transaction.Sizes is not null;

    internal void AddInputHardlink(ulong dev, ulong ino, Checksum checksum) => _inputHardlinks.TryAdd((dev, ino), checksum);

    /// <summary>Writes a directory's dirmeta (after the modifier, unless told otherwise) and returns its checksum.</summary>
    public Checksum WriteDirMeta(DirMetaObject meta, bool applyModifier = true)
    {
        var bytes = (applyModifier ? Modifier.Apply(meta) : meta).Serialize();
        var checksum = Checksum.Compute(bytes);
        if (_dirMetas.TryAdd(checksum, 0)) Transaction.WriteMetadata(ObjectType.DirMeta, bytes, checksum);
        else Transaction.CountReused(ObjectType.DirMeta, checksum, bytes.Length);
        return checksum;
    }

    /// <summary>Writes a FILE object; <paramref name="content"/> is null for symlinks.</summary>
    public Checksum WriteFile(FileHeader header, Stream? content, long size) => Transaction.WriteContent(header, content, size);
}
