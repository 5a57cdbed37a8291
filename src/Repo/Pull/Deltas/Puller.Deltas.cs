using System.Collections.Concurrent;
using System.Security.Cryptography;
using Arbor.Repo.Config;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.StaticDelta;
using Arbor.Repo.Store;
using Arbor.Repo.Summary;

namespace Arbor.Repo.Pull;

/// <summary>
/// Static deltas on the client side of pull (pull-protocol.md §3.1 step 5, §6), as ostree 2022.7 does
/// it: used only into a non-archive repository from a remote (never pull-local or file://, unless
/// required), and not with --disable-static-deltas. Deltas are found in the summary's
/// <c>ostree.static-deltas</c> and, when the remote says its deltas are indexed, in
/// <c>delta-indexes/TO.index</c>. For each commit a FROM-TO delta from a complete local commit is
/// preferred (the newest), else a from-scratch delta when the ref does not exist locally, else
/// objects. The superblock's SHA-256 must match the advertised digest, each fetched part's its
/// header checksum; the TO commit is checked like a fetched one (checksum, signatures, bindings);
/// each object a part re-creates is verified before it is staged. Afterwards the commit's tree is
/// walked as for an object pull, so anything a delta left out is fetched as loose objects before
/// refs move.
/// </summary>
public sealed partial class Puller
{
    private const int MaxPartsInFlight = 2; // as ostree: executing parts is expensive, and each is held in memory

    private ConcurrentDictionary<string, byte[]>? _deltas;   // delta name -> superblock SHA-256; null: deltas not used
    private bool _indexedDeltas;
    private readonly SemaphoreSlim _partSlots = new(MaxPartsInFlight);
    private int _deltaSuperblocks, _deltaPartsFetched, _deltaPartsTotal, _deltaFallbacksFetched, _deltaFallbacksTotal, _deltaIndexFetches;
    private long _deltaFetchedSize, _deltaTotalSize, _deltaTotalUSize;

    private bool DeltaDryRun => _options.DryRun && _options.RequireStaticDeltas;

    private DeltaPullStats? DeltaStats() => _deltas is null ? null : new DeltaPullStats
    {
        Superblocks = _deltaSuperblocks,
        PartsFetched = _deltaPartsFetched,
        PartsTotal = _deltaPartsTotal,
        FallbacksFetched = _deltaFallbacksFetched,
        FallbacksTotal = _deltaFallbacksTotal,
        FetchedSize = (ulong)Interlocked.Read(ref _deltaFetchedSize),
        TotalSize = (ulong)Interlocked.Read(ref _deltaTotalSize),
        TotalUncompressedSize = (ulong)Interlocked.Read(ref _deltaTotalUSize),
        IndexAndSuperblockFetches = _deltaIndexFetches + _deltaSuperblocks,
    };

    /// <summary>After the summary is known: decides whether deltas may be used and collects the advertised ones.</summary>
    private async Task PrepareDeltasAsync(SummaryFile? summary, CancellationToken ct)
    {
        bool require = _options.RequireStaticDeltas;
        if (require && _repo.Mode == RepoMode.Archive) throw new PullException("Can't use static deltas in an archive repo");
        if (_options.DisableStaticDeltas || _repo.Mode == RepoMode.Archive || _options.CommitMetadataOnly) return;
        if ((_remote is null || _source.IsLocal) && !require) return; // pull-local and file:// copy objects, unless deltas are required
        if (_options.DryRun && !require) return;                      // Arbor's object dry run walks metadata instead

        var catalog = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        if (summary is not null) AddDeltas(catalog, summary.Metadata[SummaryFile.StaticDeltasKey]);
        bool indexed;
        if (summary?.Metadata[SummaryFile.IndexedDeltasKey] is { } flag && flag.Type.Equals(GVariantType.Boolean)) indexed = flag.AsBoolean();
        else if (summary is null) indexed = await RemoteHasIndexedDeltasAsync(ct).ConfigureAwait(false);
        else indexed = false;
        if (require && !indexed && catalog.IsEmpty)
            throw new PullException("Fetch configured to require static deltas, but no summary deltas or delta index found");
        _indexedDeltas = indexed;
        _deltas = catalog;
    }

    private async Task<bool> RemoteHasIndexedDeltasAsync(CancellationToken ct)
    {
        var config = await _source.FetchFileAsync(RepoLayout.Config, optional: true, 1024 * 1024, ct).ConfigureAwait(false);
        if (config is null) return false;
        try { return KeyFile.Parse(System.Text.Encoding.UTF8.GetString(config)).GetString("core", "indexed-deltas") is "true" or "1"; }
        catch (FormatException) { return false; }
    }

