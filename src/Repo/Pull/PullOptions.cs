using Arbor.Repo.Progress;

namespace Arbor.Repo.Pull;

/// <summary>How to pull (the options of <c>ostree pull</c> / <c>pull-local</c>, plus Arbor's tuning knobs).</summary>
public sealed record PullOptions
{
    /// <summary>Refs (or commit checksums, or <c>REF@CHECKSUM</c>) to pull; empty means the remote's
    /// <c>branches</c>, or with <see cref="Mirror"/> every ref of the remote.</summary>
    public IReadOnlyList<string> Refs { get; init; } = [];
    /// <summary>Collection–refs to pull (ostree's <c>collection-refs</c> option), each optionally pinned to a
    /// commit; resolved from the summary's collection map, else the source's <c>refs/mirrors</c>. Used instead of <see cref="Refs"/>.</summary>
    public IReadOnlyList<CollectionRefTarget> CollectionRefs { get; init; } = [];
    /// <summary>Parents to fetch as well: 0 none, N that many, -1 all.</summary>
    public int Depth { get; init; }
    public bool CommitMetadataOnly { get; init; }
    /// <summary>Write <c>refs/heads</c> instead of <c>refs/remotes/R</c>, and copy the summary when pulling all refs.</summary>
    public bool Mirror { get; init; }
    /// <summary>Resolve refs and walk metadata in memory; store nothing, write no ref.</summary>
    public bool DryRun { get; init; }
    /// <summary>Never use static deltas: always fetch objects.</summary>
    public bool DisableStaticDeltas { get; init; }
    /// <summary>Fail unless each commit comes through a static delta (also enables deltas for file:// remotes).</summary>
    public bool RequireStaticDeltas { get; init; }
    public bool DisableVerifyBindings { get; init; }
    /// <summary>Refuse a ref's new commit when it is older than the commit the local ref points at (<c>-T</c>).</summary>
    public bool TimestampCheck { get; init; }
    /// <summary>Refuse new commits older than this revision (<c>--timestamp-check-from-rev</c>).</summary>
    public string? TimestampCheckFromRev { get; init; }
    /// <summary>Local pulls: verify checksums instead of hardlinking objects of the same mode.</summary>
    public bool Untrusted { get; init; }
    /// <summary><c>--http-trusted</c>: with <see cref="Mirror"/> into an archive repository (and without
    /// <see cref="BareUserOnlyFiles"/>), content objects are stored as downloaded, unverified, as ostree does.</summary>
    public bool HttpTrusted { get; init; }
    public bool DisableFsync { get; init; }
    /// <summary>pull-local: write refs under <c>refs/remotes/NAME</c> instead of <c>refs/heads</c>.</summary>
    public string? LocalRemoteName { get; init; }
    /// <summary>Use this URL instead of the remote's <c>url</c>.</summary>
    public string? OverrideUrl { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> HttpHeaders { get; init; } = [];
    /// <summary><c>--subpath</c>: fetch only these paths of each tree (<c>/usr/bin</c>; a file or a directory),
    /// plus the directories leading to them; the commit stays marked <c>commitpartial</c>. Empty: everything.</summary>
    public IReadOnlyList<string> Subpaths { get; init; } = [];
    /// <summary><c>--localcache-repo</c>: local repositories whose objects are imported (verified) instead of
    /// fetched, for remote (not <c>file://</c>) pulls.</summary>
    public IReadOnlyList<string> LocalCacheRepos { get; init; } = [];
    /// <summary><c>--cache-dir</c>: where the remote's signed summary is cached (<c>summaries/</c>), instead of <c>tmp/cache</c>.</summary>
    public string? CacheDir { get; init; }
    /// <summary><c>--bareuseronly-files</c>: refuse regular files with mode bits outside 0775 (setuid, world-writable…).</summary>
    public bool BareUserOnlyFiles { get; init; }

    /// <summary>Requests in flight at once (metadata first, then content).</summary>
    public int MaxConcurrentFetches { get; init; } = 16;
    /// <summary>Retries of a request after a connection error, a 5xx or a stall.</summary>
    public int NetworkRetries { get; init; } = 5;
    /// <summary>First retry delay; doubled on each retry (capped at 5 s), with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    /// <summary>A request that receives nothing for this long is abandoned and retried.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Objects at least this large are kept in <c>tmp/</c> while downloading, so an interrupted
    /// download resumes with an HTTP Range request.</summary>
    public long ResumableObjectThreshold { get; init; } = 512 * 1024;
    /// <summary>Verified objects are published to <c>objects/</c> at least this often, so that a killed pull
    /// loses little; a failed or cancelled pull publishes what it verified before returning.</summary>
    public TimeSpan PublishInterval { get; init; } = TimeSpan.FromSeconds(10);

    public IProgress<ProgressEvent>? Progress { get; init; }
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}
