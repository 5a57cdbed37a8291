using System.Globalization;
using Arbor.Repo.Core;
using Arbor.Repo.Progress;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;
using Arbor.Repo.Summary;
using Arbor.Repo.Traverse;

namespace Arbor.Repo.StaticDelta;

/// <summary>What a generation produced, for the verbose lines and the tests.</summary>
public sealed record DeltaGenerateResult(string SuperblockPath, IReadOnlyList<DeltaPartHeader> Parts, IReadOnlyList<DeltaFallback> Fallbacks,
    int NewMetadata, int NewRegular, int NewSymlinks, ulong LooseSize);

/// <summary>
/// Compiles a static delta FROM→TO (or from scratch) as ostree 2022.7's "low latency" compiler does:
/// the objects reachable from TO and not from FROM, metadata first (the TO commit itself travels in
/// the superblock), then regular files, then symlinks, each spliced whole into xz-compressed parts
/// of at most <see cref="DeltaGenerateOptions.MaxChunkSize"/>; regular files over
/// <see cref="DeltaGenerateOptions.MinFallbackSize"/> become fallback objects fetched as loose
/// objects. A new file paired with a FROM file by <see cref="SimilarFiles"/> (same basename, similar
/// size) travels, after the metadata as in ostree, as ranges of it found by rollsum matching
/// (<see cref="RollsumMatches"/>) when at least half of its chunks are there, else as a bsdiff patch.
/// Objects are taken in traversal order, so the same repository gives the same parts.
/// The parts are written (atomically) before the superblock, and an old superblock is removed
/// first, so an interrupted generation never leaves a superblock that names missing parts.
/// </summary>
public static class DeltaGenerator
{
    /// <summary>Patched bytes in one batch past which the garbage of the bsdiffs is collected at once.</summary>
    private const long LargePatchInput = 8 << 20;

    public static DeltaGenerateResult Generate(Repository repo, Checksum? from, Checksum to, DeltaGenerateOptions options, TextWriter? log = null)
    {
        var toCommit = new ObjectName(to, ObjectType.Commit);
        var commitBytes = repo.LoadMetadata(toCommit);
        var fromObjects = new HashSet<ObjectName>();
        if (from is { } f)
        {
            if (!repo.HasObject(new ObjectName(f, ObjectType.Commit))) throw new RepoException($"No such metadata object {f}.commit");
            foreach (var o in new Reachability(repo).EnumerateCommit(f, maxDepth: 0)) fromObjects.Add(o);
        }
        var metadata = new List<ObjectName>();
        var regular = new List<(Checksum Checksum, ContentObject Object)>();
        var symlinks = new List<(Checksum Checksum, ContentObject Object)>();
        foreach (var o in new Reachability(repo).EnumerateCommit(to, maxDepth: 0))
        {
            if (fromObjects.Contains(o) || o == toCommit) continue;
            if (o.Type != ObjectType.File) { metadata.Add(o); continue; }
            var content = repo.LoadContent(o.Checksum);
            (content.Header.IsSymlink ? symlinks : regular).Add((o.Checksum, content));
        }
        // ostree pairs files by basename and size whenever there is a FROM, bsdiff or not
        var newRegular = regular.ToDictionary(r => r.Checksum, r => r.Object);
        var regularSizes = regular.ToDictionary(r => r.Checksum, r => r.Object.Size);
        var modified = from is { } f1 ? SimilarFiles.Find(repo, f1, to, regularSizes) : [];
        log?.WriteLine($"modified: {modified.Count}");
        log?.WriteLine($"new reachable: metadata={metadata.Count + 1} content regular={regular.Count} symlink={symlinks.Count}");
        // the FROM file must be world-readable (so that a bare-user client can read it); a file with at
        // least half of its rollsum chunks in the FROM file travels as ranges of it, else (the two
        // together at most the bsdiff maximum) as a bsdiff patch
        var candidates = modified.Select(p => new Pair(p.From, repo.LoadContent(p.From), p.To, newRegular[p.To]))
            .Where(p => (p.OldContent.Header.Mode & 0x4) != 0).ToList();
        var rollsums = new RollsumMatches?[candidates.Count];
        Parallel.For(0, candidates.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var p = candidates[i];
            // (ostree maps both files whole; arbor reads them into arrays, which cannot hold 2 GB)
            if (p.OldContent.Size > Array.MaxLength || p.NewContent.Size > Array.MaxLength) return;
            var matches = RollsumMatches.Compute(ReadAll(p.OldContent), ReadAll(p.NewContent));
            if (matches.Worthwhile) rollsums[i] = matches;
        });
        var pairs = new List<Pair>();
        var rolled = new List<(Pair Pair, RollsumMatches Matches)>();
        for (int i = 0; i < candidates.Count; i++)
        {
            var p = candidates[i];
            if (rollsums[i] is { } matches)
            {
                log?.WriteLine($"rollsum for {p.Old} -> {p.New}; crcs={matches.CrcMatches} bufs={matches.Matches.Count} total={matches.Total} matchsize={matches.MatchSize}");
                rolled.Add((p, matches));
            }
            else if (options.BsDiff && (ulong)p.OldContent.Size + (ulong)p.NewContent.Size <= options.MaxBsdiffSize) pairs.Add(p);
        }
        log?.WriteLine($"rollsum for {rolled.Count}/{modified.Count} modified");

