using Arbor.Repo.Finders;
using Arbor.Repo.Finders.Lan;
using Arbor.Repo.GVariant;
using Arbor.Repo.Refs;
using Arbor.Repo.Remotes;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Finders.Lan;

/// <summary>
/// <c>OstreeRepoFinderAvahi</c>'s handling of resolved services: what their TXT records must say
/// (vectors built with ostree's GVariant encoding), the URL it makes, and the results it builds
/// from the summaries of repositories an nginx on 127.0.0.1 serves.
/// </summary>
public sealed class LanFinderTests : IDisposable
{
    private const string Os = "org.example.Os";
    private const string Apps = "org.example.Apps";
    private readonly TempDirectory _tmp = new("lan-finder");

    public void Dispose() => _tmp.Dispose();

    private static List<byte[]> Records(params string[] refs) => Records(7, refs);

    private static List<byte[]> Records(ushort index, params string[] refs) =>
        AvahiPublisher.Records(refs.Select(r => new CollectionRef(Os, r)), 1_700_000_000, index);

    private static List<byte[]> Replace(List<byte[]> records, string key, byte[]? value) =>
        [.. records.Where(r => !r.AsSpan().StartsWith(System.Text.Encoding.ASCII.GetBytes(key + "="))),
         .. value is null ? [] : new[] { AvahiPublisher.Record(key, value) }];

    [Fact]
    public void ReadsVersionBloomTimestampAndIndex()
    {
        var ad = LanFinder.ReadAdvertisement(TxtRecords.Parse(Records("os/main")))!;
        Assert.Equal(1_700_000_000UL, ad.SummaryTimestamp); // big-endian in the uint64
        Assert.Equal(7, ad.RepoIndex);                      // big-endian in the uint16
        Assert.True(ad.Bloom.MaybeContains(new CollectionRef(Os, "os/main")));
        Assert.Equal(64, ad.Bloom.Bits.Length);
    }

    public static TheoryData<string, byte[]?> Unusable => new()
    {
        { "v", GVariantValue.Byte(2).Serialize() },                                 // an unknown version
        { "v", null },
        { "rb", null },
        { "rb", GVariantValue.Tuple(GVariantValue.Byte(0), GVariantValue.Byte(1), GVariantValue.Bytes(new byte[8])).Serialize() }, // k = 0
        { "rb", GVariantValue.Tuple(GVariantValue.Byte(3), GVariantValue.Byte(2), GVariantValue.Bytes(new byte[8])).Serialize() }, // hash 2
        { "st", null },
        { "st", [0, 0, 0, 1] },                                                     // not a uint64
        { "ri", null },
        { "ri", [7] },                                                              // not a uint16
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public void AServiceWithAMissingOrMalformedRecordIsIgnored(string key, byte[]? value)
    {
        var records = Replace(Records("os/main"), key, value);
        Assert.Null(LanFinder.ReadAdvertisement(TxtRecords.Parse(records)));
    }

    [Fact]
    public void AnEmptyFilterLetsEveryRefThrough()
    {
        // (3, 1, []): ostree cannot build a filter of no bytes, and its check of the missing filter says "maybe"
        var ad = LanFinder.ReadAdvertisement(TxtRecords.Parse(Replace(Records(), "rb", [3, 1])));
        Assert.NotNull(ad);
        Assert.True(ad.Bloom.MaybeContains(new CollectionRef(Os, "anything")));
    }

    [Fact]
    public void KeysMatchWhateverTheirCase()
    {
        var upper = Records("os/main").Select(r => { var c = (byte[])r.Clone(); c[0] = (byte)char.ToUpperInvariant((char)c[0]); return c; }).ToList();
        Assert.NotNull(LanFinder.ReadAdvertisement(TxtRecords.Parse(upper)));
    }

    [Theory]
    [InlineData("192.168.1.5", 8080, 0, "http://192.168.1.5:8080/0")]
    [InlineData("2001:db8::1", 43381, 65535, "http://[2001:db8::1]:43381/65535")]
    [InlineData("fe80::1%3", 80, 1, "http://[fe80::1%3]:80/1")]
    public void TheRepositoryUrlIsHttpAddressPortIndex(string address, int port, int index, string url) =>
        Assert.Equal(url, LanFinder.RepoUrl(new AvahiService("s", "local", address, (ushort)port, []), (ushort)index));

    [Theory]
    [InlineData("fe80::1", 1, 3, "fe80::1%3")]   // link-local IPv6: scoped to its interface
    [InlineData("::1", 1, 2, "::1%2")]
    [InlineData("2001:db8::1", 1, 3, "2001:db8::1")]
    [InlineData("10.0.0.1", 0, 3, "10.0.0.1")]
    public void LinkLocalAndLoopbackIPv6AddressesGetTheirInterface(string address, int protocol, int iface, string expected) =>
        Assert.Equal(expected, AvahiBrowser.ScopedAddress(address, protocol, iface));

    /// <summary>www/0: Os os/main and other; www/1: Apps app. The client has remotes "os" (Os) and "apps" (Apps).</summary>
    private (RemoteStore Remotes, NginxServer Server, string Main, string Other, string App) Setup()
    {
        var www = _tmp.Combine("www");
        Directory.CreateDirectory(www);
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree, 1);
        string Commit(string repo, string collection, string branch)
        {
            if (!Directory.Exists(repo)) OstreeOracle.RunOk("init", $"--repo={repo}", "--mode=archive", $"--collection-id={collection}");
            var c = OstreeOracle.RunOk("commit", $"--repo={repo}", $"--branch={branch}", tree).Trim();
            OstreeOracle.RunOk("summary", "-u", $"--repo={repo}");
            return c;
        }
        var main = Commit(Path.Combine(www, "0"), Os, "os/main");
        var other = Commit(Path.Combine(www, "0"), Os, "other");
        var app = Commit(Path.Combine(www, "1"), Apps, "app");
        var client = _tmp.Combine("client");
        CliRunner.RunOk("init", $"--repo={client}", "--mode=bare-user");
        CliRunner.RunOk("remote", "add", $"--repo={client}", "--no-gpg-verify", $"--collection-id={Os}", "os", "http://127.0.0.1:1/unused");
        CliRunner.RunOk("remote", "add", $"--repo={client}", "--no-gpg-verify", $"--collection-id={Apps}", "apps", "http://127.0.0.1:1/unused");
        return (RemoteStore.For(Repository.Open(client)), NginxServer.Start(www), main, other, app);
    }

