using System.Buffers;
using System.Buffers.Binary;
using System.IO.Enumeration;
using System.IO.Compression;
using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Store;

/// <summary>
/// A write transaction. Objects are written to a private staging directory under <c>tmp/</c>
/// (hashed while they are written, verified against an expected checksum when one is given);
/// <see cref="Commit"/> syncs the filesystem, renames them into <c>objects/</c>, then applies the
/// queued ref changes. Disposing without committing removes the staging directory, so an
/// interrupted transaction leaves the repository as it was. Thread-safe.
/// </summary>
public sealed partial class Transaction : IDisposable
{
    private static readonly byte[] OstreeMetaXattr = "user.ostreemeta"u8.ToArray();
    private static readonly byte[] EmptyDeflateStream = [0x03, 0x00];
    private readonly Repository _repo;
    private readonly string _staging;
    private readonly TmpDirectory.Owned _stagingLock;
    private readonly RepoLock _lock;
    // null when core.min-free-space-* is off
    private readonly FreeSpaceBudget? _budget;
    // what is staged is the staging directory itself (as in ostree): no per-object memory, so a
    // commit's footprint does not grow with the number of objects it writes
    private int _stagedCount;
    // a miss here spares the lstat of the staging directory that would otherwise fail for nearly
    // every new object; fixed size, so it does not grow with the objects either
    private readonly StagedObjectFilter _stagedFilter = new();
    private readonly List<(Action Apply, string What)> _refUpdates = new();
    private readonly List<(Checksum Commit, string? StagedPath)> _detached = new();
    private readonly bool _isRoot = Files.IsRoot;
    private bool _done;
    // a transaction failed by OSTREE_REPO_TEST_ERROR=pre-commit leaves its staging directory, as ostree's abort does
    private bool _keepStaging;
    private int _metadataTotal, _metadataWritten, _contentTotal, _contentWritten;
    private long _contentBytesWritten;

    internal Transaction(Repository repo)
    {
        _repo = repo;
        _lock = repo.Lock(exclusive: false);
        try
        {
            _budget = FreeSpaceBudget.Start(repo.Path, repo.Config.MinFreeSpace);
            var tmp = repo.FullPath(RepoLayout.Tmp);
            if (!Directory.Exists(tmp)) throw new RepoException($"Invalid repository: missing {tmp}");
            // locked while the transaction lives (as ostree locks its staging-*-lock), so a later
            // transaction can tell a dead one's staging directory from a live one and remove it
            _stagingLock = TmpDirectory.CreateStaging(tmp);
            _staging = _stagingLock.Path;
            TmpDirectory.Clean(repo, keep: _staging);
        }
        catch (NativeIOException e) when (e.Errno is Errno.EACCES or Errno.EROFS or Errno.EPERM)
        {
            _stagingLock?.Dispose();
            _lock.Dispose();
            throw new RepoException($"Repository '{repo.Path}' is not writable: {e.Message}");
        }
        catch
        {
            _lock.Dispose();
            throw;
        }
    }

    public Repository Repository => _repo;

    /// <summary>Objects written by this transaction so far.</summary>
    public int StagedCount => Volatile.Read(ref _stagedCount);

    /// <summary>The counts so far (ostree's transaction stats).</summary>
    public TransactionStats Stats => new(Volatile.Read(ref _metadataTotal), Volatile.Read(ref _metadataWritten),
        Volatile.Read(ref _contentTotal), Volatile.Read(ref _contentWritten), Interlocked.Read(ref _contentBytesWritten));

    /// <summary><c>--generate-sizes</c> in an archive repository: records the sizes of the objects written; null otherwise.</summary>
    public ObjectSizeIndex? Sizes { get; set; }

    /// <summary>Told the counts as content objects go by (the first at once, then at most every 200 ms); null: not told.</summary>
    public IProgress<TransactionStats>? Progress { get; set; }

    private readonly Progress.ProgressGate _progressGate = new();

    private void ReportProgress()
    {
        if (Progress is { } progress && _progressGate.IsDue()) progress.Report(Stats);
    }

    /// <summary>A caller skipped writing an object it knew was already written (it counts toward the totals, as ostree writes it again).</summary>
    public void CountReused(ObjectType type, Checksum checksum, long size)
    {
        if (type == ObjectType.File)
        {
            Interlocked.Increment(ref _contentTotal);
            ReportProgress();
        }
        else
        {
            Interlocked.Increment(ref _metadataTotal);
            Sizes?.Record(checksum, type, size, size);
        }
    }