    /// <summary>Adds the entries of an <c>a{sv}</c> of delta name → <c>&lt;ay&gt;</c> superblock digest.</summary>
    private void AddDeltas(ConcurrentDictionary<string, byte[]> catalog, GVariantValue? deltas)
    {
        if (deltas is null || deltas.Type.Signature != "a{sv}") return;
        foreach (var entry in deltas.Children)
        {
            var name = entry.Children[0].AsString();
            var v = entry.Children[1].Inner;
            if (v is null || v.Type.Signature != "ay")
                throw new PullException($"Invalid checksum variant of type '{v?.Type.Signature}', expected 'ay'");
            var digest = v.AsBytes();
            if (digest.Length != Checksum.ByteLength) throw new PullException($"Invalid checksum of length {digest.Length} for static delta {name}");
            catalog[name] = digest;
        }
    }

    /// <summary>A requested commit: through a delta when one fits, else as objects (<see cref="EnqueueCommit"/>).</summary>
    private void EnqueueTarget(Checksum commit, string? refName, long maxSize)
    {
        if (_deltas is null)
        {
            EnqueueCommit(commit, _options.Depth, refName, maxSize);
            return;
        }
        EnqueueMetadataWork(ct => PullTargetAsync(commit, refName, maxSize, ct));
    }

    private async Task PullTargetAsync(Checksum to, string? refName, long maxSize, CancellationToken ct)
    {
        var commitName = new ObjectName(to, ObjectType.Commit);
        if (_repo.HasObject(commitName) && !_repo.IsCommitPartial(to))
        {
            // already complete: ostree re-reads detached metadata, except when deltas are required
            if (!_options.RequireStaticDeltas) EnqueueCommit(to, _options.Depth, refName, maxSize);
            return;
        }
        Checksum? current = refName is null ? null : _repo.Refs.TryRead(_refRemote, refName);
        if (_indexedDeltas) await FetchDeltaIndexAsync(to, ct).ConfigureAwait(false);

        bool scratch = false;
        Checksum? best = null;
        ulong bestTimestamp = 0;
        foreach (var name in _deltas!.Keys)
        {
            int dash = name.IndexOf('-');
            var span = name.AsSpan();
            Checksum from = default;
            if (!Checksum.TryParse(dash < 0 ? span : span[(dash + 1)..], out var t) || (dash >= 0 && !Checksum.TryParse(span[..dash], out from)))
                throw new PullException($"Invalid delta name '{name}'");
            if (t != to) continue;
            if (dash < 0) { scratch = true; continue; }
            if (!_repo.HasObject(new ObjectName(from, ObjectType.Commit)) || _repo.IsCommitPartial(from)) continue;
            var ts = _repo.LoadCommit(from).Timestamp;
            if (best is null || ts > bestTimestamp) (best, bestTimestamp) = (from, ts);
        }

        if (best is { } f) await PullDeltaAsync(f, to, refName, maxSize, ct).ConfigureAwait(false);
        else if (scratch && current is null) await PullDeltaAsync(null, to, refName, maxSize, ct).ConfigureAwait(false);
        else if (!scratch && _options.RequireStaticDeltas)
            throw new PullException($"Static deltas required, but none found for {refName ?? ""} to {to}");
        else EnqueueCommit(to, _options.Depth, refName, maxSize);
    }

    private async Task FetchDeltaIndexAsync(Checksum to, CancellationToken ct)
    {
        var rel = StaticDeltaNames.RelativeIndexPath(to);
        var bytes = await _source.FetchFileAsync(rel, optional: true, ObjectFormats.MaxMetadataSize, ct).ConfigureAwait(false);
        Interlocked.Increment(ref _deltaIndexFetches);
        if (bytes is null) return; // no index: the summary's deltas, if any
        VariantDictionary index;
        try { index = VariantDictionary.Parse(bytes); }
        catch (GVariantFormatException e) { throw new PullException($"Invalid delta index {_source.Describe(rel)}: {e.Message}"); }
        AddDeltas(_deltas!, index[SummaryFile.StaticDeltasKey]);
    }

