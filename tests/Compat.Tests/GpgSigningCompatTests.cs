using Arbor.Repo.Objects;
using Arbor.Repo.Signing;
using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// GPG signatures made by arbor (<c>commit --gpg-sign</c>, <c>gpg-sign</c>, <c>summary --gpg-sign</c>)
/// are accepted by the real ostree, and ostree's by arbor's verifier; both store them the same way.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class GpgSigningCompatTests : IDisposable
{
    private const string Timestamp = "--timestamp=2021-06-01T12:00:00Z";
    private readonly TempDirectory _tmp = new("gpg-sign-compat");
    private readonly GpgHome _gpg;
    private readonly GpgHome _other;
    private readonly string _tree;
    private readonly string _keyring;

    public GpgSigningCompatTests()
    {
        OstreeOracle.Require();
        _gpg = new GpgHome(_tmp.Combine("gpg"));
        _other = new GpgHome(_tmp.Combine("gpg2"), "Other Signer", "other@example.com");
        _tree = _tmp.Combine("tree");
        Directory.CreateDirectory(Path.Combine(_tree, "usr"));
        File.WriteAllText(Path.Combine(_tree, "usr", "file"), "signed content\n");
        _keyring = _tmp.Combine("keys.gpg");
        File.WriteAllBytes(_keyring, [.. _gpg.ExportPublicKey(), .. _other.ExportPublicKey()]);
    }

    public void Dispose()
    {
        _gpg.Dispose();
        _other.Dispose();
        _tmp.Dispose();
    }

    private string Repo(string name, Func<string[], string> run)
    {
        var repo = _tmp.Combine(name);
        run(["init", "--repo=" + repo, "--mode=archive"]);
        run(["remote", "add", "--repo=" + repo, "--gpg-import=" + _keyring, "signed", "http://127.0.0.1:9/repo"]);
        return repo;
    }

    private static string Ostree(string[] args) => OstreeOracle.RunOk(args);
    private static string Arbor(string[] args) => CliRunner.RunOk(args);

    [Fact]
    public void ArborSignedCommitsVerifyInOstree()
    {
        var repo = Repo("arbor", Arbor);
        var commit = Arbor(["commit", "--repo=" + repo, Timestamp, "-b", "main", "--gpg-sign=" + _gpg.KeyId, "--gpg-homedir=" + _gpg.Path, _tree]).Trim();
        Arbor(["gpg-sign", "--repo=" + repo, "--gpg-homedir=" + _other.Path, "main", _other.Fingerprint]);

        var shown = Ostree(["show", "--repo=" + repo, "--gpg-verify-remote=signed", commit]);
        Assert.Contains("Found 2 signatures:", shown);
        Assert.Contains($"using EdDSA key ID {_gpg.KeyId}\n  Good signature from \"Arbor Test <test@example.com>\"", shown);
        Assert.Contains($"using EdDSA key ID {_other.KeyId}\n  Good signature from \"Other Signer <other@example.com>\"", shown);

        // a pull with gpg-verify accepts the commit
        var client = Repo("client", Ostree);
        Ostree(["pull-local", "--repo=" + client, "--remote=signed", "--gpg-verify", repo, "main"]);
        Assert.Equal(commit, Ostree(["rev-parse", "--repo=" + client, "main"]).Trim());
    }

    [Fact]
    public void OstreeSignedCommitsVerifyInArbor()
    {
        var repo = Repo("ostree", Ostree);
        var commit = Ostree(["commit", "--repo=" + repo, Timestamp, "-b", "main", "--gpg-sign=" + _gpg.KeyId, "--gpg-homedir=" + _gpg.Path, _tree]).Trim();
        var shown = Ostree(["show", "--repo=" + repo, "--gpg-verify-remote=signed", commit]);
        Assert.Contains("Good signature from \"Arbor Test <test@example.com>\"", shown);

        var client = Repo("client", Arbor);
        Arbor(["pull-local", "--repo=" + client, "--remote=signed", "--gpg-verify", repo, "main"]);
        Assert.Equal(commit, Arbor(["rev-parse", "--repo=" + client, "main"]).Trim());
    }

    [Fact]
    public void CommitSignaturesAreStoredAsOstreeStoresThem()
    {
        // the same commit in both repositories, signed by each tool: the signatures differ (time),
        // the detached metadata's shape does not; and deleting gives the same result
        var o = Repo("ostree", Ostree);
        var a = Repo("arbor", Arbor);
        var commit = Ostree(["commit", "--repo=" + o, Timestamp, "-b", "main", "--add-detached-metadata-string=k=v", _tree]).Trim();
        Assert.Equal(commit, Arbor(["commit", "--repo=" + a, Timestamp, "-b", "main", "--add-detached-metadata-string=k=v", _tree]).Trim());
        foreach (var (run, repo) in new[] { ((Func<string[], string>)Ostree, o), (Arbor, a) })
        {
            run(["gpg-sign", "--repo=" + repo, "--gpg-homedir=" + _gpg.Path, "main", _gpg.KeyId]);
            run(["gpg-sign", "--repo=" + repo, "--gpg-homedir=" + _other.Path, "main", _other.KeyId]);
        }
        var oMeta = CommitMeta(o, commit);
        var aMeta = CommitMeta(a, commit);
        Assert.Equal(oMeta.Entries.Select(e => (e.Key, e.Value.Type.Signature)), aMeta.Entries.Select(e => (e.Key, e.Value.Type.Signature)));
        Assert.Equal(
            SignatureMetadata.Get(oMeta, SignatureMetadata.GpgKey).Select(s => GpgVerifier.IssuerKeyIds(s)[0]),
            SignatureMetadata.Get(aMeta, SignatureMetadata.GpgKey).Select(s => GpgVerifier.IssuerKeyIds(s)[0]));

        // --delete: a short key ID and a fingerprint name one signature each
        var od = OstreeOracle.Run("gpg-sign", "--repo=" + o, "--delete", "main", _gpg.KeyId[^8..], _other.Fingerprint);
        var ad = CliRunner.Run("gpg-sign", "--repo=" + a, "--delete", "main", _gpg.KeyId[^8..], _other.Fingerprint);
        Assert.Equal("Signatures deleted: 2\n", od.Stdout);
        Assert.Equal((od.ExitCode, od.Stdout), (ad.ExitCode, ad.Stdout));
        Assert.Equal(File.ReadAllBytes(CommitMetaPath(o, commit)), File.ReadAllBytes(CommitMetaPath(a, commit)));

        // usage errors and an unknown key
        foreach (var args in new[] { new[] { "gpg-sign" }, ["gpg-sign", "main"] })
        {
            var ro = OstreeOracle.Run([.. args, "--repo=" + o]);
            var ra = CliRunner.Run([.. args, "--repo=" + a]);
            Assert.Equal((1, ro.Stderr.Split('\n')[^2]), (ra.ExitCode, ra.Stderr.TrimEnd('\n')));
        }
        var unknown = CliRunner.Run("gpg-sign", "--repo=" + a, "--gpg-homedir=" + _gpg.Path, "main", "0123456789ABCDEF");
        Assert.Equal($"error: No gpg key found with ID 0123456789ABCDEF (homedir: {_gpg.Path})\n", unknown.Stderr);
    }

    [Fact]
    public void DeletingTheOnlySignatureLeavesAnEmptyFileAsOstreeDoes()
    {
        // ostree_repo_write_commit_detached_metadata writes an empty dictionary as an empty file:
        // a pull then replaces the puller's copy (test-commit-sign.sh "pull sig deleted")
        foreach (var (name, run) in new[] { ("ostree", (Func<string[], string>)Ostree), ("arbor", Arbor) })
        {
            var repo = Repo(name, run);
            var commit = run(["commit", "--repo=" + repo, Timestamp, "-b", "main", "--gpg-sign=" + _gpg.KeyId, "--gpg-homedir=" + _gpg.Path, _tree]).Trim();
            Assert.Equal("Signatures deleted: 1\n", run(["gpg-sign", "--repo=" + repo, "--delete", "main", _gpg.KeyId]));
            Assert.Equal(0, new FileInfo(CommitMetaPath(repo, commit)).Length);
        }
    }

    [Fact]
    public void SignedSummariesWithMetadataVerifyBothWays()
    {
        var a = Repo("arbor", Arbor);
        var o = Repo("ostree", Ostree);
        Arbor(["commit", "--repo=" + a, Timestamp, "-b", "main", _tree]);
        Ostree(["commit", "--repo=" + o, Timestamp, "-b", "main", _tree]);
        string[] summaryArgs = ["summary", "-u", "-m", "foo=uint32 42", "--add-metadata=bar='x'", "--gpg-sign=" + _gpg.KeyId, "--gpg-homedir=" + _gpg.Path];
        Arbor([.. summaryArgs, "--repo=" + a]);
        Ostree([.. summaryArgs, "--repo=" + o]);

        // the same summary (but for its generation time), and ostree reads arbor's
        static string WithoutTime(string view) => string.Join('\n', view.Split('\n').Where(l => !l.StartsWith("Last-Modified", StringComparison.Ordinal)));
        var oView = Ostree(["summary", "--view", "--repo=" + o]);
        Assert.Contains("\nfoo: 42\n", oView);
        Assert.Contains("\nbar: 'x'\n", oView);
        Assert.Equal(WithoutTime(oView), WithoutTime(Ostree(["summary", "--view", "--repo=" + a])));

        // ostree verifies arbor's summary.sig ...
        var client = Repo("client", Ostree);
        Ostree(["remote", "add", "--repo=" + client, "--gpg-import=" + _keyring, "--set=gpg-verify-summary=true", "arbor", "file://" + a]);
        var remoteSummary = Ostree(["remote", "summary", "--repo=" + client, "arbor"]);
        Assert.Contains("GPG: Verification enabled, found 1 signature:", remoteSummary);
        Assert.Contains("Good signature from \"Arbor Test <test@example.com>\"", remoteSummary);

        // ... and arbor's verifier ostree's
        var verifier = new GpgVerifier();
        verifier.AddKeyring(File.ReadAllBytes(_keyring));
        var sigs = SignatureMetadata.Get(VariantDictionary.Parse(File.ReadAllBytes(Path.Combine(o, "summary.sig"))), SignatureMetadata.GpgKey);
        var results = verifier.Verify(File.ReadAllBytes(Path.Combine(o, "summary")), sigs, DateTimeOffset.UtcNow);
        Assert.True(Assert.Single(results).Valid);
    }

    private static string CommitMetaPath(string repo, string commit) => Path.Combine(repo, "objects", commit[..2], commit[2..] + ".commitmeta");

    private static VariantDictionary CommitMeta(string repo, string commit) => VariantDictionary.Parse(File.ReadAllBytes(CommitMetaPath(repo, commit)));
}
