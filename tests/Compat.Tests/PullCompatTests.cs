using Arbor.Repo.Core;
using Arbor.Repo.Store;
using Arbor.Repo.Summary;
using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// Pull interoperability with the real ostree 2022.7, both ways: ostree pulls (and fscks) a
/// repository Arbor wrote and indexed; Arbor's remote, summary and pull commands print and write
/// what ostree prints and writes.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PullCompatTests : IDisposable
{
    private readonly TempDirectory _tmp = new("pull-compat");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void OstreePullsFromARepositoryArborWroteAndIndexedThenFsckPasses()
    {
        OstreeOracle.Require();
        var www = _tmp.Combine("www");
        var repoPath = Path.Combine(www, "repo");
        Directory.CreateDirectory(www);
        var served = Repository.Create(repoPath, RepoMode.Archive);
        var tree1 = _tmp.Combine("t1");
        var tree2 = _tmp.Combine("t2");
        SampleTree.Write(tree1, 1, largeBytes: 200_000);
        SampleTree.Write(tree2, 2, largeBytes: 200_000);
        var c1 = ArborTreeWriter.Commit(served, tree1, "os/stable", "first");
        var c2 = ArborTreeWriter.Commit(served, tree2, "os/stable", "second", parent: c1, timestamp: 1704153600);
        CliRunner.RunOk("summary", "-u", $"--repo={repoPath}");
        using var nginx = NginxServer.Start(www);

        var client = _tmp.Combine("client");
        OstreeOracle.RunOk("init", $"--repo={client}", "--mode=bare-user");
        OstreeOracle.RunOk("remote", "add", $"--repo={client}", "--no-gpg-verify", "arbor", nginx.Url("repo"));
        Assert.Equal("arbor:os/stable\n", OstreeOracle.RunOk("remote", "refs", $"--repo={client}", "arbor"));
        OstreeOracle.RunOk("pull", $"--repo={client}", "--depth=1", "arbor", "os/stable");

        Assert.Equal(c2.ToString(), OstreeOracle.RunOk("rev-parse", $"--repo={client}", "arbor:os/stable").Trim());
        Assert.Equal(c1.ToString(), OstreeOracle.RunOk("rev-parse", $"--repo={client}", "arbor:os/stable^").Trim());
        var fsck = OstreeOracle.Run("fsck", $"--repo={client}");
        Assert.True(fsck.ExitCode == 0, fsck.ToString());
        Assert.Contains("object fsck of 2 commits completed successfully - no errors found.", fsck.Stdout);
        // the checkout holds the files Arbor committed
        var checkout = _tmp.Combine("co");
        OstreeOracle.RunOk("checkout", $"--repo={client}", "-U", "arbor:os/stable", checkout);
        Assert.Equal(File.ReadAllBytes(Path.Combine(tree2, "large", "blob.bin")), File.ReadAllBytes(Path.Combine(checkout, "large", "blob.bin")));
        Assert.Equal("hello.txt", new FileInfo(Path.Combine(checkout, "link")).LinkTarget);

        // and Arbor pulls its own repository to the same objects
        var ours = _tmp.Combine("ours");
        CliRunner.RunOk("init", $"--repo={ours}", "--mode=bare-user");
        CliRunner.RunOk("remote", "add", $"--repo={ours}", "--no-gpg-verify", "arbor", nginx.Url("repo"));
        CliRunner.RunOk("pull", $"--repo={ours}", "--depth=1", "arbor", "os/stable");
        Assert.Equal(Objects(client), Objects(ours));
        Assert.True(OstreeOracle.Run("fsck", $"--repo={ours}").ExitCode == 0);
    }

    [Theory]
    [InlineData("bare-user")]
    [InlineData("bare")]
    [InlineData("archive")]
    public void ArborPullThroughTheCliWritesWhatOstreePullWrites(string mode)
    {
        OstreeOracle.Require();
        var www = _tmp.Combine("www");
        Directory.CreateDirectory(www);
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree, largeBytes: 100_000);
        RepoBuilders.OstreeCommit(Path.Combine(www, "repo"), tree, "main");
        using var nginx = NginxServer.Start(www);

        var ours = _tmp.Combine("ours");
        var theirs = _tmp.Combine("theirs");
        CliRunner.RunOk("init", $"--repo={ours}", $"--mode={mode}");
        OstreeOracle.RunOk("init", $"--repo={theirs}", $"--mode={mode}");
        CliRunner.RunOk("remote", "add", $"--repo={ours}", "--no-gpg-verify", "origin", nginx.Url("repo"));
        OstreeOracle.RunOk("remote", "add", $"--repo={theirs}", "--no-gpg-verify", "origin", nginx.Url("repo"));
        Assert.Equal(File.ReadAllText(Path.Combine(theirs, "config")), File.ReadAllText(Path.Combine(ours, "config")));

        var status = CliRunner.RunOk("pull", $"--repo={ours}", "origin", "main");
        OstreeOracle.RunOk("pull", $"--repo={theirs}", "origin", "main");

        Assert.Matches(@"^\d+ metadata, \d+ content objects fetched; \d+ KiB transferred in \d+ seconds; [\d.]+\u00A0kB content written\n$", status);
        var ourObjects = Objects(ours);
        Assert.Equal(Objects(theirs), ourObjects);
        foreach (var rel in ourObjects)
        {
            var (a, b) = (new FileInfo(Path.Combine(ours, rel)), new FileInfo(Path.Combine(theirs, rel)));
            Assert.Equal(b.LinkTarget, a.LinkTarget); // bare repos store symlinks as symlinks
            if (a.LinkTarget is null) Assert.True(File.ReadAllBytes(a.FullName).AsSpan().SequenceEqual(File.ReadAllBytes(b.FullName)), rel);
            Assert.Equal(b.UnixFileMode, a.UnixFileMode);
        }
        Assert.Equal(File.ReadAllText(Path.Combine(theirs, "refs/remotes/origin/main")), File.ReadAllText(Path.Combine(ours, "refs/remotes/origin/main")));
        var fsck = OstreeOracle.Run("fsck", $"--repo={ours}");
        Assert.True(fsck.ExitCode == 0, fsck.ToString());
    }

    [Fact]
    public void RemoteAddDeleteListAndShowUrlMatchOstreeByteForByte()
    {
        OstreeOracle.Require();
        var ours = _tmp.Combine("ours");
        var theirs = _tmp.Combine("theirs");
        CliRunner.RunOk("init", $"--repo={ours}", "--mode=archive");
        OstreeOracle.RunOk("init", $"--repo={theirs}", "--mode=archive");
        string[][] steps =
        [
            ["remote", "add", "a", "http://example.com/a", "br1", "br2", "--contenturl=http://cdn.example.com/a", "--set=foo=bar baz", "--set=proxy=http://p:3128", "--no-gpg-verify", "--collection-id=org.example.A"],
            ["remote", "add", "longer-name", "http://example.com/b"],
            ["remote", "add", "c", "http://example.com/c", "--no-sign-verify"],
            ["remote", "add", "a", "http://example.com/other", "--if-not-exists"],
            ["remote", "add", "longer-name", "http://example.com/b2", "--force", "--set=gpg-verify-summary=true"],
            ["remote", "delete", "c"],
            ["remote", "delete", "zz", "--if-exists"],
            ["remote", "add", "m", "metalink=http://example.com/metalink.xml"],
            ["remote", "delete", "m"],
        ];
        foreach (var step in steps)
        {
            var o = OstreeOracle.Run([.. step, $"--repo={theirs}"]);
            var a = CliRunner.Run([.. step, $"--repo={ours}"]);
            Assert.True(o.ExitCode == 0, o.ToString());
            Assert.True(a.ExitCode == 0, a.ToString());
            Assert.Equal(File.ReadAllText(Path.Combine(theirs, "config")), File.ReadAllText(Path.Combine(ours, "config")));
        }
        foreach (var query in new[] { new[] { "remote", "list" }, ["remote", "list", "-u"], ["remote", "show-url", "a"], ["remote", "show-url", "longer-name"] })
            Assert.Equal(OstreeOracle.RunOk([.. query, $"--repo={theirs}"]), CliRunner.RunOk([.. query, $"--repo={ours}"]));

        foreach (var failing in new[] { new[] { "remote", "add", "a", "http://x" }, ["remote", "delete", "zz"], ["remote", "show-url", "zz"], ["remote", "add", "bad/name", "http://x"] })
        {
            var o = OstreeOracle.Run([.. failing, $"--repo={theirs}"]);
            var a = CliRunner.Run([.. failing, $"--repo={ours}"]);
            Assert.NotEqual(0, o.ExitCode);
            Assert.NotEqual(0, a.ExitCode);
            Assert.Equal(o.Stderr.Trim(), a.Stderr.Trim());
        }
    }

    [Fact]
    public void SummaryViewRawAndRemoteSummaryPrintWhatOstreePrints()
    {
        OstreeOracle.Require();
        var (archive, _) = VectorRepos.Extract(_tmp.Path);
        foreach (var flag in new[] { "--view", "--raw" })
            Assert.Equal(OstreeOracle.RunOk("summary", flag, $"--repo={archive}"), CliRunner.RunOk("summary", flag, $"--repo={archive}"));

        using var nginx = NginxServer.Start(_tmp.Path);
        var ours = _tmp.Combine("ours");
        var theirs = _tmp.Combine("theirs");
        foreach (var (run, repo) in new (Func<string[], string>, string)[] { (CliRunner.RunOk, ours), (OstreeOracle.RunOk, theirs) })
        {
            run(["init", $"--repo={repo}", "--mode=archive"]);
            run(["remote", "add", $"--repo={repo}", "--no-gpg-verify", "vec", nginx.Url("archive")]);
        }
        foreach (var query in new[] { new[] { "remote", "refs", "vec" }, ["remote", "summary", "vec"], ["remote", "summary", "--raw", "vec"] })
            Assert.Equal(OstreeOracle.RunOk([.. query, $"--repo={theirs}"]), CliRunner.RunOk([.. query, $"--repo={ours}"]));
    }

    [Fact]
    public void ArborSummaryUpdateEqualsOstreesForTheSameTime()
    {
        OstreeOracle.Require();
        var (archive, _) = VectorRepos.Extract(_tmp.Path);
        var expected = File.ReadAllBytes(Path.Combine(archive, "summary"));
        CliRunner.RunOk("summary", "-u", $"--repo={archive}");
        var ours = SummaryReader.Parse(File.ReadAllBytes(Path.Combine(archive, "summary")), "ours");
        var theirs = SummaryReader.Parse(expected, "theirs");
        // identical but for the generation time
        Assert.Equal(SummaryWriter.Build(Repository.Open(archive), null, DateTimeOffset.FromUnixTimeSeconds((long)theirs.LastModified!.Value)), expected);
        Assert.True(ours.LastModified > theirs.LastModified);
        Assert.Equal(theirs.Refs.Select(r => (r.Name, r.Commit, r.CommitSize)), ours.Refs.Select(r => (r.Name, r.Commit, r.CommitSize)));
        // and the real ostree reads it
        Assert.Contains("* vectors/main", OstreeOracle.RunOk("summary", "--view", $"--repo={archive}"));
    }

    private static List<string> Objects(string repo) =>
        Directory.EnumerateFiles(Path.Combine(repo, "objects"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(repo, f)).Order(StringComparer.Ordinal).ToList();
}