    private async Task PullDeltaAsync(Checksum? from, Checksum to, string? refName, long maxSize, CancellationToken ct)
    {
        var name = DeltaSuperblock.Name(from, to);
        var dir = StaticDeltaNames.RelativeDirectory(from, to);
        var superRel = dir + "/superblock";
        var bytes = await _source.FetchFileAsync(superRel, optional: true, ObjectFormats.MaxMetadataSize, ct).ConfigureAwait(false);
        if (bytes is null)
        {
            if (_options.RequireStaticDeltas) throw new PullException($"Static deltas required, but none found for {from?.ToString() ?? "(null)"} to {to}");
            EnqueueCommit(to, _options.Depth, refName, maxSize);
            return;
        }
        Interlocked.Increment(ref _deltaSuperblocks);
        if (_deltas!.TryGetValue(name, out var expected) && !SHA256.HashData(bytes).AsSpan().SequenceEqual(expected))
            throw new PullException($"Invalid checksum for static delta {name} ({_source.Describe(superRel)})");
        // a signed superblock (static-delta generate --sign) is used for what it wraps: the TO commit it
        // carries is checked like any pulled commit (signatures included) and every object by its checksum
        if (DeltaSuperblock.IsSigned(bytes)) bytes = DeltaSuperblock.Unwrap(bytes, _source.Describe(superRel));
        var sb = DeltaSuperblock.Parse(bytes, _source.Describe(superRel));
        if (sb.To != to || sb.From != from)
            throw new PullException($"Invalid static delta superblock {_source.Describe(superRel)}: it is the delta {DeltaSuperblock.Name(sb.From, sb.To)}");
        DeltaSpaceCheck.Require(_repo.Path, sb);

        foreach (var fb in sb.Fallbacks)
        {
            Interlocked.Increment(ref _deltaFallbacksTotal);
            Interlocked.Add(ref _deltaTotalSize, (long)fb.Size);
            Interlocked.Add(ref _deltaTotalUSize, (long)fb.UncompressedSize);
            if (fb.Object.Type != ObjectType.File)
                throw new PullException($"Found metadata object as fallback: {fb.Object.Checksum}.{fb.Object.Type.DisplayName()}");
            if (_repo.HasObject(fb.Object))
            {
                Interlocked.Add(ref _deltaFetchedSize, (long)fb.Size);
                continue;
            }
            if (DeltaDryRun) continue;
            Interlocked.Increment(ref _deltaFallbacksFetched);
            EnqueueContent(fb.Object.Checksum);
        }

        var commitName = new ObjectName(to, ObjectType.Commit);
        CommitObject commit;
        if (!_repo.HasObject(commitName))
        {
            commit = await VerifyDeltaCommitAsync(sb, dir, refName, ct).ConfigureAwait(false);
        }
        else commit = _repo.LoadCommit(to);

        var pending = new List<(DeltaPartHeader Header, byte[]? Inline)>();
        foreach (var part in sb.Parts)
        {
            if (part.Version > DeltaSuperblock.MaxPartVersion) throw new PullException($"Delta part has too new version {part.Version}");
            Interlocked.Increment(ref _deltaPartsTotal);
            Interlocked.Add(ref _deltaTotalSize, (long)part.Size);
            Interlocked.Add(ref _deltaTotalUSize, (long)part.UncompressedSize);
            if (part.Objects.All(o => _repo.HasObject(o)))
            {
                Interlocked.Increment(ref _deltaPartsFetched);
                Interlocked.Add(ref _deltaFetchedSize, (long)part.Size);
                continue;
            }
            if (DeltaDryRun) continue;
            // (objects a part re-creates are not counted in the progress totals: they are not fetched one by one)
            pending.Add((part, sb.GetMetadataValue($"{dir}/{part.Index}", "(yay)")));
        }
        if (DeltaDryRun) return;

        _commits[to] = true; // walked below, so complete once the pull succeeds
        int remaining = pending.Count + 1;
        async Task PartDoneAsync()
        {
            if (Interlocked.Decrement(ref remaining) != 0) return;
            // every part is staged: publish them, then walk the tree like an object pull (fetching whatever is missing)
            await _publisher!.PublishAsync().ConfigureAwait(false);
            EnqueueDirMeta(commit.RootMeta);
            EnqueueDirTree(commit.RootTree, RootPath);
        }
        foreach (var (header, inline) in pending)
        {
            _scheduler.EnqueueContent(async ct2 =>
            {
                await ExecutePartAsync(dir, name, header, inline, ct2).ConfigureAwait(false);
                await PartDoneAsync().ConfigureAwait(false);
            });
        }
        if (_options.Depth != 0 && commit.Parent is { } parent)
            EnqueueCommit(parent, _options.Depth < 0 ? _options.Depth : _options.Depth - 1, null, ObjectFormats.MaxMetadataSize, isParent: true);
        await PartDoneAsync().ConfigureAwait(false);
    }

