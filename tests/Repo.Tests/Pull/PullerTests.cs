using Arbor.Repo.Core;
using Arbor.Repo.Pull;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Pull;

/// <summary>Pulls over HTTP from a repository written by the real ostree and served by a real nginx.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PullerTests : IDisposable
{
    private readonly PullFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Theory]
    [InlineData(RepoMode.Archive)]
    [InlineData(RepoMode.Bare)]
    [InlineData(RepoMode.BareUser)]
    [InlineData(RepoMode.BareUserOnly)]
    public async Task FullPullIntoEveryModeStoresEveryObjectVerifiedAndWritesTheRemoteRef(RepoMode mode)
    {
        var commit = _f.CommitSample();
        var client = _f.NewClient(mode);

        var result = await PullFixture.Pull(client, PullFixture.Options("main"));

        Assert.Equal(commit, client.Repo.Refs.Read("origin", "main"));
        Assert.Null(client.Repo.Refs.TryRead(null, "main"));
        int objects = PullFixture.AssertComplete(client.Repo, commit);
        Assert.True(objects > 40, $"{objects} objects");
        Assert.Empty(Directory.EnumerateFiles(client.Repo.FullPath("state")));
        PullFixture.AssertOstreeFsck(client.Repo.Path);
        // every object was requested exactly once; as ostree counts, the request for the (absent) detached metadata counts too
        var requested = _f.ObjectRequests().Where(e => e.Status == 200).Select(e => e.Path).ToList();
        Assert.Equal(requested.Count, requested.Distinct().Count());
        Assert.Equal(result.MetadataFetched + result.ContentFetched, requested.Count + 1);
    }

    [Fact]
    public async Task PulledObjectsAreByteIdenticalToWhatOstreePulls()
    {
        _f.CommitSample();
        var client = _f.NewClient(RepoMode.BareUser);
        await PullFixture.Pull(client, PullFixture.Options("main"));

        var oracle = _f.Scratch("oracle");
        OstreeOracle.RunOk("init", $"--repo={oracle}", "--mode=bare-user");
        OstreeOracle.RunOk("remote", "add", $"--repo={oracle}", "--no-gpg-verify", "origin", _f.Url);
        OstreeOracle.RunOk("pull", $"--repo={oracle}", "origin", "main");

        var ours = PullFixture.ObjectFiles(client.Repo.Path);
        Assert.Equal(PullFixture.ObjectFiles(oracle).Order(), ours.Order());
        foreach (var rel in ours)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(oracle, rel)), File.ReadAllBytes(Path.Combine(client.Repo.Path, rel)));
            Assert.Equal(File.GetUnixFileMode(Path.Combine(oracle, rel)), File.GetUnixFileMode(Path.Combine(client.Repo.Path, rel)));
        }
    }

    [Fact]
    public async Task IncrementalPullRequestsOnlyTheObjectsTheSecondCommitAdded()
    {
        _f.CommitSample(1);
        var client = _f.NewClient();
        await PullFixture.Pull(client, PullFixture.Options("main"));
        var before = PullFixture.ObjectFiles(_f.SourceRepo);

        var second = _f.CommitSample(2);
        var added = PullFixture.ObjectFiles(_f.SourceRepo).Except(before).Select(p => "/repo/" + p).ToHashSet();
        _f.Server.ClearAccessLog();
        var result = await PullFixture.Pull(client, PullFixture.Options("main"));

        var requested = _f.ObjectRequests().Where(e => e.Status == 200).Select(e => e.Path).ToHashSet();
        // the new commit, its changed dirtrees and the changed or added files; nothing unchanged
        Assert.Equal(added.Order(), requested.Order());
        Assert.True(added.Count is > 3 and < 12, $"{added.Count} new objects");
        Assert.Equal(second, client.Repo.Refs.Read("origin", "main"));
        PullFixture.AssertComplete(client.Repo, second);
        Assert.Equal(added.Count + 1, result.MetadataFetched + result.ContentFetched); // + the absent detached metadata
    }

    [Fact]
    public async Task ARepeatedPullOfAPresentCommitFetchesNoObject()
    {
        _f.CommitSample();
        var client = _f.NewClient();
        await PullFixture.Pull(client, PullFixture.Options("main"));
        _f.Server.ClearAccessLog();

        var result = await PullFixture.Pull(client, PullFixture.Options("main"));

        // only the detached metadata is asked for again (new signatures may have appeared), as ostree does
        var commit = client.Repo.Refs.Read("origin", "main").ToString();
        var commitmeta = $"/repo/objects/{commit[..2]}/{commit[2..]}.commitmeta";
        Assert.Equal([commitmeta], _f.ObjectRequests().Select(e => e.Path));
        Assert.Equal(1, result.MetadataFetched);
        Assert.Equal(0, result.ContentFetched);
        Assert.Equal(["/repo/summary.sig", "/repo/summary", commitmeta], _f.Server.AccessLog().Select(e => e.Path));
    }

    [Fact]
    public async Task TheDetachedMetadataOfAStoredCommitIsFetchedAgain()
    {
        // pull-test.sh "re-pull signature for stored commit"
        var commit = _f.CommitSample();
        OstreeOracle.RunOk("commit", $"--repo={_f.SourceRepo}", "-b", "main", "--tree=ref=main", "--add-detached-metadata-string=SIGNATURE=HANCOCK");
        OstreeOracle.RunOk("summary", "-u", $"--repo={_f.SourceRepo}");
        var client = _f.NewClient();
        await PullFixture.Pull(client, PullFixture.Options("main"));
        var head = client.Repo.Refs.Read("origin", "main");
        Assert.NotEqual(commit, head);
        var local = client.Repo.FullPath(RepoLayout.CommitMetaPath(head));
        File.Delete(local);

        await PullFixture.Pull(client, PullFixture.Options("main"));

        Assert.Equal(File.ReadAllBytes(Path.Combine(_f.SourceRepo, RepoLayout.CommitMetaPath(head))), File.ReadAllBytes(local));
    }

    [Fact]
    public async Task AnUnsupportedUrlSchemeIsRefusedInOstreesWords()
    {
        var client = _f.NewClient(url: "badscheme://something");
        var e = await Assert.ThrowsAsync<PullException>(() => PullFixture.Pull(client, PullFixture.Options("main")));
        Assert.Equal("Invalid URI scheme in badscheme://something", e.Message);
    }

    [Fact]
    public async Task AnOversizedCommitIsRefusedInOstreesWords()
    {
        // test-pull-large-metadata.sh: a 20 MiB commit object (without a summary, whose commit size would be the limit)
        var commit = _f.CommitSample(summary: false);
        var rel = RepoLayout.ObjectPath(new ObjectName(commit, ObjectType.Commit), RepoMode.Archive);
        File.WriteAllBytes(Path.Combine(_f.SourceRepo, rel), new byte[20 << 20]);
        var client = _f.NewClient();

        var e = await Assert.ThrowsAsync<PullException>(() => PullFixture.Pull(client, PullFixture.Options("main")));

        Assert.Equal($"URI {_f.Url}/{rel} exceeded maximum size of 10485760 bytes", e.Message);
    }

    [Fact]
    public async Task AnHtmlPageForARefIsRefusedInOstreesWords()
    {
        _f.CommitSample(summary: false);
        File.WriteAllText(Path.Combine(_f.SourceRepo, "refs/heads/main"), string.Concat(Enumerable.Repeat("lots of html here \n", 20)));
        var client = _f.NewClient();

        var e = await Assert.ThrowsAsync<PullException>(() => PullFixture.Pull(client, PullFixture.Options("main")));

        Assert.Equal("Fetching checksum for ref ((empty), main): Invalid rev lots of html here  lots of html here  lots of html here  lots of", e.Message);
    }

    [Fact]
    public async Task ACorruptFileObjectFailsThePullNamingItAndNothingCorruptIsStored()
    {
        var commit = _f.CommitSample();
        // replace the object of stable.txt with a valid object of another file: bytes that do not hash to the name
        var stable = ObjectOf("/stable.txt");
        var other = ObjectOf("/hello.txt");
        File.Copy(FilezPath(other), FilezPath(stable), overwrite: true);
        var client = _f.NewClient();

        var e = await Assert.ThrowsAsync<CorruptObjectException>(() => PullFixture.Pull(client, PullFixture.Options("main")));

        Assert.Contains($"checksum expected='{stable}' actual='{other}'", e.Message);
        Assert.Contains(_f.Url + "/objects/" + stable.ToString()[..2], e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(client.Repo.HasObject(new ObjectName(stable, ObjectType.File)));
        Assert.Null(client.Repo.Refs.TryRead("origin", "main"));
        Assert.True(client.Repo.IsCommitPartial(commit));
        // no unverified leftovers in the staging area
        Assert.DoesNotContain(Directory.EnumerateFiles(client.Repo.FullPath("tmp"), "*", SearchOption.AllDirectories),
            p => p.Contains("staging-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACorruptDirtreeFailsWithTheObjectNameAndTheRefIsNotMoved()
    {
        _f.CommitSample(1);
        var client = _f.NewClient();
        await PullFixture.Pull(client, PullFixture.Options("main"));
        var first = client.Repo.Refs.Read("origin", "main");
        var second = _f.CommitSample(2);
        var newTree = RootTreeOf(second);
        Assert.NotEqual(client.Repo.LoadCommit(first).RootTree, newTree);
        var path = Path.Combine(_f.SourceRepo, RepoLayout.ObjectPath(new ObjectName(newTree, ObjectType.DirTree), RepoMode.Archive));
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0xff;
        File.WriteAllBytes(path, bytes);

        var e = await Assert.ThrowsAsync<CorruptObjectException>(() => PullFixture.Pull(client, PullFixture.Options("main")));

        Assert.StartsWith($"Corrupted dirtree object; checksum expected='{newTree}' actual='", e.Message);
        Assert.Equal(first, client.Repo.Refs.Read("origin", "main"));
        Assert.False(client.Repo.HasObject(new ObjectName(newTree, ObjectType.DirTree)));
        Assert.True(client.Repo.IsCommitPartial(second));
    }

    [Fact]
    public async Task AnUnknownRefIsAOneLineErrorNamingTheSummaryUrl()
    {
        _f.CommitSample();
        var client = _f.NewClient();
        var e = await Assert.ThrowsAsync<PullException>(() => PullFixture.Pull(client, PullFixture.Options("nope")));
        Assert.Equal($"No such branch 'nope' in repository summary ({_f.Url}/summary)", e.Message);
    }

    [Fact]
    public async Task WithoutASummaryAnUnknownRefIsA404NamingTheRefUrl()
    {
        var commit = _f.CommitSample(summary: false);
        var client = _f.NewClient();
        var e = await Assert.ThrowsAsync<PullException>(() => PullFixture.Pull(client, PullFixture.Options("nope")));
        Assert.Equal($"Server returned HTTP 404 for {_f.Url}/refs/heads/nope: no ref 'nope' (and no summary)", e.Message);

        // a known ref resolves through refs/heads
        await PullFixture.Pull(client, PullFixture.Options("main"));
        Assert.Equal(commit, client.Repo.Refs.Read("origin", "main"));
        Assert.Contains(_f.Server.AccessLog(), r => r.Path == "/repo/refs/heads/main" && r.Status == 200);
    }

    [Fact]
    public async Task ServerDownIsAnErrorNamingTheUrlAfterRetries()
    {
        var port = NginxServer.FreePort();
        var client = _f.NewClient(url: $"http://127.0.0.1:{port}/repo");
        var options = PullFixture.Options("main") with { NetworkRetries = 2 };

        var e = await Assert.ThrowsAsync<PullException>(() => PullFixture.Pull(client, options));

        Assert.StartsWith($"While fetching http://127.0.0.1:{port}/repo/summary.sig: Connection refused", e.Message);
        Assert.EndsWith("(after 2 retries)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task ServerErrorsAreRetriedWithBackoff()
    {
        var commit = _f.CommitSample();
        using var proxy = new FlakyProxy(_f.Server.Port);
        proxy.Fail503(3);
        var client = _f.NewClient(url: proxy.Url("repo"));

        await PullFixture.Pull(client, PullFixture.Options("main"));

        Assert.Equal(commit, client.Repo.Refs.Read("origin", "main"));
        PullFixture.AssertComplete(client.Repo, commit);
    }

    [Fact]
    public async Task MirrorWritesLocalHeadsForEveryRefAndCopiesTheSummary()
    {
        var main = _f.CommitSample(1, branch: "main");
        var other = _f.CommitSample(2, branch: "other");
        var client = _f.NewClient(RepoMode.Archive);

        await PullFixture.Pull(client, PullFixture.Options() with { Mirror = true });

        Assert.Equal(main, client.Repo.Refs.Read(null, "main"));
        Assert.Equal(other, client.Repo.Refs.Read(null, "other"));
        Assert.Empty(client.Repo.Refs.ListRemotes());
        Assert.Equal(File.ReadAllBytes(Path.Combine(_f.SourceRepo, "summary")), File.ReadAllBytes(client.Repo.FullPath("summary")));
        PullFixture.AssertOstreeFsck(client.Repo.Path);
    }

    [Fact]
    public async Task DepthControlsHowManyParentsAreFetched()
    {
        var first = _f.CommitSample(1);
        var second = _f.CommitSample(2);
        Assert.Equal(first, LoadSourceCommitParent(second));

        var shallow = _f.NewClient();
        await PullFixture.Pull(shallow, PullFixture.Options("main"));
        Assert.False(shallow.Repo.HasObject(new ObjectName(first, ObjectType.Commit)));

        var deep = _f.NewClient();
        await PullFixture.Pull(deep, PullFixture.Options("main") with { Depth = 1 });
        PullFixture.AssertComplete(deep.Repo, first);
        PullFixture.AssertComplete(deep.Repo, second);

        var all = _f.NewClient();
        await PullFixture.Pull(all, PullFixture.Options("main") with { Depth = -1 });
        PullFixture.AssertComplete(all.Repo, first);
        PullFixture.AssertOstreeFsck(all.Repo.Path);
    }

    [Fact]
    public async Task CommitMetadataOnlyFetchesTheCommitLeavesItPartialAndWritesTheRef()
    {
        var commit = _f.CommitSample();
        var client = _f.NewClient();

        var result = await PullFixture.Pull(client, PullFixture.Options("main") with { CommitMetadataOnly = true });

        Assert.Equal(2, result.MetadataFetched); // the commit and its (absent) detached metadata, as ostree counts
        Assert.Equal(0, result.ContentFetched);
        Assert.True(client.Repo.HasObject(new ObjectName(commit, ObjectType.Commit)));
        Assert.True(client.Repo.IsCommitPartial(commit));
        Assert.Equal(commit, client.Repo.Refs.Read("origin", "main"));
        Assert.Single(PullFixture.ObjectFiles(client.Repo.Path));
        Assert.Equal([$"/repo/objects/{commit.ToString()[..2]}/{commit.ToString()[2..]}.commitmeta", $"/repo/objects/{commit.ToString()[..2]}/{commit.ToString()[2..]}.commit"],
            _f.ObjectRequests().Select(e => e.Path).Order(StringComparer.Ordinal).Reverse());

        // a later full pull completes it
        await PullFixture.Pull(client, PullFixture.Options("main"));
        PullFixture.AssertComplete(client.Repo, commit);
    }

    [Fact]
    public async Task DryRunWalksTheMetadataButStoresNothing()
    {
        var commit = _f.CommitSample();
        var client = _f.NewClient();

        var result = await PullFixture.Pull(client, PullFixture.Options("main") with { DryRun = true });

        Assert.Empty(PullFixture.ObjectFiles(client.Repo.Path));
        Assert.Empty(client.Repo.Refs.ListRemotes());
        Assert.Empty(Directory.EnumerateFiles(client.Repo.FullPath("state")));
        var contentObjects = PullFixture.ObjectFiles(_f.SourceRepo).Count(p => p.EndsWith(".filez", StringComparison.Ordinal));
        Assert.Equal(contentObjects, result.ContentMissing);
        var written = Assert.Single(result.Refs);
        Assert.Equal(("origin", "main", commit), (written.Remote, written.Ref, written.Commit));
        Assert.DoesNotContain(_f.ObjectRequests(), e => e.Path.EndsWith(".filez", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TimestampCheckRefusesAnOlderCommitAsADowngrade()
    {
        var first = _f.CommitSample(1);
        var client = _f.NewClient();
        await PullFixture.Pull(client, PullFixture.Options("main"));
        var tree = _f.Scratch("older");
        SampleTree.Write(tree, 3);
        var older = Checksum.Parse(RepoBuilders.OstreeCommit(_f.SourceRepo, tree, "main", timestamp: "2023-06-01T12:00:00Z"));

        var e = await Assert.ThrowsAsync<PullException>(() => PullFixture.Pull(client, PullFixture.Options("main") with { TimestampCheck = true }));

        // GLib's %c pads a one-digit day with U+2007, which g_print turns into "?" outside UTF-8 locales
        var pad = Arbor.Repo.Core.LocaleCharset.IsUtf8 ? "\u2007" : "?";
        Assert.Equal($"Upgrade target revision '{older}' with timestamp 'Thu Jun {pad}1 12:00:00 2023' is chronologically older than current revision '{first}' with timestamp 'Mon Jan {pad}1 00:00:00 2024'; use --allow-downgrade to permit", e.Message);
        Assert.Equal(first, client.Repo.Refs.Read("origin", "main"));
        await PullFixture.Pull(client, PullFixture.Options("main"));
        Assert.Equal(older, client.Repo.Refs.Read("origin", "main"));
    }

    [Fact]
    public async Task ProgressEndsWithAllObjectsFetchedOfAFinalTotal()
    {
        var commit = _f.CommitSample();
        // with detached metadata, which is fetched too
        Arbor.Repo.Signing.SignEngine.Ed25519.SignCommit(Repository.Open(_f.SourceRepo), commit, Arbor.Repo.Signing.Ed25519Keys.Generate().SecretKey);
        var client = _f.NewClient();
        var events = new List<Arbor.Repo.Progress.ProgressEvent>();
        var progress = new SyncProgress(events);

        var result = await PullFixture.Pull(client, PullFixture.Options("main") with { Progress = progress, ProgressInterval = TimeSpan.FromMilliseconds(5) });

        var last = events[^1];
        Assert.True(last.TotalIsFinal);
        Assert.Equal(result.MetadataFetched + result.ContentFetched, last.ObjectsFetched);
        Assert.Equal(last.ObjectsTotal, last.ObjectsFetched);
        Assert.Equal(result.BytesTransferred, last.BytesTransferred);
        Assert.True(last.BytesTransferred > 0);
        // the total never shrinks and never lies: fetched ≤ total in every snapshot
        Assert.All(events, e => Assert.True(e.ObjectsFetched <= e.ObjectsTotal));
        _ = commit;
    }

    private Checksum ObjectOf(string path)
    {
        var line = OstreeOracle.RunOk("ls", $"--repo={_f.SourceRepo}", "-C", "main", path).Trim();
        return Checksum.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4]);
    }

    private string FilezPath(Checksum c) =>
        Path.Combine(_f.SourceRepo, RepoLayout.ObjectPath(new ObjectName(c, ObjectType.File), RepoMode.Archive));

    private Checksum RootTreeOf(Checksum commit) => Repository.Open(_f.SourceRepo).LoadCommit(commit).RootTree;

    private Checksum? LoadSourceCommitParent(Checksum commit) => Repository.Open(_f.SourceRepo).LoadCommit(commit).Parent;

    /// <summary>Records progress synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(List<Arbor.Repo.Progress.ProgressEvent> into) : IProgress<Arbor.Repo.Progress.ProgressEvent>
    {
        public void Report(Arbor.Repo.Progress.ProgressEvent value)
        {
            lock (into) into.Add(value);
        }
    }
}