    private void CountContent(bool written, long unpackedSize)
    {
        Interlocked.Increment(ref _contentTotal);
        if (written)
        {
            Interlocked.Increment(ref _contentWritten);
            Interlocked.Add(ref _contentBytesWritten, unpackedSize);
        }
        ReportProgress();
    }

    /// <summary>True if the object exists in the repo or was written by this transaction.</summary>
    public bool HasObject(ObjectName name) => IsStaged(name) || _repo.HasObject(name);

    private bool IsStaged(ObjectName name) =>
        _stagedFilter.MayContain(name) && Files.TryLStat(StagedPath(name)) is not null;

    private void Staged(ObjectName name)
    {
        _stagedFilter.Add(name);
        Interlocked.Increment(ref _stagedCount);
    }

    // ---- metadata ----

    /// <summary>
    /// Stores a metadata object named by its SHA-256; verifies it when <paramref name="expected"/> is given, unless
    /// <paramref name="trusted"/> (then it is stored under that name as it is).
    /// </summary>
    public Checksum WriteMetadata(ObjectType type, ReadOnlySpan<byte> data, Checksum? expected = null, bool trusted = false)
    {
        if (type == ObjectType.File || type == ObjectType.CommitMeta) throw new ArgumentException("not a content-addressed metadata type", nameof(type));
        // trusted (ostree_repo_write_metadata_trusted): stored under the expected name, not checksummed
        var actual = trusted && expected is { } named ? named : Checksum.Compute(data);
        if (expected is { } e && e != actual)
            throw CorruptObjectException.ChecksumMismatch(new ObjectName(e, type), actual);
        // ostree_repo_write_metadata checks the structure of what it is given ("Empty metadata key");
        // commits only here: dirtrees and dirmetas are checked where they are built or received
        if (!trusted && type == ObjectType.Commit && Fsck.MetadataVerifier.StructureProblem(type, data) is { } problem)
            throw new RepoException(problem);
        var name = new ObjectName(actual, type);
        Sizes?.Record(actual, type, data.Length, data.Length);
        Interlocked.Increment(ref _metadataTotal);
        if (HasObject(name)) return actual;
        Interlocked.Increment(ref _metadataWritten);
        var (h, tmp) = CreateTemp();
        try
        {
            using (h)
            {
                TmpFiles.Write(h, data, 0, tmp);
                Files.FChmod(h, 0x1A4, tmp);
                StageTemp(name, h, tmp);
            }
        }
        catch { if (tmp is not null) AtomicFile.TryDelete(tmp); throw; }
        if (type == ObjectType.Commit) ObjectDeleter.RemoveTombstone(_repo, actual);
        return actual;
    }

    // ---- content ----

