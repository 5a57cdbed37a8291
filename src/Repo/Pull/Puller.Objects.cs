using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.Pull;

public sealed partial class Puller
{
    private void EnqueueCommit(Checksum commit, int depth, string? refName, long maxSize, bool isParent = false)
    {
        if (!_commits.TryAdd(commit, false)) return;
        EnqueueMetadataWork(ct => ProcessCommitAsync(commit, depth, refName, maxSize, isParent, ct));
    }

    private void EnqueueMetadataWork(Func<CancellationToken, Task> work)
    {
        Interlocked.Increment(ref _pendingMetadata);
        _scheduler.EnqueueMetadata(async ct =>
        {
            try { await work(ct).ConfigureAwait(false); }
            finally { Interlocked.Decrement(ref _pendingMetadata); }
        });
    }

    /// <summary>
    /// One commit: detached metadata and commit object (fetched unless present), signatures and
    /// bindings checked, then its root tree queued (unless the commit is already complete, or only
    /// metadata was asked for) and its parent when the depth allows.
    /// </summary>
    private async Task ProcessCommitAsync(Checksum checksum, int depth, string? refName, long maxSize, bool isParent, CancellationToken ct)
    {
        var name = new ObjectName(checksum, ObjectType.Commit);
        bool haveLocal = _repo.HasObject(name);
        bool complete = haveLocal && !_repo.IsCommitPartial(checksum);
        byte[] commitBytes;
        byte[]? detachedBytes;
        bool trusted = false;
        bool freshDetached = false;
        bool detachedFromNetwork;
        if (haveLocal)
        {
            commitBytes = _repo.LoadMetadata(name);
            // as ostree: the detached metadata of a stored commit is fetched again, in case new signatures appeared,
            // and replaces ours; over HTTP the request counts as fetched metadata even when there is none (a local
            // import is not counted); without any at the source, ours is checked
            if (!_source.IsLocal) Interlocked.Increment(ref _objectsTotal);
            detachedBytes = await _source.FetchMetadataAsync(new ObjectName(checksum, ObjectType.CommitMeta), optional: true, ObjectFormats.MaxMetadataSize, ct).ConfigureAwait(false);
            if (!_source.IsLocal) CountMetadata(fromCache: false);
            freshDetached = detachedBytes is not null;
            detachedFromNetwork = freshDetached && !_source.IsLocal;
            var metaPath = _repo.FullPath(RepoLayout.CommitMetaPath(checksum));
            detachedBytes ??= File.Exists(metaPath) ? File.ReadAllBytes(metaPath) : null;
        }
        else
        {
            if (!_options.DryRun) _repo.MarkCommitPartial(checksum, true);
            // a commit found in a local cache comes with that cache's detached metadata
            var cache = CacheFor(name);
            IPullSource from = cache ?? _source;
            // as ostree counts: a download is two requests (the detached metadata's counts even when absent),
            // a local import is the commit; counted before it arrives, so fetched never exceeds the total
            int requests = from.IsLocal ? 1 : 2;
            Interlocked.Add(ref _objectsTotal, requests);
            var metaTask = from.FetchMetadataAsync(new ObjectName(checksum, ObjectType.CommitMeta), optional: true, ObjectFormats.MaxMetadataSize, ct);
            var commitTask = from.FetchMetadataAsync(name, optional: isParent, maxSize, ct);
            detachedBytes = await metaTask.ConfigureAwait(false);
            detachedFromNetwork = !from.IsLocal;
            var fetched = await commitTask.ConfigureAwait(false);
            if (!from.IsLocal) CountMetadata(fromCache: false, requests);
            else if (fetched is not null) CountMetadata(cache is not null);
            if (fetched is null)
            {
                if (from.IsLocal) Interlocked.Decrement(ref _objectsTotal);
                // a dangling parent (the source was pulled shallowly or pruned): history ends here, as in ostree
                if (!_options.DryRun) _repo.MarkCommitPartial(checksum, false);
                _commits.TryRemove(checksum, out _);
                return;
            }
            commitBytes = fetched;
            trusted = from.Trusted;
        }

        var commit = ParseVerified(name, commitBytes, trusted, ObjectFormats.Commit, b => CommitObject.Parse(b));
        VariantDictionary? detached = null;
        if (detachedBytes is not null) (detachedBytes, detached) = TakeDetached(detachedBytes, detachedFromNetwork);
        // a commit we had, or one from a local repository (imported before it is checked), is
        // checked as ostree checks a stored commit; one fetched over HTTP before it is written
        if (_verifier.VerifiesCommits) _verifier.VerifyCommit(checksum, commitBytes, detached, stored: haveLocal || _source.IsLocal);
        if (!_options.DisableVerifyBindings) VerifyBindings(checksum, refName, commit);
        if (!isParent) CheckTimestamp(checksum, refName, commit);

        if ((!haveLocal || freshDetached) && !_options.DryRun)
        {
            // detached metadata (signatures included) is kept next to the commit
            if (detachedBytes is not null)
            {
                var metaPath = _repo.FullPath(RepoLayout.CommitMetaPath(checksum));
                Directory.CreateDirectory(Path.GetDirectoryName(metaPath)!);
                AtomicFile.WriteAllBytes(metaPath, detachedBytes, 0x1A4, fsync: false);
            }
            if (!haveLocal) StageMetadata(ObjectType.Commit, commitBytes, checksum, trusted, CacheFor(name) ?? _source);
        }

        if (depth != 0 && commit.Parent is { } parent)
            EnqueueCommit(parent, depth < 0 ? depth : depth - 1, null, ObjectFormats.MaxMetadataSize, isParent: true);
        if (_options.CommitMetadataOnly) return;
        if (complete) return;
        _commits[checksum] = true;
        EnqueueDirMeta(commit.RootMeta);
        EnqueueDirTree(commit.RootTree, RootPath);
    }

