using Arbor.Repo.Core;
using Arbor.Repo.Finders;
using Arbor.Repo.Pull;
using Arbor.Repo.Refs;
using Arbor.Repo.Remotes;
using Arbor.Repo.Signing;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Finders;

/// <summary>
/// <see cref="RemotesPuller"/> over hand-made finder results: two local repositories of one collection
/// holding the same GPG-signed commits of refs a and b ("one" and "two"), a copy whose commit of a lost
/// its signature ("broken"), and configured remotes for them in a client that has the key.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RemotesPullerTests : IDisposable
{
    private const string Os = "org.example.Os";
    private static readonly CollectionRef A = new(Os, "a"), B = new(Os, "b");
    private readonly TempDirectory _tmp = new("remotes-puller");
    private readonly GpgHome _gpg;
    private readonly Checksum _a, _b;
    private int _clients;

    public RemotesPullerTests()
    {
        OstreeOracle.Require();
        _gpg = new GpgHome(_tmp.Path);
        var one = _tmp.Combine("one");
        OstreeOracle.RunOk("init", $"--repo={one}", "--mode=archive", $"--collection-id={Os}");
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree, 1, smallFiles: 5);
        _a = Commit(one, "a", tree);
        _b = Commit(one, "b", tree);
        OstreeOracle.RunOk("summary", "-u", $"--repo={one}");
        ProcessRunner.RunOk("cp", ["-a", one, _tmp.Combine("two")]);
        ProcessRunner.RunOk("cp", ["-a", one, _tmp.Combine("broken")]);
        File.Delete(_tmp.Combine($"broken/objects/{_a.ToString()[..2]}/{_a.ToString()[2..]}.commitmeta"));
    }

    public void Dispose()
    {
        _gpg.Dispose();
        _tmp.Dispose();
    }

    private Checksum Commit(string repo, string branch, string tree) =>
        Checksum.Parse(OstreeOracle.RunOk("commit", $"--repo={repo}", $"--branch={branch}", $"--gpg-sign={_gpg.KeyId}",
            $"--gpg-homedir={_gpg.Path}", "--timestamp=2024-01-01T00:00:00Z", tree).Trim());

    /// <summary>A client with a remote (collection ID, the key) for each source; "nokey" is "one" without the key.</summary>
    private RemoteStore Client()
    {
        var repo = Repository.Create(_tmp.Combine($"client-{++_clients}"), RepoMode.BareUser);
        var remotes = new RemoteStore(repo, null);
        foreach (var name in new[] { "one", "two", "broken" })
        {
            remotes.Add(name, Url(name), [RemoteOption.String("collection-id", Os)]);
            GpgKeyringImport.Import(remotes, name, [_gpg.ExportPublicKey()]);
        }
        remotes.Add("nokey", Url("one"), [RemoteOption.String("collection-id", Os)]);
        return remotes;
    }

    private string Url(string source) => "file://" + _tmp.Combine(source);

    private FinderResult Configured(string name, params CollectionRef[] refs) => new()
    {
        RemoteName = name, Url = Url(name == "nokey" ? "one" : name), Finder = ConfigFinder.Name, Keyring = name + ".trustedkeys.gpg",
        Configured = true, Priority = ConfigFinder.Priority, RefToChecksum = Table(refs),
    };

    private Arbor.Repo.GLib.GHashTable<CollectionRef, string?> Table(CollectionRef[] refs)
    {
        var table = FinderResult.NewRefTable();
        foreach (var r in refs) table.Insert(r, (r == A ? _a : _b).ToString());
        return table;
    }

    private static List<string> Refs(RemoteStore remotes)
    {
        var dir = remotes.Repository.FullPath("refs");
        return [.. Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => $"{Path.GetRelativePath(dir, f)} {File.ReadAllText(f).Trim()}").Order(StringComparer.Ordinal)];
    }

    private static Task Pull(RemoteStore remotes, IReadOnlyList<FinderResult> results, List<string>? failed = null, bool mirror = false) =>
        RemotesPuller.PullAsync(remotes, results, new RemotesPuller.Options
        {
            Mirror = mirror,
            Failed = (remote, e) => failed?.Add($"{remote}: {e.Message}"),
        }, TestContext.Current.CancellationToken);

    [Fact]
    public async Task EachRefComesFromTheFirstResultThatHasIt()
    {
        var both = Client();
        await Pull(both, [Configured("one", A, B), Configured("two", A, B)]);
        Assert.Equal([$"remotes/one/a {_a}", $"remotes/one/b {_b}"], Refs(both));

        var split = Client();
        await Pull(split, [Configured("one", A), Configured("two", A, B)]);
        Assert.Equal([$"remotes/one/a {_a}", $"remotes/two/b {_b}"], Refs(split));
    }

    [Fact]
    public async Task AMountResultPullsUnderTheRemoteThatLendsItsKeyring()
    {
        var remotes = Client();
        var mount = new FinderResult
        {
            RemoteName = MountFinder.DynamicRemoteName(Url("two"), "one.trustedkeys.gpg"), Url = Url("two"), Finder = MountFinder.Name,
            Keyring = "one.trustedkeys.gpg", KeyringRemote = "one", Priority = MountFinder.Priority, RefToChecksum = Table([B]),
        };
        await Pull(remotes, [mount]);
        Assert.Equal([$"remotes/one/b {_b}"], Refs(remotes));

        var mirrored = Client();
        await Pull(mirrored, [mount], mirror: true);
        Assert.Equal([$"mirrors/{Os}/b {_b}"], Refs(mirrored));
    }

    [Fact]
    public async Task AResultThatFailsLeavesItsRefsToTheNext()
    {
        var remotes = Client();
        var failed = new List<string>();
        await Pull(remotes, [Configured("broken", A, B), Configured("two", A, B)], failed);
        // the whole pull from "broken" failed (a's signature is gone), so "two" delivers both
        Assert.Equal([$"remotes/two/a {_a}", $"remotes/two/b {_b}"], Refs(remotes));
        var reason = Assert.Single(failed);
        Assert.StartsWith($"broken: Commit {_a}: GPG verification enabled, but no signatures found", reason);
    }

    [Fact]
    public async Task RefsNoResultDeliversFailAfterTheOthersAreWritten()
    {
        var remotes = Client();
        var failed = new List<string>();
        var e = await Assert.ThrowsAsync<PullException>(() => Pull(remotes, [Configured("one", A), Configured("nokey", B)], failed));
        Assert.Equal($"Failed to pull some refs from the remotes: ({Os}, b)", e.Message);
        Assert.Equal([$"remotes/one/a {_a}"], Refs(remotes));
        Assert.Contains("public key not found", Assert.Single(failed));

        var none = Client();
        e = await Assert.ThrowsAsync<PullException>(() => Pull(none, [Configured("nokey", A, B)]));
        Assert.Matches($@"^Failed to pull some refs from the remotes: \({Os}, [ab]\), \({Os}, [ab]\)$", e.Message);
        Assert.Empty(Refs(none));
    }
}