        string superblockPath = options.Filename is { } fn
            ? Path.GetFullPath(fn)
            : repo.FullPath(StaticDeltaNames.RelativeDirectory(from, to) + "/superblock");
        var dir = Path.GetDirectoryName(superblockPath)!;
        if (options.Filename is null) Directory.CreateDirectory(dir);
        else if (!Directory.Exists(dir)) throw new RepoException($"opendir({dir}): No such file or directory");
        bool fsync = repo.Config.Fsync;
        if (File.Exists(superblockPath)) File.Delete(superblockPath);

        // "loose" sums the stored size of the objects the parts carry whole, as ostree's does
        var writer = new PartSink(options, options.InlineParts ? null : dir, fsync, metadata.Count + regular.Count + symlinks.Count, log);
        ulong loose = 0;
        foreach (var m in metadata)
        {
            var bytes = repo.LoadMetadata(m);
            writer.Next(bytes.Length).AddMetadata(m, bytes);
            loose += StorageSize(repo, m);
        }
        var patched = new HashSet<Checksum>();
        // then the files made of ranges of FROM files
        foreach (var (p, matches) in rolled)
        {
            var bytes = ReadAll(p.NewContent);
            writer.Next(Checksum.ByteLength + bytes.Length - matches.MatchSize).AddRollsum(p.New, p.NewContent.Header, p.Old, bytes, matches.Matches);
            patched.Add(p.New);
        }
        // a few patches at a time on all cores (each builds a suffix array of its FROM file), added in order
        int batch = Math.Max(1, Environment.ProcessorCount), every = pairs.Count / 10;
        var patches = new byte[batch][];
        for (int start = 0; start < pairs.Count; start += batch)
        {
            int count = Math.Min(batch, pairs.Count - start);
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = batch }, i =>
            {
                var p = pairs[start + i];
                // (the patch is about as long as the file, mostly zeros: the part's xz compression shrinks it)
                patches[i] = BsDiff.Create(ReadAll(p.OldContent), ReadAll(p.NewContent));
            });
            // a suffix array takes 4 bytes a byte of the FROM file: after large files, hand that memory back
            // before the part's xz encoder (preset 8: a few hundred MB of its own) may run
            if (pairs.Skip(start).Take(count).Sum(p => p.NewContent.Size) >= LargePatchInput)
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            for (int i = 0; i < count; i++)
            {
                var p = pairs[start + i];
                var patch = patches[i];
                patches[i] = [];
                if (every == 0 || (start + i) % every == 0) writer.WriteLine($"processing bsdiff: [{start + i}/{pairs.Count}]");
                writer.Next(patch.Length + Checksum.ByteLength).AddBsPatch(p.New, p.NewContent.Header, (ulong)p.NewContent.Size, p.Old, patch);
                patched.Add(p.New);
            }
        }
        var fallbacks = new List<DeltaFallback>();
        var whole = new List<(Checksum Checksum, ContentObject Content)>();
        foreach (var (checksum, content) in regular)
        {
            if (patched.Contains(checksum)) continue;
            var name = new ObjectName(checksum, ObjectType.File);
            if (options.MinFallbackSize > 0 && (ulong)content.Size > options.MinFallbackSize)
            {
                fallbacks.Add(new DeltaFallback(name, StorageSize(repo, name), (ulong)content.Size));
                writer.Skip();
                writer.WriteLine($"fallback for {checksum} ({SizeFormat.Format((ulong)content.Size)})");
                continue;
            }
            whole.Add((checksum, content));
        }
        foreach (var (checksum, content) in whole)
        {
            using (var stream = content.OpenContent())
                writer.Next(content.Size).AddContent(checksum, content.Header, stream, content.Size);
            loose += StorageSize(repo, new ObjectName(checksum, ObjectType.File));
        }
        foreach (var (checksum, content) in symlinks)
        {
            var target = System.Text.Encoding.UTF8.GetBytes(content.Header.SymlinkTarget);
            writer.Next(target.Length).AddContent(checksum, content.Header with { SymlinkTarget = "" }, target);
            loose += StorageSize(repo, new ObjectName(checksum, ObjectType.File));
        }
        var parts = writer.Finish();

        var detachedPath = repo.FullPath(RepoLayout.CommitMetaPath(to));
        var detached = File.Exists(detachedPath) ? File.ReadAllBytes(detachedPath) : null;
        var superblock = DeltaSuperblockWriter.Write(from, to, commitBytes, detached, parts, fallbacks, options.InlineParts,
            options.BigEndian, options.Now ?? DateTimeOffset.UtcNow);
        if (options.SignKeys is { } keys) superblock = SignedDeltaSuperblock.Wrap(superblock, options.SignEngine, keys);

        AtomicFile.WriteAllBytes(superblockPath, superblock, 0x1A4, fsync);

        ulong compressed = (ulong)parts.Sum(p => (long)p.Header.Size), uncompressed = (ulong)parts.Sum(p => (long)p.Header.UncompressedSize);
        log?.WriteLine($"uncompressed={uncompressed} compressed={compressed} loose={loose}");
        log?.WriteLine($"rollsum={rolled.Count} objects, {rolled.Sum(r => r.Matches.MatchSize)} bytes");
        log?.WriteLine($"bsdiff={pairs.Count} objects");
        return new DeltaGenerateResult(superblockPath, parts.Select(p => p.Header).ToList(), fallbacks,
            metadata.Count + 1, regular.Count, symlinks.Count, loose);
    }

    /// <summary>A new regular file paired with a FROM file (<see cref="SimilarFiles"/>), both objects loaded once.</summary>
    private readonly record struct Pair(Checksum Old, ContentObject OldContent, Checksum New, ContentObject NewContent);

    private static byte[] ReadAll(ContentObject content)
    {
        var data = new byte[content.Size];
        using var s = content.OpenContent();
        s.ReadExactly(data);
        return data;
    }

    /// <summary>The size of the object as stored (the <c>.filez</c> of an archive repository, the file of a bare one).</summary>
    private static ulong StorageSize(Repository repo, ObjectName name)
    {
        var info = new FileInfo(repo.ObjectPath(name));
        return info.Exists ? (ulong)info.Length : 0;
    }

    /// <summary>
    /// Fills parts in turn, starting a new one when the next object would take the blob past the chunk
    /// size. A full part is compressed and written (to <paramref name="dir"/>; null: kept for inlining)
    /// in the background while the next one fills, up to <see cref="MaxCompressing"/> at once: xz
    /// preset 8 runs on one core at about 1 MB/s, nearly all of a large delta's time.
    /// </summary>
    private sealed class PartSink(DeltaGenerateOptions options, string? dir, bool fsync, int objectsTotal, TextWriter? log)
    {
        /// <summary>Parts compressed at once: each xz encoder takes a few hundred MB.</summary>
        private static readonly int MaxCompressing = Math.Clamp(Environment.ProcessorCount, 1, 3);

        private readonly List<BuiltDeltaPart> _done = [];
        private readonly Queue<Task<BuiltDeltaPart>> _compressing = new();
        private readonly ProgressGate _gate = new();
        private DeltaPartBuilder _current = new(0);
        private int _objects;

        /// <summary>An object left out of the parts (a fallback): counted for the progress only.</summary>
        public void Skip() => Count();

        private void Count()
        {
            _objects++;
            if (options.Progress is { } progress && _gate.IsDue()) progress.Report(new DeltaGenerateProgress(_objects, objectsTotal, _done.Count));
        }

        public DeltaPartBuilder Next(long objectSize)
        {
            Count();
            if (_current.ObjectCount > 0 && (ulong)(_current.PayloadLength + objectSize) > options.MaxChunkSize)
            {
                Complete();
                _current = new DeltaPartBuilder(_done.Count + _compressing.Count);
            }
            return _current;
        }

        /// <summary>A line of the report, after the lines of the parts finished before it (the order ostree prints them in).</summary>
        public void WriteLine(string line)
        {
            if (log is null) return;
            while (_compressing.Count > 0) TakeOldest();
            log.WriteLine(line);
        }

        private void Complete()
        {
            var builder = _current;
            _compressing.Enqueue(Task.Run(() =>
            {
                var part = builder.Finish(options.BigEndian, options.XzPreset);
                if (dir is null) return part;
                AtomicFile.WriteAllBytes(Path.Combine(dir, part.Header.Index.ToString(CultureInfo.InvariantCulture)), part.FileBytes, 0x1A4, fsync);
                return part with { FileBytes = [] };
            }));
            while (_compressing.Count >= MaxCompressing) TakeOldest();
        }

        private void TakeOldest()
        {
            var part = _compressing.Dequeue().GetAwaiter().GetResult();
            _done.Add(part);
            // printed as each part is done, as ostree does
            log?.WriteLine($"part {part.Header.Index + 1} n:{part.Header.Objects.Count} compressed:{part.Header.Size} uncompressed:{part.Header.UncompressedSize}");
        }

        public List<BuiltDeltaPart> Finish()
        {
            Complete();
            while (_compressing.Count > 0) TakeOldest();
            return _done;
        }
    }
}
