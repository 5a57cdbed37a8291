using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// <c>find-remotes --pull</c> (and <c>--mirror</c>) against the real ostree 2022.7: each tool pulls into
/// a client of its own from the same sources, and both must print the same stdout, write the same refs
/// and leave a repository both fsck. Sources: two nginx-served repositories of one collection (alpha
/// has os/main at v1 and other; beta has os/main at the newer v2), and a USB stick written by
/// Arbor's <c>create-usb</c>. Commits are GPG-signed: ostree's pull from finder results always
/// verifies commits with the remote's keyring.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FindRemotesPullCompatTests : IDisposable
{
    private const string Os = "org.example.Os";
    private static readonly string[] Tools = ["ostree", "arbor"];
    private readonly TempDirectory _tmp = new("find-remotes-pull");
    private readonly GpgHome _gpg;
    private readonly NginxServer _nginx;
    private readonly string _key;
    private readonly string _v1, _v2, _other;

    public FindRemotesPullCompatTests()
    {
        OstreeOracle.Require();
        _gpg = new GpgHome(_tmp.Path);
        var www = _tmp.Combine("www");
        Directory.CreateDirectory(www);
        var t1 = _tmp.Combine("t1");
        var t2 = _tmp.Combine("t2");
        SampleTree.Write(t1, 1);
        SampleTree.Write(t2, 2);
        _v1 = SignedCommit(Path.Combine(www, "alpha"), t1, "os/main", "2024-01-01T00:00:00Z");
        _other = SignedCommit(Path.Combine(www, "alpha"), t1, "other", "2024-01-01T00:00:00Z");
        _v2 = SignedCommit(Path.Combine(www, "beta"), t2, "os/main", "2024-02-01T00:00:00Z");
        _nginx = NginxServer.Start(www);
        _key = _tmp.Combine("key.gpg");
        File.WriteAllBytes(_key, _gpg.ExportPublicKey());
    }

    public void Dispose()
    {
        _nginx.Dispose();
        _gpg.Dispose();
        _tmp.Dispose();
    }

    private string SignedCommit(string repo, string tree, string branch, string timestamp)
    {
        if (!File.Exists(Path.Combine(repo, "config"))) OstreeOracle.RunOk("init", $"--repo={repo}", "--mode=archive", $"--collection-id={Os}");
        var commit = OstreeOracle.RunOk("commit", $"--repo={repo}", $"--branch={branch}", "--owner-uid=0", "--owner-gid=0",
            $"--timestamp={timestamp}", $"--gpg-sign={_gpg.KeyId}", $"--gpg-homedir={_gpg.Path}", tree).Trim();
        OstreeOracle.RunOk("summary", "-u", $"--repo={repo}");
        return commit;
    }

    /// <summary>A client made by <paramref name="tool"/>, with the given remotes (name, served directory), each with the collection ID and, unless told not to, the key.</summary>
    private string Client(string tool, string name, bool importKey, params string[] remotes)
    {
        var path = _tmp.Combine($"{name}-{tool}");
        ToolRunner.RunOk(tool, "init", $"--repo={path}", "--mode=bare-user");
        foreach (var remote in remotes)
        {
            string[] key = importKey ? [$"--gpg-import={_key}"] : [];
            ToolRunner.RunOk(tool, ["remote", "add", $"--repo={path}", .. key, $"--collection-id={Os}", remote, _nginx.Url(remote)]);
        }
        return path;
    }

    /// <summary>Every ref file under refs/ with the commit it holds, sorted.</summary>
    private static string[] Refs(string repo)
    {
        var dir = Path.Combine(repo, "refs");
        return [.. Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => $"{Path.GetRelativePath(dir, f)} {File.ReadAllText(f).Trim()}").Order(StringComparer.Ordinal)];
    }

    private static void AssertFsckClean(string repo)
    {
        OstreeOracle.RunOk("fsck", $"--repo={repo}");
        CliRunner.RunOk("fsck", $"--repo={repo}");
    }

    /// <summary>Runs the same find-remotes in a fresh client per tool; both succeed with the same stdout and refs, which are returned.</summary>
    private string[] PullWithBoth(string name, Func<string, string, CliResult> run, Func<string, string> client)
    {
        var results = Tools.ToDictionary(t => t, t =>
        {
            var repo = client(t);
            return (Repo: repo, Result: run(t, repo));
        });
        var (ostree, arbor) = (results["ostree"], results["arbor"]);
        Assert.True(ostree.Result.ExitCode == 0, $"{name}: ostree: {ostree.Result}");
        Assert.True(arbor.Result.ExitCode == 0, $"{name}: arbor: {arbor.Result}");
        Assert.Equal(ostree.Result.Stdout, arbor.Result.Stdout);
        Assert.Equal(Refs(ostree.Repo), Refs(arbor.Repo));
        AssertFsckClean(arbor.Repo);
        return Refs(arbor.Repo);
    }

    [Fact]
    public void ConfigFinderPullTakesEachRefFromTheRemoteWithTheNewestCommit()
    {
        var refs = PullWithBoth("config",
            (tool, repo) => ToolRunner.Run(tool, "find-remotes", $"--repo={repo}", "--pull", Os, "os/main", Os, "other"),
            tool => Client(tool, "config", importKey: true, "alpha", "beta"));
        // os/main from beta (v2 is newer than alpha's v1), other from alpha: refs/remotes/REMOTE/REF
        Assert.Equal([$"remotes/alpha/other {_other}", $"remotes/beta/os/main {_v2}"], refs);
        var stdout = CliRunner.RunOk("find-remotes", $"--repo={_tmp.Combine("config-arbor")}", "--pull", Os, "os/main", Os, "other");
        Assert.EndsWith("2/2 refs were found.\nPulled 2/2 refs successfully.\n", stdout);
        Assert.DoesNotContain(_v1, stdout);
    }

    [Fact]
    public void MirrorWritesCollectionRefs()
    {
        var refs = PullWithBoth("mirror",
            (tool, repo) => ToolRunner.Run(tool, "find-remotes", $"--repo={repo}", "--pull", "--mirror", Os, "os/main", Os, "other"),
            tool => Client(tool, "mirror", importKey: true, "alpha", "beta"));
        Assert.Equal([$"mirrors/{Os}/os/main {_v2}", $"mirrors/{Os}/other {_other}"], refs);

        // in a repository of that collection, its own refs are refs/heads
        var own = PullWithBoth("mirror-own",
            (tool, repo) => ToolRunner.Run(tool, "find-remotes", $"--repo={repo}", "--pull", "--mirror", Os, "os/main"),
            tool =>
            {
                var repo = Client(tool, "mirror-own", importKey: true, "beta");
                ToolRunner.RunOk(tool, "config", $"--repo={repo}", "set", "core.collection-id", Os);
                return repo;
            });
        Assert.Equal([$"heads/os/main {_v2}"], own);
    }

    [Fact]
    public void ARefNoRemoteOffersIsReportedAsOstreeReportsIt()
    {
        // alone: no results, nothing pulled, success
        var none = PullWithBoth("none",
            (tool, repo) => ToolRunner.Run(tool, "find-remotes", $"--repo={repo}", "--pull", Os, "nope"),
            tool => Client(tool, "none", importKey: true, "alpha"));
        Assert.Empty(none);
        Assert.Equal("No results.\n", CliRunner.RunOk("find-remotes", $"--repo={_tmp.Combine("none-arbor")}", "--pull", Os, "nope"));

        // with a ref that is found: listed as not found, the other pulled, and ostree's count of all requested refs
        var some = PullWithBoth("some",
            (tool, repo) => ToolRunner.Run(tool, "find-remotes", $"--repo={repo}", "--pull", Os, "os/main", Os, "nope"),
            tool => Client(tool, "some", importKey: true, "alpha"));
        Assert.Equal([$"remotes/alpha/os/main {_v1}"], some);
        var stdout = CliRunner.RunOk("find-remotes", $"--repo={_tmp.Combine("some-arbor")}", "--pull", Os, "os/main", Os, "nope");
        Assert.EndsWith($"Refs not found in any remote:\n - ({Os}, nope)\nPulled 2/2 refs successfully.\n", stdout);
    }

    [Fact]
    public void RefsNoRemoteCanDeliverFailTheCommandAsInOstree()
    {
        // found, but unverifiable: the remotes have no key to check the commits' signatures with
        string[] args = ["--pull", Os, "os/main", Os, "other"];
        var runs = Tools.ToDictionary(t => t, t =>
        {
            var repo = Client(t, "unverified", importKey: false, "alpha", "beta");
            return (Repo: repo, Result: ToolRunner.Run(t, ["find-remotes", $"--repo={repo}", .. args]));
        });
        var (ostree, arbor) = (runs["ostree"], runs["arbor"]);
        Assert.NotEqual(0, ostree.Result.ExitCode);
        Assert.Equal(ostree.Result.ExitCode, arbor.Result.ExitCode);
        Assert.Equal(ostree.Result.Stdout, arbor.Result.Stdout);
        Assert.Equal(ostree.Result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(), arbor.Result.Stderr.TrimEnd('\n'));
        Assert.StartsWith("error: Failed to pull some refs from the remotes: ", arbor.Result.Stderr);
        Assert.Empty(Refs(arbor.Repo));
        Assert.Equal(Refs(ostree.Repo), Refs(arbor.Repo));

        // --verbose says why each remote failed
        var verbose = CliRunner.Run(["find-remotes", $"--repo={arbor.Repo}", "-v", .. args]);
        Assert.Contains("OT: Failed to pull refs from ‘beta’: ", verbose.Stderr);
        Assert.Contains("public key not found", verbose.Stderr);
    }

    [Fact]
    public void MountFinderPullsFromAUsbStickWrittenByCreateUsb()
    {
        using var stick = new UsbStick(_tmp.Path);
        var made = stick.Run(ArborProcess.Executable, "create-usb", $"--repo={_tmp.Combine("www/beta")}", stick.Inner, Os, "os/main");
        Assert.True(made.ExitCode == 0, made.ToString());
        // the client's remote "origin" (same collection, the key; its URL unused) lends the stick its keyring, and names its refs
        var refs = PullWithBoth("usb",
            (tool, repo) => stick.Run(Binary(tool), "find-remotes", $"--repo={repo}", "--finders=mount", "--pull", Os, "os/main"),
            tool =>
            {
                var repo = Client(tool, "usb", importKey: true);
                ToolRunner.RunOk(tool, "remote", "add", $"--repo={repo}", $"--gpg-import={_key}", $"--collection-id={Os}", "origin", "http://127.0.0.1:1/unused");
                return repo;
            });
        Assert.Equal([$"remotes/origin/os/main {_v2}"], refs);

        var mirror = PullWithBoth("usb-mirror",
            (tool, repo) => stick.Run(Binary(tool), "find-remotes", $"--repo={repo}", "--finders=mount", "--pull", "--mirror", Os, "os/main"),
            tool =>
            {
                var repo = Client(tool, "usb-mirror", importKey: true);
                ToolRunner.RunOk(tool, "remote", "add", $"--repo={repo}", $"--gpg-import={_key}", $"--collection-id={Os}", "origin", "http://127.0.0.1:1/unused");
                return repo;
            });
        Assert.Equal([$"mirrors/{Os}/os/main {_v2}"], mirror);
    }

    [Fact]
    public void AStickThatFailsVerificationGivesWayToTheConfiguredRemote()
    {
        using var stick = new UsbStick(_tmp.Path);
        var made = stick.Run(ArborProcess.Executable, "create-usb", $"--repo={_tmp.Combine("www/beta")}", stick.Inner, Os, "os/main");
        Assert.True(made.ExitCode == 0, made.ToString());
        // the stick's copy of v2 loses its signature: the mount result (priority 50) fails, the config one (100) delivers
        var commitmeta = Path.Combine(stick.Path, ".ostree/repo/objects", _v2[..2], _v2[2..] + ".commitmeta");
        Assert.True(File.Exists(commitmeta), commitmeta);
        File.Delete(commitmeta);
        var refs = PullWithBoth("fallback",
            (tool, repo) => stick.Run(Binary(tool), "find-remotes", $"--repo={repo}", "--pull", Os, "os/main"),
            tool => Client(tool, "fallback", importKey: true, "beta"));
        Assert.Equal([$"remotes/beta/os/main {_v2}"], refs);
        var again = stick.Run(ArborProcess.Executable, "find-remotes", $"--repo={Client("arbor", "fallback-verbose", importKey: true, "beta")}", "-v", "--pull", Os, "os/main");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.StartsWith($"Result 0: file://{stick.Inner}/.ostree/repo\n", again.Stdout);
        Assert.Contains($"Result 1: {_nginx.Url("beta")}\n", again.Stdout);
        Assert.StartsWith("OT: Failed to pull refs from ‘file_3A_2F_2F", again.Stderr);
        Assert.Contains("GPG verification enabled, but no signatures found", again.Stderr);
    }

    private static string Binary(string tool) => tool == "ostree" ? "/usr/bin/ostree" : ArborProcess.Executable;
}
