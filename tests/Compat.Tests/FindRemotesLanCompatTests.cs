using Arbor.Repo.Refs;
using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// <c>find-remotes</c>' LAN finder against the real ostree 2022.7, both run on a private
/// <see cref="LanNetwork"/> with an avahi-daemon: two nginx-served repositories of one collection
/// are advertised as <c>_ostree_repo._tcp</c> services with ostree's TXT records (alpha, index 0:
/// os/main at v1 and other; beta, index 1: os/main at the newer v2). The client's remote "origin"
/// (same collection, the GPG key, its URL unused) lends the peers its keyring. Both tools must print
/// the same results and pull the same refs.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FindRemotesLanCompatTests : IDisposable
{
    private const string Os = "org.example.Os";
    private static readonly string[] Tools = ["ostree", "arbor"];
    private readonly TempDirectory _tmp = new("find-remotes-lan");
    private readonly GpgHome _gpg;
    private readonly LanNetwork _lan;
    private readonly List<AvahiPublisher> _services = [];
    private readonly string _key;
    private readonly string _v1, _v2, _other;

    public FindRemotesLanCompatTests()
    {
        OstreeOracle.Require();
        _gpg = new GpgHome(_tmp.Path);
        var www = _tmp.Combine("www");
        Directory.CreateDirectory(www);
        var t1 = _tmp.Combine("t1");
        var t2 = _tmp.Combine("t2");
        SampleTree.Write(t1, 1);
        SampleTree.Write(t2, 2);
        _v1 = SignedCommit(Path.Combine(www, "0"), t1, "os/main", "2024-01-01T00:00:00Z");
        _other = SignedCommit(Path.Combine(www, "0"), t1, "other", "2024-01-01T00:00:00Z");
        _v2 = SignedCommit(Path.Combine(www, "1"), t2, "os/main", "2024-02-01T00:00:00Z");
        _key = _tmp.Combine("key.gpg");
        File.WriteAllBytes(_key, _gpg.ExportPublicKey());
        _lan = new LanNetwork(_tmp.Combine("lan"), LanNetwork.Services.BusAndAvahi, www);
        try
        {
            Publish("alpha", 0, "os/main", "other");
            Publish("beta", 1, "os/main");
        }
        catch
        {
            Dispose(); // xunit does not dispose a test class whose constructor failed
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var s in _services) s.Dispose();
        _lan.Dispose();
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

    private void Publish(string name, ushort index, params string[] refs)
    {
        var txt = AvahiPublisher.Records(refs.Select(r => new CollectionRef(Os, r)), summaryTimestamp: 1_700_000_000, index);
        _services.Add(AvahiPublisher.PublishAsync(_lan.BusAddress, name, LanNetwork.HttpPort, txt).GetAwaiter().GetResult());
    }

    /// <summary>A client made by <paramref name="tool"/> with the remote "origin" of the collection and the key.</summary>
    private string Client(string tool, string name)
    {
        var path = _tmp.Combine($"{name}-{tool}");
        ToolRunner.RunOk(tool, "init", $"--repo={path}", "--mode=bare-user");
        ToolRunner.RunOk(tool, "remote", "add", $"--repo={path}", $"--gpg-import={_key}", $"--collection-id={Os}", "origin", "http://127.0.0.1:1/unused");
        return path;
    }

    private static string Binary(string tool) => tool == "ostree" ? "/usr/bin/ostree" : ArborProcess.Executable;

    /// <summary>Runs find-remotes on the network in a fresh client per tool; both succeed with the same stdout, which is returned with the clients.</summary>
    private (string Stdout, Dictionary<string, string> Repos) RunBoth(string name, params string[] args)
    {
        var repos = new Dictionary<string, string>();
        var stdouts = new Dictionary<string, string>();
        foreach (var tool in Tools)
        {
            repos[tool] = Client(tool, name);
            var r = _lan.Run(Binary(tool), ["find-remotes", $"--repo={repos[tool]}", .. args]);
            Assert.True(r.ExitCode == 0, $"{name}: {tool}: {r}");
            Assert.True(r.Stderr.Length == 0, $"{name}: {tool}: {r}");
            stdouts[tool] = r.Stdout;
        }
        Assert.Equal(stdouts["ostree"], stdouts["arbor"]);
        return (stdouts["arbor"], repos);
    }

    private static string[] Refs(string repo)
    {
        var dir = Path.Combine(repo, "refs");
        return [.. Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => $"{Path.GetRelativePath(dir, f)} {File.ReadAllText(f).Trim()}").Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void FindsTheAdvertisedRepositoriesAsOstreeDoes()
    {
        var (stdout, _) = RunBoth("find", "--finders=lan", Os, "os/main", Os, "other", Os, "nope");
        // beta has the newest os/main, alpha the only other; nope is in no bloom filter
        Assert.Contains($"Result 0: {LanNetwork.Url("0")}\n - Finder: OstreeRepoFinderAvahi\n - Keyring: origin.trustedkeys.gpg\n - Priority: 60\n", stdout);
        Assert.Contains($"Result 1: {LanNetwork.Url("1")}\n", stdout);
        Assert.Contains($"    - ({Os}, os/main) = {_v2}\n", stdout);
        Assert.Contains($"    - ({Os}, other) = {_other}\n", stdout);
        Assert.DoesNotContain(_v1, stdout);
        Assert.EndsWith($"2/3 refs were found.\nRefs not found in any remote:\n - ({Os}, nope)\n", stdout);
    }

    [Fact]
    public void RefsNoPeerCanServeGiveNoResults()
    {
        // in no bloom filter; of a collection no remote gives a keyring for
        var (stdout, _) = RunBoth("none", "--finders=lan", Os, "absent", "org.example.Other", "os/main");
        Assert.Equal("No results.\n", stdout);
    }

    [Fact]
    public void CoreDefaultRepoFindersCanAddTheLanFinder()
    {
        var repos = Tools.ToDictionary(t => t, t => Client(t, "default"));
        var stdouts = Tools.ToDictionary(t => t, t =>
        {
            ToolRunner.RunOk(t, "config", $"--repo={repos[t]}", "set", "core.default-repo-finders", "lan;");
            var r = _lan.Run(Binary(t), "find-remotes", $"--repo={repos[t]}", Os, "other");
            Assert.True(r.ExitCode == 0 && r.Stderr.Length == 0, $"{t}: {r}");
            return r.Stdout;
        });
        Assert.Equal(stdouts["ostree"], stdouts["arbor"]);
        Assert.StartsWith($"Result 0: {LanNetwork.Url("0")}\n", stdouts["arbor"]);
    }

    [Fact]
    public void PullsFromThePeersAsOstreeDoes()
    {
        var (stdout, repos) = RunBoth("pull", "--finders=lan", "--pull", Os, "os/main", Os, "other");
        Assert.EndsWith("2/2 refs were found.\nPulled 2/2 refs successfully.\n", stdout);
        // a LAN result's refs go under the remote that lends it its keyring
        Assert.Equal([$"remotes/origin/os/main {_v2}", $"remotes/origin/other {_other}"], Refs(repos["arbor"]));
        Assert.Equal(Refs(repos["ostree"]), Refs(repos["arbor"]));
        OstreeOracle.RunOk("fsck", $"--repo={repos["arbor"]}");
        CliRunner.RunOk("fsck", $"--repo={repos["arbor"]}");
    }
}
