using Arbor.Repo.Core;
using Arbor.Repo.Pull;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Pull;

/// <summary>Dropped connections, stalls and resumption, through a proxy that misbehaves on purpose.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PullResilienceTests : IDisposable
{
    private const int Large = 3 * 1024 * 1024;
    private readonly PullFixture _f = new();
    private readonly FlakyProxy _proxy;

    public PullResilienceTests() => _proxy = new FlakyProxy(_f.Server.Port);

    public void Dispose()
    {
        _proxy.Dispose();
        _f.Dispose();
    }

    [Fact]
    public async Task AfterAConnectionDropsHalfwayARerunFetchesOnlyWhatIsMissing()
    {
        var commit = _f.CommitSample(smallFiles: 300);
        // measure what a whole pull sends through the proxy, then cut a second pull halfway
        await PullFixture.Pull(_f.NewClient(url: _proxy.Url("repo")), PullFixture.Options("main"));
        long total = _proxy.Forwarded;
        var client = _f.NewClient(url: _proxy.Url("repo"));
        _proxy.CutOnceAfter(total / 2);

        var e = await Assert.ThrowsAsync<PullException>(() =>
            PullFixture.Pull(client, PullFixture.Options("main") with { NetworkRetries = 0, MaxConcurrentFetches = 4 }));
        Assert.StartsWith("While fetching " + _proxy.Url("repo/"), e.Message);
        Assert.Equal(1, _proxy.Cuts);
        Assert.Null(client.Repo.Refs.TryRead("origin", "main"));
        Assert.True(client.Repo.IsCommitPartial(commit));
        // what was verified before the failure was published
        var kept = PullFixture.ObjectFiles(client.Repo.Path);
        Assert.True(kept.Count > 100, $"only {kept.Count} objects kept");

        _f.Server.ClearAccessLog();
        var result = await PullFixture.Pull(client, PullFixture.Options("main"));

        var refetched = _f.ObjectRequests().Where(r => r.Status == 200)
            .Select(r => r.Path["/repo/".Length..].Replace(".filez", ".file", StringComparison.Ordinal)).ToHashSet();
        Assert.Empty(refetched.Intersect(kept));
        Assert.Equal(commit, client.Repo.Refs.Read("origin", "main"));
        PullFixture.AssertComplete(client.Repo, commit);
        Assert.Equal(refetched.Count + 1, result.MetadataFetched + result.ContentFetched); // + the stored commit's detached metadata, asked for again
    }

    [Fact]
    public async Task ALargeObjectCutMidwayIsResumedWithARangeRequest()
    {
        var (client, blob) = await PrepareLargeObjectPullAsync();
        var filez = BlobUrlPath(blob);
        _proxy.CutOnceAfter(Large / 2, reset: false);

        var result = await PullFixture.Pull(client, PullFixture.Options("main"));

        Assert.Equal(1, _proxy.Cuts);
        var requests = _f.Server.AccessLog().Where(r => r.Path == filez).ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(200, requests[0].Status);
        Assert.Equal(206, requests[1].Status);
        Assert.Matches(@"^bytes=\d+-$", requests[1].Range);
        long resumedAt = long.Parse(requests[1].Range!["bytes=".Length..^1]);
        Assert.True(resumedAt > Large / 4, $"resumed at {resumedAt}");
        // bytes after the cut point were not downloaded twice
        Assert.True(result.BytesTransferred < Large + Large / 4, $"{result.BytesTransferred} bytes transferred");
        PullFixture.AssertComplete(client.Repo, client.Repo.Refs.Read("origin", "main"));
        Assert.Empty(Directory.EnumerateFiles(client.Repo.FullPath("tmp/pull-partial")));
    }

    [Fact]
    public async Task ASmallObjectCutMidwayIsResumedFromMemoryWithARangeRequest()
    {
        // test-pull-resume.sh: a server that sends half of every object, then closes, unless asked for a range
        var (client, blob) = await PrepareLargeObjectPullAsync();
        var filez = BlobUrlPath(blob);
        _proxy.CutOnceAfter(Large / 2, reset: false);

        await PullFixture.Pull(client, PullFixture.Options("main") with { ResumableObjectThreshold = long.MaxValue });

        Assert.Equal(1, _proxy.Cuts);
        var requests = _f.Server.AccessLog().Where(r => r.Path == filez).ToList();
        Assert.Equal([200, 206], requests.Select(r => r.Status));
        Assert.Matches(@"^bytes=\d+-$", requests[1].Range);
        Assert.False(Directory.Exists(client.Repo.FullPath("tmp/pull-partial")) && Directory.EnumerateFiles(client.Repo.FullPath("tmp/pull-partial")).Any());
        PullFixture.AssertComplete(client.Repo, client.Repo.Refs.Read("origin", "main"));
    }

    [Fact]
    public async Task ARerunAfterAnInterruptedLargeDownloadContinuesFromThePartFile()
    {
        var (client, blob) = await PrepareLargeObjectPullAsync();
        _proxy.CutOnceAfter(Large / 2, reset: false);

        var e = await Assert.ThrowsAsync<PullException>(() => PullFixture.Pull(client, PullFixture.Options("main") with { NetworkRetries = 0 }));
        // libcurl's words, as ostree reports a cut body
        Assert.Equal($"While fetching {_proxy.Url(BlobUrlPath(blob))}: [18] Transferred a partial file", e.Message);

        var part = client.Repo.FullPath($"tmp/pull-partial/{blob}.filez.part");
        Assert.True(File.Exists(part));
        long saved = new FileInfo(part).Length;
        Assert.True(saved > 0);

        await PullFixture.Pull(client, PullFixture.Options("main"));

        var last = _f.Server.AccessLog().Last(r => r.Path == BlobUrlPath(blob));
        Assert.Equal(206, last.Status);
        Assert.Equal($"bytes={saved}-", last.Range);
        Assert.False(File.Exists(part));
        PullFixture.AssertComplete(client.Repo, client.Repo.Refs.Read("origin", "main"));
    }

    [Fact]
    public async Task AStalledResponseTimesOutAndIsRetried()
    {
        var commit = _f.CommitSample();
        var client = _f.NewClient(url: _proxy.Url("repo"));
        _proxy.StallOnceAfter(4000);

        await PullFixture.Pull(client, PullFixture.Options("main") with { StallTimeout = TimeSpan.FromSeconds(1) });

        Assert.Equal(1, _proxy.Stalls);
        PullFixture.AssertComplete(client.Repo, commit);
    }

    [Fact]
    public async Task AStallWithoutRetriesLeftFailsWithTheUrl()
    {
        _f.CommitSample();
        var client = _f.NewClient(url: _proxy.Url("repo"));
        _proxy.StallOnceAfter(10);

        var e = await Assert.ThrowsAsync<PullException>(() =>
            PullFixture.Pull(client, PullFixture.Options("main") with { StallTimeout = TimeSpan.FromMilliseconds(500), NetworkRetries = 0 }));

        Assert.Matches(@"^While fetching http://127\.0\.0\.1:\d+/repo/\S+: (no data received|no response within) ", e.Message);
    }

    /// <summary>Pulls a commit without the large file, then commits it: the next pull needs only the blob (and small metadata).</summary>
    private async Task<((Repository Repo, Arbor.Repo.Remotes.RemoteStore Remotes) Client, Checksum Blob)> PrepareLargeObjectPullAsync()
    {
        _f.CommitSample(1);
        var client = _f.NewClient(url: _proxy.Url("repo"));
        await PullFixture.Pull(client, PullFixture.Options("main"));
        var commit = _f.CommitSample(1, largeBytes: Large);
        var line = OstreeOracle.RunOk("ls", $"--repo={_f.SourceRepo}", "-C", "main", "/large/blob.bin").Trim();
        var blob = Checksum.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4]);
        Assert.True(new FileInfo(Path.Combine(_f.SourceRepo, RepoLayout.ObjectPath(new ObjectName(blob, ObjectType.File), RepoMode.Archive))).Length > Large);
        _f.Server.ClearAccessLog();
        _ = commit;
        return (client, blob);
    }

    private static string BlobUrlPath(Checksum blob) => $"/repo/objects/{blob.ToString()[..2]}/{blob.ToString()[2..]}.filez";
}
