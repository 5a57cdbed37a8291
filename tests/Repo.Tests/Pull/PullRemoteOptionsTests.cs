using Arbor.Repo.Core;
using Arbor.Repo.Pull;
using Arbor.Repo.Remotes;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Pull;

/// <summary>Remote settings that change where and whether a pull fetches: contenturl, mirrorlist, file://, unconfigured-state.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PullRemoteOptionsTests : IDisposable
{
    private readonly PullFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task EveryObjectComesFromContentUrlAndOnlySummaryRefsAndCommitmetaFromUrl()
    {
        var commit = _f.CommitSample();
        // a CDN-style split as ostree supports it: the metadata server holds only config, summary and refs
        var meta = Path.Combine(_f.Www, "meta");
        Directory.CreateDirectory(meta);
        File.Copy(Path.Combine(_f.SourceRepo, "config"), Path.Combine(meta, "config"));
        File.Copy(Path.Combine(_f.SourceRepo, "summary"), Path.Combine(meta, "summary"));
        File.CreateSymbolicLink(Path.Combine(meta, "refs"), Path.Combine(_f.SourceRepo, "refs"));
        var client = _f.NewClient(url: _f.Server.Url("meta"), extra: RemoteOption.String("contenturl", _f.Url));

        await PullFixture.Pull(client, PullFixture.Options("main"));

        var log = _f.Server.AccessLog();
        Assert.All(log.Where(e => e.Path.Contains("/objects/", StringComparison.Ordinal) && !e.Path.EndsWith(".commitmeta", StringComparison.Ordinal)),
            e => Assert.StartsWith("/repo/objects/", e.Path));
        Assert.Contains(log, e => e.Path == "/meta/summary");
        Assert.Contains(log, e => e.Path.StartsWith("/meta/objects/", StringComparison.Ordinal) && e.Path.EndsWith(".commitmeta", StringComparison.Ordinal));
        PullFixture.AssertComplete(client.Repo, commit);
    }

    [Fact]
    public async Task CredentialsInTheUrlAreSentAsBasicAuthAndNeverPrinted()
    {
        var commit = _f.CommitSample();
        var authUrl = _f.Server.Url("auth/repo").Replace("http://", "http://u:pw@", StringComparison.Ordinal);
        var client = _f.NewClient(url: authUrl);

        await PullFixture.Pull(client, PullFixture.Options("main"));
        PullFixture.AssertComplete(client.Repo, commit);

        var wrong = _f.NewClient(url: authUrl.Replace("u:pw@", "u:s3cret@", StringComparison.Ordinal));
        var e = await Assert.ThrowsAsync<PullException>(() => PullFixture.Pull(wrong, PullFixture.Options("main")));
        Assert.Contains("HTTP 401", e.Message);
        Assert.DoesNotContain("s3cret", e.Message);
        Assert.Contains(_f.Server.Url("auth/repo"), e.Message);
    }

    [Fact]
    public async Task AMirrorOfACollectionRemoteWritesRefsMirrorsLikeOstree()
    {
        OstreeOracle.RunOk("init", $"--repo={_f.SourceRepo}", "--mode=archive", "--collection-id=org.ex.A");
        var commit = _f.CommitSample();
        var client = _f.NewClient(RepoMode.Archive, extra: RemoteOption.String("collection-id", "org.ex.A"));

        await PullFixture.Pull(client, PullFixture.Options() with { Mirror = true });

        var oracle = _f.Scratch("oracle");
        OstreeOracle.RunOk("init", $"--repo={oracle}", "--mode=archive");
        OstreeOracle.RunOk("remote", "add", $"--repo={oracle}", "--no-gpg-verify", "--collection-id=org.ex.A", "origin", _f.Url);
        OstreeOracle.RunOk("pull", $"--repo={oracle}", "--mirror", "origin");
        static string[] RefFiles(string repo) => Directory.EnumerateFiles(Path.Combine(repo, "refs"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(repo, f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(RefFiles(oracle), RefFiles(client.Repo.Path));
        Assert.Equal(commit.ToString(), File.ReadAllText(client.Repo.FullPath("refs/mirrors/org.ex.A/main")).Trim());
        Assert.False(File.Exists(client.Repo.FullPath("refs/heads/main")));
    }

    [Fact]
    public async Task AMirrorlistIsTriedInOrderAndTheWorkingMirrorIsKept()
    {
        var commit = _f.CommitSample();
        var dead = $"http://127.0.0.1:{NginxServer.FreePort()}/repo";
        File.WriteAllText(Path.Combine(_f.Www, "mirrors.txt"), $"# mirrors\n{dead}\n{_f.Url}\n");
        var client = _f.NewClient(url: "mirrorlist=" + _f.Server.Url("mirrors.txt"));

        await PullFixture.Pull(client, PullFixture.Options("main") with { NetworkRetries = 2 });

        Assert.Equal(commit, client.Repo.Refs.Read("origin", "main"));
        PullFixture.AssertComplete(client.Repo, commit);
    }

    [Fact]
    public async Task AFileUrlPullsFromTheLocalRepository()
    {
        var commit = _f.CommitSample();
        var client = _f.NewClient(url: "file://" + _f.SourceRepo);

        var result = await PullFixture.Pull(client, PullFixture.Options("main"));

        Assert.True(result.Local);
        Assert.Equal(commit, client.Repo.Refs.Read("origin", "main"));
        Assert.Empty(_f.Server.AccessLog());
    }

    [Fact]
    public async Task AnUnconfiguredRemoteRefusesToPull()
    {
        var client = _f.NewClient(extra: RemoteOption.String("unconfigured-state", "Use the subscription tool to configure updates."));
        var e = await Assert.ThrowsAsync<PullException>(() => PullFixture.Pull(client, PullFixture.Options("main")));
        Assert.Equal("Use the subscription tool to configure updates.", e.Message);
    }

    [Fact]
    public async Task ACancelledPullKeepsWhatItVerifiedAndARerunFinishes()
    {
        var commit = _f.CommitSample(smallFiles: 400);
        var client = _f.NewClient();
        using var cts = new CancellationTokenSource();
        var progress = new CancelAfterProgress(cts, 100);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Puller.PullAsync(client.Repo, client.Remotes, "origin",
            PullFixture.Options("main") with { Progress = progress, ProgressInterval = TimeSpan.FromMilliseconds(1), MaxConcurrentFetches = 2 }, cts.Token));

        var kept = PullFixture.ObjectFiles(client.Repo.Path).Count;
        // what was counted as fetched was kept, except the commit's detached-metadata request, which counts when
        // answered 404 (as ostree counts it) and stores nothing
        Assert.True(kept >= 99, $"{kept} objects kept");
        Assert.Null(client.Repo.Refs.TryRead("origin", "main"));
        Assert.True(client.Repo.IsCommitPartial(commit));

        _f.Server.ClearAccessLog();
        var result = await PullFixture.Pull(client, PullFixture.Options("main"));
        // + the stored commit's detached metadata, asked for again as ostree does
        Assert.Equal(PullFixture.ObjectFiles(client.Repo.Path).Count - kept + 1, result.MetadataFetched + result.ContentFetched);
        PullFixture.AssertComplete(client.Repo, commit);
    }

    private sealed class CancelAfterProgress(CancellationTokenSource cts, int objects) : IProgress<Arbor.Repo.Progress.ProgressEvent>
    {
        public void Report(Arbor.Repo.Progress.ProgressEvent value)
        {
            if (value.ObjectsFetched >= objects) cts.Cancel();
        }
    }
}
