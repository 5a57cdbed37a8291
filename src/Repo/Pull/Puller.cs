using System.Collections.Concurrent;
using System.Diagnostics;
using Arbor.Repo.Core;
using Arbor.Repo.Progress;
using Arbor.Repo.Remotes;
using Arbor.Repo.Store;
using Arbor.Repo.Summary;

namespace Arbor.Repo.Pull;

/// <summary>
/// Pulls commits from an HTTP(S) archive repository or a local repository into a repository of any
/// mode (pull-protocol.md §3.1): resolves refs (summary, else <c>refs/heads</c>), fetches each
/// commit's detached metadata and commit, verifies signatures and bindings, then walks the tree
/// breadth-first with metadata ahead of content and many requests in flight, skipping objects
/// already present. Every object is verified before it is staged; verified objects are published
/// as the pull goes (the commit stays marked <c>state/C.commitpartial</c>), and refs are written
/// last, after the commit's objects are all present, through <see cref="Transaction.SetRef"/>.
/// Static deltas are used where ostree would use them (Deltas/Puller.Deltas.cs).
/// </summary>
public sealed partial class Puller
{
    private readonly Repository _repo;
    private readonly IPullSource _source;
    private readonly PullOptions _options;
    private readonly RemoteConfig? _remote;
    private readonly string? _refRemote;          // refs/remotes/<this>/…; null writes refs/heads
    private readonly CommitVerifier _verifier;
    private readonly FetchScheduler _scheduler;
    private readonly ConcurrentDictionary<ObjectName, byte> _seen = new();
    private readonly ConcurrentDictionary<Checksum, bool> _commits = new();   // value: tree walked (complete once the pull succeeds)
    private readonly Stopwatch _clock = new();
    private StagingPublisher? _publisher;
    private readonly IReadOnlyList<LocalPullSource> _caches;
    private int _metadataFetched, _contentFetched, _objectsTotal, _pendingMetadata, _contentMissing, _metadataFromCache, _contentFromCache;
    private long _contentBytesWritten;
    private volatile PullPhase _phase = PullPhase.Resolving;

    private Puller(Repository repo, IPullSource source, PullOptions options, RemoteConfig? remote, string? refRemote, CommitVerifier verifier,
        IReadOnlyList<LocalPullSource>? caches = null)
    {
        _caches = caches ?? [];
        _repo = repo;
        _source = source;
        _options = options;
        _remote = remote;
        _refRemote = refRemote;
        _verifier = verifier;
        _scheduler = new FetchScheduler(source.IsLocal ? Math.Min(options.MaxConcurrentFetches, Environment.ProcessorCount * 2) : options.MaxConcurrentFetches);
    }

    /// <summary><c>pull REMOTE [REF...]</c>: from the remote's URL (http, https or file://).</summary>
    public static Task<PullResult> PullAsync(Repository repo, RemoteStore remotes, string remoteName, PullOptions options, CancellationToken cancellationToken)
    {
        var remote = remotes.Get(remoteName);
        return PullAsync(repo, remote, CommitVerifier.For(remotes, remote), options, cancellationToken);
    }