    /// <summary>Stores an archive-mode <c>.filez</c> as received (pull into an archive repo): decompressed
    /// and hashed for verification, stored byte for byte.</summary>
    public Checksum WriteArchiveFilez(ReadOnlyMemory<byte> filezMemory, Checksum expected)
    {
        _repo.Mode.EnsureStoresContent();
        var filez = filezMemory.Span;
        if (filez.Length < 8) throw new CorruptObjectException($"Corrupted file object {expected}: truncated");
        uint len = BinaryPrimitives.ReadUInt32BigEndian(filez);
        if (8 + (long)len > filez.Length) throw new CorruptObjectException($"Corrupted file object {expected}: invalid header length");
        var (header, size) = FileHeader.ParseArchiveHeader(filez.Slice(8, (int)len));
        header.Validate();
        using var hasher = new ContentHasher(header);
        if (header.IsRegular)
        {
            using var raw = new ReadOnlyMemoryStream(filezMemory[(int)(8 + len)..]);
            using var inflate = new DeflateStream(raw, CompressionMode.Decompress);
            HashAll(inflate, hasher);
        }
        var actual = hasher.Finish();
        Verify(expected, actual);
        if (_repo.Mode != RepoMode.Archive)
            throw new InvalidOperationException("WriteArchiveFilez is for archive repositories");
        var name = new ObjectName(actual, ObjectType.File);
        if (HasObject(name)) return actual;
        var tmp = TempPath();
        try
        {
            using (var h = File.OpenHandle(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                RandomAccess.Write(h, filezMemory.Span, 0);
                Files.FChmod(h, 0x1A4, tmp);
                SyncObject(h, tmp);
            }
            Stage(name, tmp);
        }
        catch { AtomicFile.TryDelete(tmp); throw; }
        _ = size;
        return actual;
    }

    /// <summary>
    /// Adds an existing file as the object <paramref name="checksum"/> by hardlinking it, when the
    /// caller already knows its checksum (link-checkout-speedup); false if linking is impossible.
    /// </summary>
    public bool TryLinkContent(Checksum checksum, string existingPath)
    {
        _repo.Mode.EnsureStoresContent();
        return TryLinkObject(new ObjectName(checksum, ObjectType.File), existingPath);
    }

    /// <summary>
    /// Adds an existing object file of another repository as the object <paramref name="name"/> by
    /// hardlinking it (a local import); false if linking is impossible. Metadata is counted as
    /// <see cref="WriteMetadata"/> counts it; content is counted by the caller.
    /// </summary>
    public bool TryLinkObject(ObjectName name, string existingPath)
    {
        bool metadata = name.Type != ObjectType.File;
        if (HasObject(name))
        {
            if (metadata) Interlocked.Increment(ref _metadataTotal);
            return true;
        }
        var tmp = TempPath();
        if (Links.TryLink(existingPath, tmp) != 0) return false;
        Stage(name, tmp);
        if (metadata)
        {
            Interlocked.Increment(ref _metadataTotal);
            Interlocked.Increment(ref _metadataWritten);
            if (Sizes is { } sizes && Files.TryLStat(existingPath) is { } st) sizes.Record(name.Checksum, name.Type, st.Size, st.Size);
            if (name.Type == ObjectType.Commit) ObjectDeleter.RemoveTombstone(_repo, name.Checksum);
        }
        return true;
    }

    /// <summary>The <c>user.ostreemeta</c> value: (uuua(ayay)) with BE uid, gid and full mode.</summary>
    internal static byte[] OstreeMeta(FileHeader header) =>
        new DirMetaObject(header.Uid, header.Gid, header.Mode, header.Xattrs).Serialize();

    private static void HashAll(Stream source, ContentHasher hasher)
    {
        var buf = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            int n;
            while ((n = source.Read(buf, 0, buf.Length)) > 0) hasher.Append(buf.AsSpan(0, n));
        }
        catch (InvalidDataException e)
        {
            throw new CorruptObjectException($"Corrupted file object; invalid compressed data: {e.Message}");
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
    }

    private static void Verify(Checksum? expected, Checksum actual)
    {
        if (expected is { } e && e != actual) throw CorruptObjectException.ChecksumMismatch(new ObjectName(e, ObjectType.File), actual);
    }

    /// <summary>The name a content object is stored under: <paramref name="actual"/>, verified against <paramref name="expected"/>
    /// unless <paramref name="trusted"/>, when the expected name is taken as it is.</summary>
    private static Checksum Verified(Checksum? expected, Checksum actual, bool trusted)
    {
        if (trusted && expected is { } e) return e;
        Verify(expected, actual);
        return actual;
    }

    private string TempPath() => Path.Combine(_staging, "tmp-" + TempName.Random());

    /// <summary>A metadata object written by this transaction (not yet published) or already in the repository.</summary>
    public DirTreeObject LoadDirTree(Checksum checksum)
    {
        var name = new ObjectName(checksum, ObjectType.DirTree);
        return DirTreeObject.Parse(IsStaged(name) ? File.ReadAllBytes(StagedPath(name)) : _repo.LoadMetadata(name));
    }

    private string StagedPath(ObjectName name) =>
        Path.Combine(_staging, $"{name.Checksum}.{name.Type.Extension(_repo.Mode == RepoMode.Archive)}");

    /// <summary>Moves a complete named temp file to its staged name (the first writer of an object wins).</summary>
    private void Stage(ObjectName name, string tmp)
    {
        if (Rename.TryNoReplace(tmp, StagedPath(name))) Staged(name);
        else AtomicFile.TryDelete(tmp);
    }

    // ---- detached metadata ----

    /// <summary>
    /// Stages the detached metadata of a commit (null or empty removes it), published with the
    /// objects by <see cref="Commit"/>, before the refs, as ostree stages it in its transaction.
    /// </summary>
    public void WriteDetachedMetadata(Checksum commit, VariantDictionary? metadata) =>
        WriteDetachedMetadata(commit, metadata is { Count: > 0 } ? metadata.Serialize() : null);

    /// <summary>Stages detached metadata given as bytes, written as they are (null removes it).</summary>
    public void WriteDetachedMetadata(Checksum commit, byte[]? serialized)
    {
        string? staged = null;
        if (serialized is not null)
        {
            staged = Path.Combine(_staging, $"{commit}.commitmeta");
            var tmp = TempPath();
            try
            {
                using (var h = File.OpenHandle(tmp, FileMode.CreateNew, FileAccess.Write))
                {
                    RandomAccess.Write(h, serialized, 0);
                    Files.FChmod(h, 0x1A4, tmp);
                }
                Rename.Replace(tmp, staged);
            }
            catch { AtomicFile.TryDelete(tmp); throw; }
        }
        lock (_detached) _detached.Add((commit, staged));
    }

    // ---- refs ----

    /// <summary>Queues a ref update (null deletes) applied after all objects are published.</summary>
    public void SetRef(string? remote, string refName, Checksum? target)
    {
        lock (_refUpdates) _refUpdates.Add((() => _repo.Refs.Write(remote, refName, target), refName));
    }

    /// <summary>Queues a collection–ref update (ostree_repo_transaction_set_collection_ref): refs/heads for the
    /// repository's own collection, refs/mirrors/COLLECTION otherwise.</summary>
    public void SetCollectionRef(string collectionId, string refName, Checksum? target)
    {
        lock (_refUpdates) _refUpdates.Add((() => Refs.CollectionRefListing.Set(_repo, collectionId, refName, target, inTransaction: true), refName));
    }

    // ---- commit ----

    /// <summary>Publishes staged objects (after a filesystem sync), then the queued refs.</summary>
    public void Commit()
    {
        if (_done) throw new InvalidOperationException("Transaction already finished");
        try
        {
            if (TestErrors.PreCommit)
            {
                _keepStaging = true;
                throw new RepoException("OSTREE_REPO_TEST_ERROR_PRE_COMMIT specified");
            }
            bool fsync = _repo.Config.Fsync && !_repo.DisableFsync;
            bool any = StagedCount > 0 || _detached.Count > 0;
            if (any && fsync) Sync.SyncFs(_staging);
            var created = new HashSet<string>();
            foreach (var (stagedPath, name) in EnumerateStaged())
            {
                var final = _repo.ObjectPath(name);
                var dir = Path.GetDirectoryName(final)!;
                if (created.Add(dir)) Files.TryMkdir(dir, 0x1ED);
                if (!Rename.TryNoReplace(stagedPath, final)) AtomicFile.TryDelete(stagedPath);
            }
            foreach (var (commit, stagedPath) in _detached)
            {
                var final = _repo.FullPath(RepoLayout.CommitMetaPath(commit));
                if (stagedPath is null) { AtomicFile.TryDelete(final); continue; }
                Files.TryMkdir(Path.GetDirectoryName(final)!, 0x1ED);
                Rename.Replace(stagedPath, final);
            }
            if (_refUpdates.Count > 0 && fsync && any) Sync.SyncFs(_repo.Path);
            foreach (var (apply, _) in _refUpdates) apply();
            _done = true;
        }
        finally
        {
            Cleanup();
        }
    }

    /// <summary>The staged objects: files named <c>checksum.ext</c> (temp files and detached metadata are not objects).</summary>
    private IEnumerable<(string Path, ObjectName Name)> EnumerateStaged()
    {
        if (StagedCount == 0) return [];
        return new FileSystemEnumerable<(string, ObjectName)>(_staging,
            static (ref FileSystemEntry e) => (e.ToFullPath(), ParseStagedName(e.FileName)),
            new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false })
        {
            ShouldIncludePredicate = static (ref FileSystemEntry e) => TryParseStagedName(e.FileName, out _),
        };
    }

    private static bool TryParseStagedName(ReadOnlySpan<char> fileName, out ObjectName name)
    {
        name = default;
        if (fileName.Length <= Checksum.HexLength + 1 || fileName[Checksum.HexLength] != '.') return false;
        if (!ObjectTypeExtensions.TryParseExtension(fileName[(Checksum.HexLength + 1)..], out var type) || type == ObjectType.CommitMeta) return false;
        if (!Checksum.TryParse(fileName[..Checksum.HexLength], out var checksum)) return false;
        name = new ObjectName(checksum, type);
        return true;
    }

    private static ObjectName ParseStagedName(ReadOnlySpan<char> fileName) =>
        TryParseStagedName(fileName, out var name) ? name : throw new InvalidOperationException("not a staged object");

    public void Dispose()
    {
        if (!_done) { _done = true; Cleanup(); }
    }

    private void Cleanup()
    {
        try { if (!_keepStaging && Directory.Exists(_staging)) Directory.Delete(_staging, recursive: true); }
        catch (IOException) { /* leftovers under tmp/ are expired by later transactions, as ostree does */ }
        catch (UnauthorizedAccessException) { }
        _stagingLock.Dispose();
        _lock.Dispose();
    }
}
