using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary><c>remote add|delete --sysroot=S</c> on a sysroot that is not the running system: both tools keep the remote in the repository's config.</summary>
public sealed class RemoteSysrootCompatTests : IDisposable
{
    private readonly TempDirectory _tmp = new("remote-sysroot");

    public RemoteSysrootCompatTests() => OstreeOracle.Require();

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void ARemoteAddedToANonBootedSysrootGoesToTheRepoConfigAsInOstree()
    {
        string o = _tmp.Combine("o"), a = _tmp.Combine("a");
        Directory.CreateDirectory(o);
        Directory.CreateDirectory(a);
        OstreeOracle.RunOk("admin", "init-fs", o);
        OstreeOracle.RunOk("admin", "init-fs", a);
        OstreeOracle.RunOk("remote", "add", $"--sysroot={o}", "--no-gpg-verify", "os", "http://example.com/repo", "os/stable");
        CliRunner.RunOk("remote", "add", $"--sysroot={a}", "--no-gpg-verify", "os", "http://example.com/repo", "os/stable");

        Assert.Equal(File.ReadAllText(Path.Combine(o, "ostree/repo/config")), File.ReadAllText(Path.Combine(a, "ostree/repo/config")));
        Assert.False(Directory.Exists(Path.Combine(a, "etc/ostree/remotes.d")) && Directory.EnumerateFileSystemEntries(Path.Combine(a, "etc/ostree/remotes.d")).Any());
        // each tool sees the other's remote
        Assert.Equal("os\n", OstreeOracle.RunOk("remote", "list", $"--repo={a}/ostree/repo"));
        Assert.Equal("os\n", CliRunner.RunOk("remote", "list", $"--repo={o}/ostree/repo"));

        OstreeOracle.RunOk("remote", "delete", $"--sysroot={o}", "os");
        CliRunner.RunOk("remote", "delete", $"--sysroot={a}", "os");
        Assert.Equal(File.ReadAllText(Path.Combine(o, "ostree/repo/config")), File.ReadAllText(Path.Combine(a, "ostree/repo/config")));
    }
}
