using Arbor.Repo.Signing;
using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands;

/// <summary><c>arbor sign</c> and <c>arbor summary --sign</c> with Ed25519 keys in ostree's base64 forms.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SignCommandTests : IDisposable
{
    private readonly TempDirectory _tmp = new("cli-sign");
    private readonly string _repo;
    private readonly string _commit;

    public SignCommandTests()
    {
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree, smallFiles: 2);
        _repo = _tmp.Combine("repo");
        _commit = RepoBuilders.OstreeCommit(_repo, tree, "main", updateSummary: false);
    }

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void SignThenVerifyWithThePublicKeyThenDelete()
    {
        var (sk, pk) = Ed25519Keys.Generate();
        var (_, other) = Ed25519Keys.Generate();
        var hex = Convert.ToHexStringLower(Convert.FromBase64String(pk));

        Assert.Equal("", CliRunner.RunOk("sign", $"--repo={_repo}", "main", sk));
        Assert.Equal($"ed25519: Signature verified successfully with key '{hex}'\n", CliRunner.RunOk("sign", $"--repo={_repo}", "--verify", "main", pk));
        var wrong = CliRunner.Run("sign", $"--repo={_repo}", "--verify", "main", other);
        Assert.Equal((1, "error: No valid signatures found\n"), (wrong.ExitCode, wrong.Stderr));
        // the detached metadata is printed by the real ostree as the aay ostree writes
        Assert.Contains("'ostree.sign.ed25519': <[[byte ", OstreeOracle.RunOk("show", $"--repo={_repo}", "--print-detached-metadata-key=ostree.sign.ed25519", "main").Insert(0, "'ostree.sign.ed25519': <"));

        CliRunner.RunOk("sign", $"--repo={_repo}", "-d", "main", pk);
        Assert.NotEqual(0, CliRunner.Run("sign", $"--repo={_repo}", "--verify", "main", pk).ExitCode);
    }

    [Fact]
    public void KeysFileSignsWithEveryKeyAndVerifiesWithAnyListedKey()
    {
        var (sk1, pk1) = Ed25519Keys.Generate();
        var (sk2, pk2) = Ed25519Keys.Generate();
        File.WriteAllText(_tmp.Combine("secret"), sk1 + "\n" + sk2 + "\n");
        File.WriteAllText(_tmp.Combine("public"), pk2 + "\n");

        CliRunner.RunOk("sign", $"--repo={_repo}", "--keys-file", _tmp.Combine("secret"), "main");

        Assert.StartsWith("ed25519: Signature verified successfully", CliRunner.RunOk("sign", $"--repo={_repo}", "--verify", "--keys-file", _tmp.Combine("public"), "main"));
        var repo = Arbor.Repo.Store.Repository.Open(_repo);
        Assert.Equal(2, SignatureMetadata.Get(repo.LoadDetachedMetadata(Arbor.Repo.Core.Checksum.Parse(_commit)), SignatureMetadata.Ed25519Key).Count);
        _ = pk1;
    }

    [Fact]
    public void CorruptDetachedMetadataIsNamedInTheError()
    {
        var (_, pk) = Ed25519Keys.Generate();
        File.WriteAllText(Path.Join(_repo, "objects", _commit[..2], _commit[2..] + ".commitmeta"), "garbage!");
        var r = CliRunner.Run("sign", $"--repo={_repo}", "--verify", "main", pk);
        // was the bare "Framing offset out of bounds", with nothing saying which object
        Assert.Equal((1, $"error: Invalid detached metadata of commit {_commit}: Framing offset out of bounds\n"), (r.ExitCode, r.Stderr));
    }

    [Fact]
    public void UsageErrors()
    {
        Assert.Equal("error: Need a COMMIT to sign or verify\n", CliRunner.Run("sign", $"--repo={_repo}").Stderr);
        Assert.Equal("error: Need at least one KEY-ID to sign with\n", CliRunner.Run("sign", $"--repo={_repo}", "main").Stderr);
        Assert.Equal("error: Incorrect ed25519 secret key\n", CliRunner.Run("sign", $"--repo={_repo}", "main", "not-base64!").Stderr);
        Assert.Equal("error: Requested signature type is not implemented\n", CliRunner.Run("sign", $"--repo={_repo}", "-s", "rsa", "main", "x").Stderr);
    }

    [Fact]
    public void SummaryUpdateWithSignWritesASummarySig()
    {
        var (sk, pk) = Ed25519Keys.Generate();
        CliRunner.RunOk("summary", "-u", $"--repo={_repo}", $"--sign={sk}");

        var sig = Arbor.Repo.Objects.VariantDictionary.Parse(File.ReadAllBytes(Path.Combine(_repo, "summary.sig")));
        var signature = Assert.Single(SignatureMetadata.Get(sig, SignatureMetadata.Ed25519Key));
        new Ed25519Verifier([Ed25519Keys.ParsePublicKey(pk)]).Verify(File.ReadAllBytes(Path.Combine(_repo, "summary")), [signature]);
        Assert.Equal("error: No option specified; use -u to update summary\n", CliRunner.Run("summary", $"--repo={_repo}").Stderr);
    }
}