    /// <summary>
    /// Detached metadata as ostree takes it: never rejected, its dictionary read as GLib reads any bytes
    /// (<see cref="GVariantNormalizer"/>). From the network (<paramref name="fromNetwork"/>, read as
    /// untrusted) it is stored in GLib's normal form, as ostree_repo_write_commit_detached_metadata
    /// stores it; a local repository's, which ostree reads as trusted, is copied byte for byte.
    /// <paramref name="depth"/> is its nesting in an enclosing value (4 in a delta superblock).
    /// </summary>
    private static (byte[] Stored, VariantDictionary Dictionary) TakeDetached(byte[] bytes, bool fromNetwork, int depth = 0)
    {
        // read once: the dictionary and, when the bytes are not GLib-normal, the normal form to store
        var value = GVariantNormalizer.Read(bytes, ObjectFormats.Metadata, depth);
        var stored = !fromNetwork || GVariantNormalizer.IsGLibNormal(bytes, ObjectFormats.Metadata, depth) ? bytes : value.Serialize();
        return (stored, VariantDictionary.FromValue(value));
    }

    private void EnqueueDirMeta(Checksum checksum)
    {
        var name = new ObjectName(checksum, ObjectType.DirMeta);
        if (!_seen.TryAdd(name, 0) || _repo.HasObject(name)) return;
        Interlocked.Increment(ref _objectsTotal);
        EnqueueMetadataWork(async ct =>
        {
            var from = CacheFor(name) ?? _source;
            var bytes = (await from.FetchMetadataAsync(name, optional: false, ObjectFormats.MaxMetadataSize, ct).ConfigureAwait(false))!;
            CountMetadata(from != _source);
            ParseVerified(name, bytes, from.Trusted, ObjectFormats.DirMeta, b => DirMetaObject.Parse(b));
            Store(name, bytes, from);
        });
    }

