using Arbor.Repo.Signing;
using Arbor.Repo.Summary;
using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands;

/// <summary>
/// <c>arbor static-delta generate --sign</c>, <c>verify</c> and <c>apply-offline KEY-ID</c> with
/// Ed25519 keys given inline, in a <c>--keys-file</c>, or as the trusted and revoked key files of
/// a <c>--keys-dir</c>; and the dummy engine refused without <c>OSTREE_DUMMY_SIGN_ENABLED=1</c>
/// (which this test process never sets).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StaticDeltaSignTests : IDisposable
{
    private readonly TempDirectory _tmp = new("cli-delta-sign");
    private readonly string _repo;
    private readonly string _commit;
    private readonly (string Secret, string Public) _key = Ed25519Keys.Generate();

    public StaticDeltaSignTests()
    {
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree, smallFiles: 2);
        _repo = _tmp.Combine("repo");
        _commit = RepoBuilders.OstreeCommit(_repo, tree, "main", updateSummary: false);
    }

    public void Dispose() => _tmp.Dispose();

    private string DeltaDir => Path.Combine(_repo, StaticDeltaNames.RelativeDirectory(null, Arbor.Repo.Core.Checksum.Parse(_commit)));

    private string KeysFile(string name, params string[] keys)
    {
        var path = _tmp.Combine(name);
        File.WriteAllLines(path, keys);
        return path;
    }

    [Fact]
    public void SignedWithAKeysFileVerifiesWithThePublicKeyInlineInAFileOrInAKeysDir()
    {
        CliRunner.RunOk("static-delta", "generate", $"--repo={_repo}", "--empty", $"--keys-file={KeysFile("secret", _key.Secret)}", "main");
        Assert.Contains("\nSigned: yes\n", CliRunner.RunOk("static-delta", "show", $"--repo={_repo}", _commit));
        Assert.Equal("Verification OK\n", CliRunner.RunOk("static-delta", "verify", $"--repo={_repo}", _commit, _key.Public));
        Assert.Equal("Verification OK\n", CliRunner.RunOk("static-delta", "verify", $"--repo={_repo}", $"--keys-file={KeysFile("public", _key.Public)}", _commit));

        var dir = _tmp.Combine("keys");
        Directory.CreateDirectory(Path.Combine(dir, "trusted.ed25519.d"));
        File.WriteAllText(Path.Combine(dir, "trusted.ed25519.d", "vendor"), _key.Public + "\n");
        Assert.Equal("Verification OK\n", CliRunner.RunOk("static-delta", "verify", $"--repo={_repo}", $"--keys-dir={dir}", _commit));
        // a revoked key no longer verifies
        File.WriteAllText(Path.Combine(dir, "revoked.ed25519"), _key.Public + "\n");
        var revoked = CliRunner.Run("static-delta", "verify", $"--repo={_repo}", $"--keys-dir={dir}", _commit);
        Assert.Equal((1, "Verification fails\n"), (revoked.ExitCode, revoked.Stdout));
        Assert.StartsWith("error: ed25519: ", revoked.Stderr);
    }

    [Fact]
    public void ApplyOfflineTakesTheKeyAndRefusesAnotherWithoutWriting()
    {
        CliRunner.RunOk("static-delta", "generate", $"--repo={_repo}", "--empty", $"--sign={_key.Secret}", "main");
        var (_, other) = Ed25519Keys.Generate();

        var refused = _tmp.Combine("refused");
        CliRunner.RunOk("init", $"--repo={refused}", "--mode=bare-user");
        var r = CliRunner.Run("static-delta", "apply-offline", $"--repo={refused}", DeltaDir, other);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: ed25519: Signature couldn't be verified with: key '", r.Stderr);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(refused, "objects"), "*", SearchOption.AllDirectories));

        var client = _tmp.Combine("client");
        CliRunner.RunOk("init", $"--repo={client}", "--mode=bare-user");
        CliRunner.RunOk("static-delta", "apply-offline", $"--repo={client}", DeltaDir, _key.Public);
        Assert.Equal(_commit + "\n", CliRunner.RunOk("rev-parse", $"--repo={client}", _commit));
        CliRunner.RunOk("fsck", $"--repo={client}");
    }

    [Fact]
    public void BadKeysFailBeforeAnyPartIsWritten()
    {
        var r = CliRunner.Run("static-delta", "generate", $"--repo={_repo}", "--empty", "--sign=not-a-key", "main");
        Assert.Equal((1, "error: Incorrect ed25519 secret key\n"), (r.ExitCode, r.Stderr));
        Assert.False(Directory.Exists(DeltaDir));

        r = CliRunner.Run("static-delta", "generate", $"--repo={_repo}", "--empty", "--sign-type=rsa", "--sign=x", "main");
        Assert.Equal((1, "error: Requested signature type is not implemented\n"), (r.ExitCode, r.Stderr));
        r = CliRunner.Run("static-delta", "verify", $"--repo={_repo}", "--sign-type=rsa", _commit, "x");
        Assert.Equal((1, "Sign-type not supported\n", "error: Requested signature type is not implemented\n"), (r.ExitCode, r.Stdout, r.Stderr));
    }

    [Fact]
    public void TheDummyEngineNeedsOstreesTestingSwitch()
    {
        Assert.NotEqual("1", Environment.GetEnvironmentVariable("OSTREE_DUMMY_SIGN_ENABLED"));
        var r = CliRunner.Run("static-delta", "generate", $"--repo={_repo}", "--empty", "--sign-type=dummy", "--sign=k", "main");
        Assert.Equal((1, "error: dummy signature type is only for ostree testing\n"), (r.ExitCode, r.Stderr));
        Assert.False(Directory.Exists(DeltaDir));
        r = CliRunner.Run("sign", $"--repo={_repo}", "-s", "dummy", "main", "k");
        Assert.Equal((1, "error: dummy signature type is only for ostree testing\n"), (r.ExitCode, r.Stderr));
    }
}