    /// <summary>The TO commit carried in the superblock: checked like a fetched commit, then staged with its detached metadata.</summary>
    private async Task<CommitObject> VerifyDeltaCommitAsync(DeltaSuperblock sb, string dir, string? refName, CancellationToken ct)
    {
        var to = sb.To;
        var bytes = sb.CommitBytes;
        var actual = Checksum.Compute(bytes);
        if (actual != to)
            throw new CorruptObjectException($"Corrupted commit object in static delta {DeltaSuperblock.Name(sb.From, to)}; checksum expected='{to}' actual='{actual}'");
        if (!GVariantNormalForm.IsNormal(bytes, ObjectFormats.Commit))
            throw new CorruptObjectException($"Invalid commit object {to} in static delta {DeltaSuperblock.Name(sb.From, to)}: Not normal form");
        CommitObject commit;
        try { commit = CommitObject.Parse(bytes); }
        catch (CorruptObjectException e) { throw new CorruptObjectException($"Invalid commit object {to} in static delta {DeltaSuperblock.Name(sb.From, to)}: {e.Message}"); }

        // detached metadata: carried in the superblock, else (as ostree then does) the .commitmeta file
        var detachedBytes = sb.GetMetadataValue(dir + "/commitmeta", "a{sv}");
        // in the superblock it sits in a variant in its metadata dictionary, 4 deep
        int detachedDepth = 4;
        if (detachedBytes is null)
        {
            detachedBytes = await _source.FetchMetadataAsync(new ObjectName(to, ObjectType.CommitMeta), optional: true, ObjectFormats.MaxMetadataSize, ct).ConfigureAwait(false);
            Interlocked.Increment(ref _deltaIndexFetches);
            detachedDepth = 0;
        }
        VariantDictionary? detached = null;
        if (detachedBytes is not null) (detachedBytes, detached) = TakeDetached(detachedBytes, !_source.IsLocal, detachedDepth);
        if (_verifier.VerifiesCommits) _verifier.VerifyCommit(to, bytes, detached);
        if (!_options.DisableVerifyBindings) VerifyBindings(to, refName, commit);
        CheckTimestamp(to, refName, commit);
        if (_options.DryRun) return commit;

        _repo.MarkCommitPartial(to, true);
        if (detachedBytes is not null)
        {
            var metaPath = _repo.FullPath(RepoLayout.CommitMetaPath(to));
            Directory.CreateDirectory(Path.GetDirectoryName(metaPath)!);
            AtomicFile.WriteAllBytes(metaPath, detachedBytes, 0x1A4, fsync: false);
        }
        StageMetadata(ObjectType.Commit, bytes, to);
        return commit;
    }

    private async Task ExecutePartAsync(string dir, string deltaName, DeltaPartHeader header, byte[]? inline, CancellationToken ct)
    {
        var rel = $"{dir}/{header.Index}";
        await _partSlots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            byte[] data;
            string what;
            if (inline is not null)
            {
                // an inline part is covered by the superblock's digest (ostree skips its checksum)
                data = inline;
                what = $"{header.Index} (inline) of static delta {deltaName}";
            }
            else
            {
                what = _source.Describe(rel);
                data = (await _source.FetchFileAsync(rel, optional: false, (long)Math.Min(header.Size, (ulong)Array.MaxLength), ct).ConfigureAwait(false))!;
                var actual = Checksum.FromBytes(SHA256.HashData(data));
                if (actual != header.Checksum)
                    throw new PullException($"Checksum mismatch in static delta part {what}; expected={header.Checksum} actual={actual}");
                Interlocked.Increment(ref _deltaPartsFetched);
                Interlocked.Add(ref _deltaFetchedSize, (long)header.Size);
            }
            var part = DeltaPart.Open(data, what, header.UncompressedSize);
            data = [];
            var lease = _publisher!.Acquire();
            try
            {
                var store = new VerifyingDeltaStore(lease.Transaction, what);
                try { DeltaPartExecutor.Execute(part, header.Objects, store, ct); }
                catch (StaticDeltaException e) { throw new PullException($"Executing static delta part {what}: {e.Message}"); }
                catch (CorruptObjectException e) { throw new CorruptObjectException($"Executing static delta part {what}: {e.Message}"); }
                finally { Interlocked.Add(ref _contentBytesWritten, store.ContentBytesWritten); }
            }
            finally { _publisher.Release(lease); }
        }
        finally { _partSlots.Release(); }
    }
}