    private static AvahiService Service(NginxServer server, string name, List<byte[]> txt) =>
        new(name, "local", "127.0.0.1", (ushort)server.Port, txt);

    [Fact]
    public async Task EachServiceGivesAResultPerKeyringWithTheRefsItsSummaryLists()
    {
        var (remotes, server, main, other, _) = Setup();
        using var _ = server;
        CollectionRef osMain = new(Os, "os/main"), osOther = new(Os, "other"), ghost = new(Os, "ghost");
        // an empty filter lets "ghost" through: the summary then drops it, as a bloom false positive
        var txt = Replace(Records(0), "rb", GVariantValue.Tuple(GVariantValue.Byte(1), GVariantValue.Byte(1), GVariantValue.Bytes([])).Serialize());
        var results = await LanFinder.ResolveAsync(remotes, [osMain, ghost, osOther], [Service(server, "zero", txt)], TestContext.Current.CancellationToken);

        var r = Assert.Single(results);
        Assert.Equal($"http://127.0.0.1:{server.Port}/0", r.Url);
        Assert.Equal(("OstreeRepoFinderAvahi", 60, "os.trustedkeys.gpg", "os"), (r.Finder, r.Priority, r.Keyring, r.KeyringRemote));
        Assert.Equal(MountFinder.DynamicRemoteName(r.Url, "os.trustedkeys.gpg"), r.RemoteName);
        Assert.False(r.Configured);
        Assert.Equal(1_700_000_000UL, r.SummaryLastModified);
        Assert.Equal(new Dictionary<CollectionRef, string?> { [osMain] = main, [osOther] = other },
            r.RefToChecksum.Entries.ToDictionary(e => e.Key, e => e.Value));
        Assert.Contains(server.AccessLog(), e => e.Path == "/0/summary" && e.Status == 200);
    }

    [Fact]
    public async Task RefsTheFilterRulesOutOrNoRemoteGivesAKeyringForAreNotLookedUp()
    {
        var (remotes, server, _, _, app) = Setup();
        using var _ = server;
        var results = await LanFinder.ResolveAsync(remotes,
            [new(Os, "other"), new("org.example.Unknown", "x")],
            [Service(server, "zero", Records(0, "os/main"))], TestContext.Current.CancellationToken);
        Assert.Empty(results);
        Assert.Empty(server.AccessLog()); // the filter ruled out "other", and "Unknown" has no keyring: no request

        // a peer of another collection: its own keyring's remote
        var appRecords = AvahiPublisher.Records([new CollectionRef(Apps, "app")], 1, 1);
        var apps = await LanFinder.ResolveAsync(remotes, [new(Apps, "app")], [Service(server, "one", appRecords)], TestContext.Current.CancellationToken);
        Assert.Equal(("apps.trustedkeys.gpg", app), (Assert.Single(apps).Keyring, apps[0].RefToChecksum.Entries.Single().Value));
    }

    [Fact]
    public async Task APeerWhoseSummaryCannotBeHadGivesNothing()
    {
        var (remotes, server, _, _, _) = Setup();
        using var _ = server;
        // index 5 is not served (404), port 1 refuses connections
        var results = await LanFinder.ResolveAsync(remotes, [new(Os, "os/main")],
            [Service(server, "missing", Records(5, "os/main")),
             new AvahiService("refused", "local", "127.0.0.1", 1, Records(0, "os/main"))],
            TestContext.Current.CancellationToken);
        Assert.Empty(results);
    }
}
