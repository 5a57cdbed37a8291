using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// <c>show</c> (its "Found N signatures:" block, <c>--gpg-verify-remote</c>, <c>--gpg-homedir</c>),
/// <c>log</c> and <c>remote gpg-list-keys</c> on the same repository through the real ostree and
/// through arbor (as a process, so that TZ and the locale apply): the same stdout, stderr and exit
/// code. Times are printed in local time with GLib's <c>%c</c>, so every run sets TZ and LC_ALL.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class GpgShowCompatTests : IDisposable
{
    private const string Timestamp = "--timestamp=2021-06-01T12:00:00Z";
    private readonly TempDirectory _tmp = new("gpg-show-compat");
    private readonly List<GpgHome> _homes = [];
    private readonly string _repo;
    private readonly string _tree;
    private readonly string _globalKeys;

    public GpgShowCompatTests()
    {
        OstreeOracle.Require();
        _tree = _tmp.Combine("tree");
        Directory.CreateDirectory(Path.Combine(_tree, "usr"));
        File.WriteAllText(Path.Combine(_tree, "usr", "file"), "signed content\n");
        _repo = _tmp.Combine("repo");
        OstreeOracle.RunOk("init", "--repo=" + _repo, "--mode=archive");
        // the host's /usr/share/ostree/trusted.gpg.d must not take part
        _globalKeys = _tmp.Combine("global-keys");
        Directory.CreateDirectory(_globalKeys);
    }

    public void Dispose()
    {
        foreach (var h in _homes) h.Dispose();
        _tmp.Dispose();
    }

    private GpgHome Home(string name, string email, string algo = "ed25519", string expire = "never", string? fakedTime = null)
    {
        var h = new GpgHome(_tmp.Path, name, email, algo, expire, fakedTime);
        _homes.Add(h);
        return h;
    }

    private Dictionary<string, string> Env(string tz, string locale) =>
        new() { ["TZ"] = tz, ["LC_ALL"] = locale, ["OSTREE_GPG_HOME"] = _globalKeys };

    /// <summary>Runs ARGS with both tools; asserts the same exit code, stdout and stderr; returns ostree's result.</summary>
    private CliResult Both(string[] args, string tz = "Asia/Kolkata", string locale = "C.UTF-8")
    {
        var env = Env(tz, locale);
        var o = ProcessRunner.Run("/usr/bin/ostree", args, env: env);
        var a = ArborProcess.Run(args, env);
        Assert.Equal(o.ToString(), a.ToString());
        return o;
    }

    private string Commit(string branch, string subject) =>
        OstreeOracle.RunOk("commit", "--repo=" + _repo, Timestamp, "-b", branch, "-s", subject, _tree).Trim();

    private void Sign(string rev, GpgHome home, string keyId) =>
        OstreeOracle.RunOk("gpg-sign", "--repo=" + _repo, "--gpg-homedir=" + home.Path, rev, keyId);

    private string Export(GpgHome home, string name)
    {
        var file = _tmp.Combine(name);
        File.WriteAllBytes(file, home.ExportPublicKey());
        return file;
    }

    [Fact]
    public void ShowPrintsSignaturesAsOstreeDoes()
    {
        var trusted = Home("Trusted Signer (build key)", "Signer@Example.com");
        var unknown = Home("Unknown Signer", "unknown@example.com", "rsa2048");
        var unsigned = Commit("unsigned", "no signature");
        var once = Commit("once", "signed once");
        var twice = Commit("twice", "signed twice");
        var bySubkey = Commit("subkey", "signed by a subkey");
        Sign(once, unknown, unknown.KeyId);
        Sign(twice, trusted, trusted.KeyId);
        Sign(twice, unknown, unknown.KeyId);
        // gpg signs with the newest signing subkey from now on
        trusted.AddSubkey("ed25519", "sign", "2031-03-04");
        Sign(bySubkey, trusted, trusted.KeyId);

        // no keyring at all: every signature is from an unknown key
        Assert.Contains("Can't check signature: public key not found", Both(["show", "--repo=" + _repo, "once"]).Stdout);
        OstreeOracle.RunOk("remote", "add", "--repo=" + _repo, "--gpg-import=" + Export(trusted, "trusted.gpg"), "trusted", "http://127.0.0.1:9/repo");
        OstreeOracle.RunOk("remote", "add", "--repo=" + _repo, "--no-gpg-verify", "plain", "http://127.0.0.1:9/repo");

        Assert.DoesNotContain("Found", Both(["show", "--repo=" + _repo, "unsigned"]).Stdout);
        Both(["show", "--repo=" + _repo, unsigned]);
        var shown = Both(["show", "--repo=" + _repo, "twice"]).Stdout;
        Assert.Contains("Found 2 signatures:\n\n  Signature made ", shown);
        Assert.Contains($"  Good signature from \"Trusted Signer <Signer@Example.com>\"\n\n  Signature made ", shown);
        Assert.Contains($"using RSA key ID {unknown.KeyId}\n  Can't check signature: public key not found\n", shown);
        shown = Both(["show", "--repo=" + _repo, bySubkey]).Stdout;
        Assert.Contains($"  Primary key ID {trusted.KeyId}\n  Key expires Tue Mar \u20074 ", shown);
        Both(["show", "--repo=" + _repo, "subkey"], tz: "America/Los_Angeles", locale: "C");
        Both(["show", "--repo=" + _repo, "--raw", "twice"]);
        Both(["log", "--repo=" + _repo, "twice"]);

        // a remote's own keyring only; a remote without one, or unknown
        Both(["show", "--repo=" + _repo, "--gpg-verify-remote=trusted", "twice"]);
        Assert.Contains("Can't check signature", Both(["show", "--repo=" + _repo, "--gpg-verify-remote=plain", "twice"]).Stdout);
        Assert.Equal(1, Both(["show", "--repo=" + _repo, "--gpg-verify-remote=nope", "twice"]).ExitCode);
        Assert.Equal(0, Both(["show", "--repo=" + _repo, "--gpg-verify-remote=nope", "unsigned"]).ExitCode);

        // --gpg-homedir adds the *.gpg keyrings of a directory (not a GnuPG home's pubring.kbx)
        var homedir = _tmp.Combine("homedir");
        Directory.CreateDirectory(homedir);
        File.WriteAllBytes(Path.Combine(homedir, "unknown.gpg"), unknown.ExportPublicKey());
        Assert.Contains("Good signature from \"Unknown Signer <unknown@example.com>\"", Both(["show", "--repo=" + _repo, "--gpg-homedir=" + homedir, "twice"]).Stdout);
        var kbxHome = _tmp.Combine("kbx-home");
        Directory.CreateDirectory(kbxHome);
        File.Copy(Path.Combine(unknown.Path, "pubring.kbx"), Path.Combine(kbxHome, "pubring.kbx"));
        Assert.Contains("Can't check signature", Both(["show", "--repo=" + _repo, "--gpg-homedir=" + kbxHome, "once"]).Stdout);
        Assert.Equal(1, Both(["show", "--repo=" + _repo, "--gpg-homedir=" + _tmp.Combine("missing"), "twice"]).ExitCode);
        Assert.Equal(1, Both(["show", "--repo=" + _repo, "--gpg-homedir=" + Path.Combine(homedir, "unknown.gpg"), "twice"]).ExitCode);

        // the global keyrings ($OSTREE_GPG_HOME) count too
        File.WriteAllBytes(Path.Combine(_globalKeys, "unknown.gpg"), unknown.ExportPublicKey());
        Assert.DoesNotContain("Can't check", Both(["show", "--repo=" + _repo, "twice"]).Stdout);
    }

    [Fact]
    public void ExpiredRevokedAndExpiringSignaturesAreDescribedAsOstreeDoes()
    {
        var old = Home("Old Key", "old@example.com", "ed25519", "2021-01-01", "20200101T000000");
        old.Configure("faked-system-time 20200601T000000");
        var expiring = Home("Expiring Signature", "sigexp@example.com");
        expiring.Configure("default-sig-expire 2031-02-03");
        var revoked = Home("Revoked Key", "revoked@example.com");
        var commit = Commit("main", "three signatures");
        Sign(commit, old, old.KeyId);
        Sign(commit, expiring, expiring.KeyId);
        Sign(commit, revoked, revoked.KeyId);
        revoked.Revoke();
        var keys = _tmp.Combine("keys.gpg");
        File.WriteAllBytes(keys, [.. old.ExportPublicKey(), .. expiring.ExportPublicKey(), .. revoked.ExportPublicKey()]);
        OstreeOracle.RunOk("remote", "add", "--repo=" + _repo, "--gpg-import=" + keys, "origin", "http://127.0.0.1:9/repo");

        var shown = Both(["show", "--repo=" + _repo, "main"]).Stdout;
        Assert.Contains("  BAD signature from \"Old Key <old@example.com>\"\n  Key expired ", shown);
        Assert.Contains("  Good signature from \"Expiring Signature <sigexp@example.com>\"\n  Signature expires Mon Feb \u20073 ", shown);
        Assert.Contains($"using EdDSA key ID {revoked.KeyId}\n  Key revoked\n", shown);
        Both(["show", "--repo=" + _repo, "main"], tz: "UTC", locale: "C");
    }

    [Fact]
    public void RemoteSummaryPrintsSignaturesAsOstreeDoes()
    {
        var trusted = Home("Summary Signer", "summary@example.com", "ed25519", "2031-03-04");
        var unknown = Home("Unknown Signer", "unknown@example.com");
        Commit("main", "summarised");
        // both secret keys in one home, so that one summary -u signs twice
        var secret = _tmp.Combine("unknown-secret.gpg");
        unknown.Gpg("--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--output", secret, "--export-secret-keys", unknown.Fingerprint);
        trusted.Gpg("--batch", "--import", secret);
        OstreeOracle.RunOk("summary", "-u", "--repo=" + _repo, "--gpg-sign=" + trusted.KeyId, "--gpg-sign=" + unknown.KeyId, "--gpg-homedir=" + trusted.Path);
        var client = _tmp.Combine("client");
        OstreeOracle.RunOk("init", "--repo=" + client, "--mode=archive");
        var key = Export(trusted, "summary-key.gpg");
        OstreeOracle.RunOk("remote", "add", "--repo=" + client, "--gpg-import=" + key, "--set=gpg-verify-summary=true", "verified", "file://" + _repo);
        OstreeOracle.RunOk("remote", "add", "--repo=" + client, "--gpg-import=" + key, "unverified", "file://" + _repo);

        var shown = Both(["remote", "summary", "--repo=" + client, "verified"]).Stdout;
        Assert.Contains("\n\nGPG: Verification enabled, found 2 signatures:\n\n  Signature made ", shown);
        Assert.Contains("  Good signature from \"Summary Signer <summary@example.com>\"\n  Key expires Tue Mar \u20074 ", shown);
        Assert.DoesNotContain("GPG:", Both(["remote", "summary", "--repo=" + client, "--raw", "verified"]).Stdout);
        Assert.DoesNotContain("GPG:", Both(["remote", "summary", "--repo=" + client, "unverified"]).Stdout);
    }

    [Fact]
    public void GpgListKeysPrintsKeysAsOstreeDoes()
    {
        var rich = Home("Rich Key (with a comment)", "Rich.Key@Example.COM", "rsa2048", "2031-05-06");
        rich.AddUserId("Second Name <second+tag@example.org>");
        rich.AddUserId("no address here");
        rich.AddSubkey("ed25519", "sign", "2032-07-08");
        rich.AddSubkey("cv25519", "encr", "never");
        var revoked = Home("Revoked Key", "revoked@example.com");
        revoked.Revoke();
        var old = Home("Old Key", "old@example.com", "ed25519", "2021-01-01", "20200101T000000");
        var richFile = Export(rich, "rich.gpg");
        var others = _tmp.Combine("others.gpg");
        File.WriteAllBytes(others, [.. revoked.ExportPublicKey(), .. old.ExportPublicKey()]);

        // a keyring ostree wrote (remote add --gpg-import) and ones arbor wrote (add --gpg-import, gpg-import)
        OstreeOracle.RunOk("remote", "add", "--repo=" + _repo, "--gpg-import=" + richFile, "by-ostree", "http://127.0.0.1:9/repo");
        ArborProcess.Run(["remote", "add", "--repo=" + _repo, "--gpg-import=" + richFile, "by-arbor", "http://127.0.0.1:9/repo"]);
        ArborProcess.Run(["remote", "add", "--repo=" + _repo, "imported", "http://127.0.0.1:9/repo"]);
        Assert.Equal(0, ArborProcess.Run(["remote", "gpg-import", "--repo=" + _repo, "imported", "-k", others]).ExitCode);
        ArborProcess.Run(["remote", "add", "--repo=" + _repo, "--no-gpg-verify", "keyless", "http://127.0.0.1:9/repo"]);

        var listed = Both(["remote", "gpg-list-keys", "--repo=" + _repo, "by-ostree"]).Stdout;
        Assert.StartsWith($"Key: {rich.Fingerprint}\n  Created: ", listed);
        Assert.Contains("  UID: Rich Key (with a comment) <Rich.Key@Example.COM>\n  Advanced update URL: https://openpgpkey.example.com/.well-known/openpgpkey/example.com/hu/", listed);
        Assert.Contains("  UID: no address here\n  Advanced update URL: \n  Direct update URL: \n", listed);
        Assert.Equal(listed, Both(["remote", "gpg-list-keys", "--repo=" + _repo, "by-arbor"]).Stdout);
        Both(["remote", "gpg-list-keys", "--repo=" + _repo, "by-arbor"], tz: "Pacific/Chatham", locale: "C");
        listed = Both(["remote", "gpg-list-keys", "--repo=" + _repo, "imported"]).Stdout;
        Assert.Contains($"Key: {revoked.Fingerprint} (revoked)\n", listed);
        Assert.Contains("  Expired: ", listed);

        // no name: the global keyrings alone; a remote without a keyring lists nothing
        Assert.Equal("", Both(["remote", "gpg-list-keys", "--repo=" + _repo]).Stdout);
        Assert.Equal("", Both(["remote", "gpg-list-keys", "--repo=" + _repo, "keyless"]).Stdout);
        File.Copy(others, Path.Combine(_globalKeys, "others.gpg"));
        Assert.Contains("Old Key", Both(["remote", "gpg-list-keys", "--repo=" + _repo]).Stdout);
        Assert.Equal("", Both(["remote", "gpg-list-keys", "--repo=" + _repo, "keyless"]).Stdout);
        Assert.Equal(1, Both(["remote", "gpg-list-keys", "--repo=" + _repo, "nope"]).ExitCode);
    }
}
