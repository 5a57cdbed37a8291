using Arbor.Repo.Signing;
using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands.Remote;

/// <summary>The parts of <c>remote add</c> the Debian ostree cannot run (it has no libsodium) and gpg-import.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RemoteAddCommandTests : IDisposable
{
    private readonly TempDirectory _tmp = new("cli-remote");
    private readonly string _repo;

    public RemoteAddCommandTests()
    {
        _repo = _tmp.Combine("repo");
        CliRunner.RunOk("init", $"--repo={_repo}", "--mode=archive");
    }

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void SignVerifyOptionsAreWrittenAsOstreeWritesThem()
    {
        var (_, pk) = Ed25519Keys.Generate();
        CliRunner.RunOk("remote", "add", $"--repo={_repo}", "a", "http://example.com/a", $"--sign-verify=ed25519=inline:{pk}", "--sign-verify=ed25519=file:/etc/keys");

        Assert.EndsWith($"[remote \"a\"]\nurl=http://example.com/a\nverification-ed25519-key={pk}\nverification-ed25519-file=/etc/keys\nsign-verify=ed25519,ed25519\n",
            File.ReadAllText(Path.Combine(_repo, "config")));
        Assert.Equal("error: Invalid key reference bogus, expected inline|file\n",
            CliRunner.Run("remote", "add", $"--repo={_repo}", "b", "http://x", "--sign-verify=ed25519=bogus:x").Stderr);
        // every engine ostree has, the dummy one included (test-signed-pull.sh); others are refused
        CliRunner.RunOk("remote", "add", $"--repo={_repo}", "d", "http://x", "--sign-verify=dummy=inline:k");
        Assert.EndsWith("[remote \"d\"]\nurl=http://x\nverification-dummy-key=k\nsign-verify=dummy\n", File.ReadAllText(Path.Combine(_repo, "config")));
        Assert.Equal("error: Requested signature type is not implemented\n",
            CliRunner.Run("remote", "add", $"--repo={_repo}", "b", "http://x", "--sign-verify=trustme=inline:ok").Stderr);
        Assert.Equal("error: Cannot specify both --sign-verify and --no-sign-verify\n",
            CliRunner.Run("remote", "add", $"--repo={_repo}", "b", "http://x", "--sign-verify=ed25519=inline:x", "--no-sign-verify").Stderr);
    }

    [Fact]
    public void GpgImportWritesTheRemoteKeyring()
    {
        using var gpg = new GpgHome(_tmp.Path);
        var key = _tmp.Combine("key.gpg");
        File.WriteAllBytes(key, gpg.ExportPublicKey());

        var r = CliRunner.RunOk("remote", "add", $"--repo={_repo}", $"--gpg-import={key}", "a", "http://example.com/a");
        Assert.Equal("Imported 1 GPG key to remote \"a\"\n", r);
        Assert.Equal("Imported 0 GPG keys to remote \"a\"\n", CliRunner.RunOk("remote", "gpg-import", $"--repo={_repo}", "-k", key, "a"));
        Assert.True(File.Exists(Path.Combine(_repo, "a.trustedkeys.gpg")));

        CliRunner.RunOk("remote", "delete", $"--repo={_repo}", "a");
        Assert.False(File.Exists(Path.Combine(_repo, "a.trustedkeys.gpg")));
    }

    [Fact]
    public void GpgImportUpdatesAKeyTheRemoteHas()
    {
        using var gpg = new GpgHome(_tmp.Path);
        var key = _tmp.Combine("key.gpg");
        File.WriteAllBytes(key, gpg.ExportPublicKey());
        CliRunner.RunOk("remote", "add", $"--repo={_repo}", $"--gpg-import={key}", "a", "http://example.com/a");
        gpg.Revoke();
        File.WriteAllBytes(key, gpg.ExportPublicKey());

        // as gpg's import: the revocation is merged into the stored key, which is not counted as imported
        Assert.Equal("Imported 0 GPG keys to remote \"a\"\n", CliRunner.RunOk("remote", "gpg-import", $"--repo={_repo}", "-k", key, "a"));
        Assert.StartsWith($"Key: {gpg.Fingerprint} (revoked)\n", CliRunner.RunOk("remote", "gpg-list-keys", $"--repo={_repo}", "a"));
    }
}
