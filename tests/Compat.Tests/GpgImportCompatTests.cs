using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// <c>remote gpg-import NAME [KEY-ID…]</c> against the real ostree 2022.7: KEY-IDs pick keys out of the
/// <c>--keyring</c>/<c>--stdin</c> data (by key ID, fingerprint or user ID), the count of keys added,
/// and the errors (unknown remote, nothing to import, a KEY-ID too short, unknown or ambiguous,
/// an unreadable file, both sources).
/// </summary>
public sealed class GpgImportCompatTests : IDisposable
{
    private readonly TempDirectory _tmp = new("gpg-import-compat");
    private readonly GpgHome _alice, _bob;
    private readonly string _both, _aliceArmored;

    public GpgImportCompatTests()
    {
        OstreeOracle.Require();
        _alice = new GpgHome(_tmp.Path, "Alice", "alice@example.com");
        _bob = new GpgHome(_tmp.Path, "Bob", "bob@example.com");
        _both = _tmp.Combine("both.gpg");
        File.WriteAllBytes(_both, [.. _alice.ExportPublicKey(), .. _bob.ExportPublicKey()]);
        _aliceArmored = _tmp.Combine("alice.asc");
        File.WriteAllText(_aliceArmored, _alice.Gpg("--armor", "--export", _alice.Fingerprint));
    }

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
        _tmp.Dispose();
    }

    /// <summary>A fresh repo with remote "r" per tool.</summary>
    private (string Ostree, string Arbor) Repos(string name)
    {
        string o = _tmp.Combine("o-" + name), a = _tmp.Combine("a-" + name);
        foreach (var (repo, run) in new[] { (o, (Func<string[], CliResult>)OstreeOracle.Run), (a, CliRunner.Run) })
        {
            Assert.Equal(0, run(["init", "--repo=" + repo, "--mode=archive"]).ExitCode);
            Assert.Equal(0, run(["remote", "add", "--repo=" + repo, "--no-gpg-verify", "r", "http://127.0.0.1:9/"]).ExitCode);
        }
        return (o, a);
    }

    private static (CliResult Ostree, CliResult Arbor) Both((string Ostree, string Arbor) repos, params string[] args) =>
        (OstreeOracle.Run(["remote", "gpg-import", "--repo=" + repos.Ostree, .. args]),
         CliRunner.Run(["remote", "gpg-import", "--repo=" + repos.Arbor, .. args]));

    private static void AssertSame((CliResult Ostree, CliResult Arbor) r) =>
        Assert.Equal((r.Ostree.ExitCode, r.Ostree.Stdout, r.Ostree.Stderr), (r.Arbor.ExitCode, r.Arbor.Stdout, r.Arbor.Stderr));

    /// <summary>The fingerprints in a remote's keyring, as gpg lists them.</summary>
    private string Keyring(string repo)
    {
        var path = Path.Combine(repo, "r.trustedkeys.gpg");
        if (!File.Exists(path)) return "";
        var r = ProcessRunner.Run("gpg", ["--homedir", _alice.Path, "--no-default-keyring", "--keyring", path, "--with-colons", "--list-keys"]);
        return string.Join(' ', r.Stdout.Split('\n').Where(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Select(l => l.Split(':')[9]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void KeyIdsPickKeysAsOstree()
    {
        foreach (var id in new[]
        {
            _alice.Fingerprint, "0x" + _alice.KeyId, _alice.KeyId.ToLowerInvariant(), _alice.Fingerprint[^8..], "alice@example.com",
            "ALICE@EXAMPLE.COM", "<alice@example.com>", "=Alice <alice@example.com>", "@alice@ex", "Alice <alice",
        })
        {
            var repos = Repos("id");
            var r = Both(repos, "r", "-k", _both, id);
            Assert.Equal("Imported 1 GPG key to remote \"r\"\n", r.Ostree.Stdout);
            AssertSame(r);
            Assert.Equal(_alice.Fingerprint, Keyring(repos.Ostree));
            Assert.Equal(Keyring(repos.Ostree), Keyring(repos.Arbor));
            TempDirectory.Remove(repos.Ostree);
            TempDirectory.Remove(repos.Arbor);
        }
    }

    [Fact]
    public void CountsAndSourcesMatchOstree()
    {
        var repos = Repos("count");
        AssertSame(Both(repos, "r", "-k", _aliceArmored));
        AssertSame(Both(repos, "r", "-k", _both));
        // the files are read as one stream, as gpg reads ostree's chained --keyring files: armoured
        // blocks one after the other, nothing binary after one, no key interrupted by armour
        var bob = _tmp.Combine("bob.gpg");
        File.WriteAllBytes(bob, _bob.ExportPublicKey());
        var bobArmored = _tmp.Combine("bob.asc");
        File.WriteAllText(bobArmored, _bob.Gpg("--armor", "--export", _bob.Fingerprint));
        foreach (var files in new[]
        {
            new[] { _both, _aliceArmored }, [_aliceArmored, bobArmored], [_aliceArmored, _both], [bobArmored, _both], [bob, _aliceArmored],
        })
        {
            var fresh = Repos("stream");
            var r = Both(fresh, ["r", .. files.SelectMany(f => new[] { "-k", f })]);
            AssertSame(r);
            Assert.Equal(Keyring(fresh.Ostree), Keyring(fresh.Arbor));
            TempDirectory.Remove(fresh.Ostree);
            TempDirectory.Remove(fresh.Arbor);
        }
        AssertSame(Both(repos, "r", "-k", _both));
        AssertSame(Both(repos, "r", "-k", _both, _bob.KeyId, _alice.KeyId));
        Assert.Equal(Keyring(repos.Ostree), Keyring(repos.Arbor));
        Assert.Equal(2, Keyring(repos.Arbor).Split(' ').Length);
    }

    [Fact]
    public void ErrorsMatchOstree()
    {
        var repos = Repos("errors");
        var notKeys = _tmp.Combine("not-keys");
        File.WriteAllText(notKeys, "hello\n");
        foreach (var args in new[]
        {
            new[] { "nosuch", "-k", _both },
            ["r", "-k", notKeys],
            ["r"],
            ["r", "-k", _both, "ALICE"],
            ["r", "-k", _both, "example.com"],
            ["r", "-k", _both, "DEADBEEFDEADBEEF"],
            ["r", "-k", _both, "nobody-at-all"],
            ["r", "-k", _both, _alice.KeyId, "DEADBEEF"],
            ["r", "-k", _tmp.Combine("missing")],
            ["r", "-k", _tmp.Path],
        })
        {
            var r = Both(repos, args);
            Assert.Equal(1, r.Ostree.ExitCode);
            AssertSame(r);
        }
        // nothing imported by any of them
        Assert.Equal("", Keyring(repos.Arbor));
        // --keyring with --stdin: ostree prints its usage too; both name the conflict last
        var (o, a) = Both(repos, "r", "-k", _both, "--stdin");
        Assert.Equal((1, "error: --keyring and --stdin are mutually exclusive"), (o.ExitCode, o.Stderr.TrimEnd('\n').Split('\n')[^1]));
        Assert.Equal((1, "error: --keyring and --stdin are mutually exclusive\n"), (a.ExitCode, a.Stderr));
    }
}