    /// <summary>The walk's spelling of the root directory, for <see cref="SubpathFilter"/>.</summary>
    private const string RootPath = "/";

    /// <param name="path">The directory's path ("/", "/usr/"): with <c>--subpath</c>, only matching entries are queued.</param>
    private void EnqueueDirTree(Checksum checksum, string path)
    {
        var name = new ObjectName(checksum, ObjectType.DirTree);
        if (!_seen.TryAdd(name, 0)) return;
        bool present = _repo.HasObject(name);
        if (!present) Interlocked.Increment(ref _objectsTotal);
        EnqueueMetadataWork(async ct =>
        {
            byte[] bytes;
            IPullSource? from = null;
            if (present) bytes = _repo.LoadMetadata(name);
            else
            {
                from = CacheFor(name) ?? _source;
                bytes = (await from.FetchMetadataAsync(name, optional: false, ObjectFormats.MaxMetadataSize, ct).ConfigureAwait(false))!;
                CountMetadata(from != _source);
            }
            // objects already in the repository were verified when they were stored
            var tree = from is null ? DirTreeObject.Parse(bytes) : ParseVerified(name, bytes, from.Trusted, ObjectFormats.DirTree, b => DirTreeObject.Parse(b));
            if (from is not null) Store(name, bytes, from);
            // a present dirtree may still have missing children (an interrupted earlier pull)
            var subpaths = _options.Subpaths;
            foreach (var f in tree.Files)
                if (SubpathFilter.Matches(subpaths, path, f.Name, isDirectory: false)) EnqueueContent(f.Checksum);
            foreach (var d in tree.Dirs)
            {
                if (!SubpathFilter.Matches(subpaths, path, d.Name, isDirectory: true)) continue;
                EnqueueDirMeta(d.Meta);
                EnqueueDirTree(d.Tree, path + d.Name + "/");
            }
        });
    }

    private void EnqueueContent(Checksum checksum)
    {
        var name = new ObjectName(checksum, ObjectType.File);
        if (!_seen.TryAdd(name, 0) || _repo.HasObject(name)) return;
        Interlocked.Increment(ref _objectsTotal);
        if (_options.DryRun)
        {
            Interlocked.Increment(ref _contentMissing);
            return;
        }
        _scheduler.EnqueueContent(async ct =>
        {
            var lease = _publisher!.Acquire();
            try
            {
                var cache = CacheFor(name);
                var r = await (cache ?? _source).FetchContentAsync(checksum, lease.Transaction, ct).ConfigureAwait(false);
                Interlocked.Increment(ref cache is null ? ref _contentFetched : ref _contentFromCache);
                // as ostree: "content written" counts what came from the source, not from a local cache
                if (r.Written && cache is null) Interlocked.Add(ref _contentBytesWritten, r.ContentSize);
            }
            finally
            {
                _publisher.Release(lease);
            }
        });
    }

    /// <summary>
    /// Checks that <paramref name="bytes"/> are the object <paramref name="name"/>: SHA-256, normal form, structure.
    /// From a <paramref name="trusted"/> source (pull-local without <c>--untrusted</c>) only the structure, as
    /// ostree imports trusted metadata without checksumming it.
    /// </summary>
    private T ParseVerified<T>(ObjectName name, byte[] bytes, bool trusted, GVariantType type, Func<byte[], T> parse)
    {
        var where = _source.Describe(RepoLayout.ObjectPath(name, RepoMode.Archive));
        if (!trusted)
        {
            var actual = Checksum.Compute(bytes);
            if (actual != name.Checksum) throw new CorruptObjectException($"{CorruptObjectException.ChecksumMismatch(name, actual).Message} (from {where})");
            if (!GVariantNormalForm.IsNormal(bytes, type)) throw new CorruptObjectException($"{name}: Not normal form (from {where})");
        }
        // ostree prefixes structure errors with the object's name: "C.dirtree: Invalid / in filename ../afile"
        try { return parse(bytes); }
        catch (CorruptObjectException e) { throw new CorruptObjectException($"{name}: {e.Message} (from {where})"); }
    }