    /// <summary>
    /// A pull from <paramref name="remote"/> (a configured remote, or one made for the occasion, such as
    /// the mount finder's) under the signature policy <paramref name="verifier"/>; refs go to
    /// <c>refs/remotes/REMOTE-NAME/</c>.
    /// </summary>
    public static async Task<PullResult> PullAsync(Repository repo, RemoteConfig remote, CommitVerifier verifier,
        PullOptions options, CancellationToken cancellationToken)
    {
        var remoteName = remote.Name;
        if (remote.UnconfiguredState is { } state) throw new PullException(state);
        if (remote.CustomBackend is { } backend)
            throw new PullException($"Cannot fetch via libostree - remote '{remoteName}' uses custom backend '{backend}'");
        var url = options.OverrideUrl ?? remote.RequireUrl();
        var refRemote = options.Mirror ? null : remoteName;
        IPullSource source;
        List<LocalPullSource>? caches = null;
        if (url.StartsWith("file://", StringComparison.Ordinal))
        {
            var path = new Uri(url).LocalPath;
            source = new LocalPullSource(Repository.Open(path), repo, options.Untrusted, options.BareUserOnlyFiles);
        }
        else
        {
            var fetcher = new HttpFetcher(remote, options, CookieJar.For(repo, remoteName).Cookies());
            try
            {
                var bases = await ResolveBasesAsync(fetcher, url, cancellationToken).ConfigureAwait(false);
                var contentBases = remote.ContentUrl is { } cu && options.OverrideUrl is null
                    ? await ResolveBasesAsync(fetcher, cu, cancellationToken).ConfigureAwait(false)
                    : bases;
                caches = OpenCaches(repo, options);
                source = new HttpPullSource(fetcher, bases, contentBases, repo, options);
            }
            catch
            {
                fetcher.Dispose();
                throw;
            }
        }
        using (source)
        {
            var puller = new Puller(repo, source, options, remote, refRemote, verifier, caches);
            return await puller.RunAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>pull-local SRC [REF...]</c>: from a repository on this machine, in any mode.</summary>
    public static Task<PullResult> PullLocalAsync(Repository repo, string sourcePath, PullOptions options, CancellationToken cancellationToken) =>
        PullLocalAsync(repo, sourcePath, options, null, cancellationToken);

    private static async Task<PullResult> PullLocalAsync(Repository repo, string sourcePath, PullOptions options, CommitVerifier? verifier, CancellationToken cancellationToken)
    {
        var src = Repository.Open(sourcePath);
        if (Path.GetFullPath(src.Path) == Path.GetFullPath(repo.Path))
            throw new RepoException("Source and destination repositories are the same");
        using var source = new LocalPullSource(src, repo, options.Untrusted, options.BareUserOnlyFiles);
        var puller = new Puller(repo, source, options, null, options.LocalRemoteName, verifier ?? CommitVerifier.None);
        return await puller.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>pull-local with <c>--gpg-verify</c>/<c>--gpg-verify-summary</c>: the signature policy of <paramref name="remoteName"/>.</summary>
    public static Task<PullResult> PullLocalVerifiedAsync(Repository repo, string sourcePath, RemoteStore remotes, string remoteName,
        bool gpgVerify, bool gpgVerifySummary, PullOptions options, CancellationToken cancellationToken)
    {
        var remote = remotes.Get(remoteName);
        var verifier = CommitVerifier.For(remotes, remote, gpgVerify, gpgVerifySummary);
        return PullLocalAsync(repo, sourcePath, options with { LocalRemoteName = remoteName }, verifier, cancellationToken);
    }

    /// <summary>A <c>mirrorlist=URL</c> names a text file of base URLs, one per line; otherwise the URL itself.</summary>
    private static async Task<IReadOnlyList<Uri>> ResolveBasesAsync(HttpFetcher fetcher, string url, CancellationToken ct)
    {
        const string prefix = "mirrorlist=";
        if (!url.StartsWith(prefix, StringComparison.Ordinal)) return [HttpPullSource.BaseUri(url)];
        var listUrl = new Uri(url[prefix.Length..]);
        var text = await fetcher.RetryAsync(async _ =>
        {
            using var resp = await fetcher.GetAsync(listUrl, 0, ct).ConfigureAwait(false);
            if ((int)resp.Status is < 200 or >= 300) throw new PullException($"Server returned HTTP {(int)resp.Status} for {HttpFetcher.Redact(listUrl)}");
            using var reader = new StreamReader(resp.Body);
            return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        }, _ => HttpFetcher.Redact(listUrl), ct).ConfigureAwait(false);
        var bases = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(HttpPullSource.BaseUri).ToList();
        if (bases.Count == 0) throw new PullException($"No mirrors found in mirrorlist {HttpFetcher.Redact(listUrl)}");
        return bases;
    }

    private async Task<PullResult> RunAsync(CancellationToken ct)
    {
        _clock.Start();
        using var reporterCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reporter = _options.Progress is null ? Task.CompletedTask : ReportLoopAsync(reporterCts.Token);
        try
        {
            var plan = await ResolveAsync(ct).ConfigureAwait(false);
            _phase = PullPhase.Scanning;
            if (!_options.DryRun) _publisher = new StagingPublisher(_repo);
            try
            {
                foreach (var (commit, refName, maxSize) in plan.Commits)
                    EnqueueTarget(commit, refName, maxSize);
                var publishing = _publisher is null ? Task.CompletedTask : PublishLoopAsync(reporterCts.Token);
                try
                {
                    await _scheduler.RunAsync(ct).ConfigureAwait(false);
                }
                finally
                {
                    await StopAsync(reporterCts, publishing).ConfigureAwait(false);
                }
                _phase = PullPhase.Writing;
                if (_publisher is not null) Finish(plan);
            }
            finally
            {
                // success or failure: whatever was verified is published, so a re-run fetches only the rest
                PublishQuietly();
            }
            _phase = PullPhase.Done;
            return new PullResult
            {
                Refs = [.. plan.RefsToWrite, .. plan.CollectionRefsToWrite.Select(c => (_options.Mirror ? null : _refRemote, c.Ref.RefName, c.Commit))],
                Commits = _commits.Keys.ToList(),
                MetadataFetched = _metadataFetched,
                ContentFetched = _contentFetched,
                MetadataFromCache = _metadataFromCache,
                ContentFromCache = _contentFromCache,
                ContentMissing = _contentMissing,
                BytesTransferred = _source.BytesTransferred,
                ContentBytesWritten = Interlocked.Read(ref _contentBytesWritten),
                Elapsed = _clock.Elapsed,
                Local = _source.IsLocal,
                Deltas = DeltaStats(),
            };
        }
        finally
        {
            reporterCts.Cancel();
            await reporter.ConfigureAwait(false);
            Report();
        }
    }

    private static async Task StopAsync(CancellationTokenSource loops, Task publishing)
    {
        await loops.CancelAsync().ConfigureAwait(false);
        await publishing.ConfigureAwait(false);
    }

    private void PublishQuietly()
    {
        if (_publisher is null) return;
        var p = _publisher;
        _publisher = null;
        try { p.PublishFinal(); }
        finally { p.Dispose(); }
    }

    /// <summary>After every object is present: publish, clear commitpartial markers, then write refs in one transaction.</summary>
    private void Finish(PullPlan plan)
    {
        PublishQuietly();
        // a --subpath pull leaves its commits partial (as ostree does): the rest of the tree is missing
        if (_options.Subpaths.Count == 0)
            foreach (var (commit, walked) in _commits)
                if (walked) _repo.MarkCommitPartial(commit, false);
        if (plan.RefsToWrite.Count > 0 || plan.CollectionRefsToWrite.Count > 0)
        {
            using var tx = _repo.BeginTransaction();
            // a mirror of a remote with a collection ID keeps its refs as collection–refs (refs/mirrors/COLLECTION/REF), as ostree does
            var mirrorCollection = _options.Mirror ? _remote?.CollectionId : null;
            foreach (var (remote, name, commit) in plan.RefsToWrite)
            {
                if (mirrorCollection is not null && remote is null) tx.SetCollectionRef(mirrorCollection, name, commit);
                else tx.SetRef(remote, name, commit);
            }
            // collection–refs: refs/mirrors/COLLECTION/REF (refs/heads for the repository's own collection) when
            // mirroring, else refs/remotes/REMOTE/REF, as ostree_repo_pull_with_options writes them
            foreach (var (cref, commit) in plan.CollectionRefsToWrite)
            {
                if (_options.Mirror) tx.SetCollectionRef(cref.CollectionId, cref.RefName, commit);
                else tx.SetRef(_refRemote, cref.RefName, commit);
            }
            tx.Commit();
        }
        if (plan.MirrorSummary is { } summary)
        {
            AtomicFile.WriteAllBytes(_repo.FullPath(RepoLayout.Summary), summary, 0x1A4, _repo.Config.Fsync);
            var sigPath = _repo.FullPath(RepoLayout.SummarySig);
            if (plan.MirrorSummarySig is { } sig) AtomicFile.WriteAllBytes(sigPath, sig, 0x1A4, _repo.Config.Fsync);
            else if (File.Exists(sigPath)) File.Delete(sigPath);
        }
        else if (plan.RefsToWrite.Count > 0 || plan.CollectionRefsToWrite.Count > 0)
        {
            SummaryWriter.MaybeRegenerate(_repo);
        }
    }

    private async Task PublishLoopAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.PublishInterval, ct).ConfigureAwait(false);
                if (_publisher is { } p) await p.PublishAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { }
    }

    private async Task ReportLoopAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                Report();
                await Task.Delay(_options.ProgressInterval, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { }
    }

    private void Report() => _options.Progress?.Report(Snapshot());

    private ProgressEvent Snapshot()
    {
        bool final = Volatile.Read(ref _pendingMetadata) == 0 && _phase != PullPhase.Resolving;
        var phase = _phase == PullPhase.Scanning && final ? PullPhase.Receiving : _phase;
        return new ProgressEvent(phase, Volatile.Read(ref _metadataFetched), Volatile.Read(ref _contentFetched),
            Volatile.Read(ref _objectsTotal), final, _source.BytesTransferred, Interlocked.Read(ref _contentBytesWritten), _clock.Elapsed);
    }
}