    private void Store(ObjectName name, byte[] bytes, IPullSource from)
    {
        if (_options.DryRun) return; // a dry run keeps nothing
        StageMetadata(name.Type, bytes, name.Checksum, from.Trusted, from);
    }

    /// <summary>Stores verified metadata: a local source's object file hardlinked when it can be (as ostree imports it), else the bytes written.</summary>
    private void StageMetadata(ObjectType type, byte[] bytes, Checksum checksum, bool trusted = false, IPullSource? from = null)
    {
        var lease = _publisher!.Acquire();
        try
        {
            if (from?.TryLinkMetadata(new ObjectName(checksum, type), lease.Transaction) != true)
                lease.Transaction.WriteMetadata(type, bytes, checksum, trusted);
        }
        finally { _publisher.Release(lease); }
    }

    /// <summary>ostree's downgrade protection (<c>_ostree_compare_timestamps</c>) for <c>-T</c> and <c>--timestamp-check-from-rev</c>.</summary>
    private void CheckTimestamp(Checksum checksum, string? refName, CommitObject commit)
    {
        if (_options.TimestampCheck && refName is not null && _repo.Refs.TryRead(_refRemote, refName) is { } current)
            CompareTimestamps(current, _repo.LoadCommit(current).Timestamp, checksum, commit.Timestamp);
        if (_options.TimestampCheckFromRev is { } rev)
        {
            var from = Refs.RevParser.Resolve(_repo, rev);
            CompareTimestamps(from, _repo.LoadCommit(from).Timestamp, checksum, commit.Timestamp);
        }
    }

    private static void CompareTimestamps(Checksum current, ulong currentTs, Checksum next, ulong nextTs)
    {
        if (nextTs > currentTs || nextTs == currentTs || current == next) return;
        static string Fmt(ulong s) => CLocaleTime.Format(DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(s, 253402300799UL)));
        throw new PullException($"Upgrade target revision '{next}' with timestamp '{Fmt(nextTs)}' is chronologically older than current revision '{current}' with timestamp '{Fmt(currentTs)}'; use --allow-downgrade to permit");
    }

    /// <summary>ostree's ref and collection binding checks (<c>_ostree_repo_verify_bindings</c>).</summary>
    private void VerifyBindings(Checksum checksum, string? refName, CommitObject commit)
    {
        // as ostree's get_remote_repo_collection_id: a local source repository (pull-local, file://)
        // speaks for itself, whatever the remote's configuration says
        var collectionId = _source is LocalPullSource local
            ? local.Source.Config.CollectionId is { Length: > 0 } own ? own : null
            : _remote?.CollectionId;
        var binding = commit.Metadata["ostree.ref-binding"];
        if (binding is null || !binding.Type.Equals(GVariantType.StringArray))
        {
            if (collectionId is null) return;
            throw new PullException($"Commit {checksum}: Expected commit metadata to have ref binding information, found none");
        }
        var refs = binding.AsStringArray();
        if (refName is not null && !refs.Contains(refName))
        {
            var dump = refs.Length > 0 ? string.Join(", ", refs.Select(r => $"‘{r}’")) : "no refs";
            throw new PullException($"Commit {checksum}: Commit has no requested ref ‘{refName}’ in ref binding metadata ({dump})");
        }
        if (collectionId is not null)
        {
            var bound = commit.Metadata.GetString("ostree.collection-binding")
                ?? throw new PullException($"Commit {checksum}: Expected commit metadata to have collection ID binding information, found none");
            if (bound != collectionId)
                throw new PullException($"Commit {checksum}: Commit has collection ID ‘{bound}’ in collection binding metadata, while the remote it came from has collection ID ‘{collectionId}’");
        }
    }
}
