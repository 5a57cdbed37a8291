using Arbor.Repo.Core;
using Arbor.Repo.Remotes;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Remotes;

/// <summary>Remotes in the repo config and in a sysroot's <c>etc/ostree/remotes.d</c>.</summary>
public sealed class RemoteStoreTests : IDisposable
{
    private readonly TempDirectory _tmp = new("remotes");

    public void Dispose() => _tmp.Dispose();

    private (Repository Repo, string Sysroot) Sysroot()
    {
        var sysroot = _tmp.Combine("sysroot");
        var repo = Repository.Create(Path.Combine(sysroot, "ostree/repo"), RepoMode.Bare);
        Directory.CreateDirectory(Path.Combine(sysroot, "etc/ostree/remotes.d"));
        return (repo, sysroot);
    }

    [Fact]
    public void RemotesFromRemotesDAreReadAlongsideTheConfig()
    {
        var (repo, sysroot) = Sysroot();
        File.WriteAllText(Path.Combine(sysroot, "etc/ostree/remotes.d/os.conf"), "[remote \"os\"]\nurl=https://updates.example.com/repo\ngpg-verify=false\nbranches=os/stable;os/beta;\n");
        File.WriteAllText(Path.Combine(sysroot, "etc/ostree/remotes.d/ignored.txt"), "[remote \"nope\"]\nurl=http://x\n");
        new RemoteStore(repo, null).Add("local", "http://local/repo", []);

        var store = RemoteStore.ForSysroot(repo, sysroot);

        Assert.Equal(["local", "os"], store.ListNames());
        var os = store.Get("os");
        Assert.Equal("https://updates.example.com/repo", os.Url);
        Assert.False(os.GpgVerify);
        Assert.Equal(["os/stable", "os/beta"], os.Branches);
        Assert.Equal(Path.Combine(sysroot, "etc/ostree/remotes.d/os.conf"), os.SourceFile);
        // a repository opened on its own does not see the sysroot's remotes
        Assert.Equal(["local"], RemoteStore.For(repo).ListNames());
    }

    [Fact]
    public void RemotesAndKeyringsOfTheParentRepositoryAreFoundButNotChanged()
    {
        // test-parent.sh: a repository with core.parent pulls from its parent's remote, with the parent's keyring
        var parent = Repository.Create(_tmp.Combine("parent"), RepoMode.Archive);
        RemoteStore.For(parent).Add("aremote", "file:///srv/repo", [RemoteOption.Boolean("gpg-verify", true)]);
        File.WriteAllBytes(parent.FullPath("aremote.trustedkeys.gpg"), [1]);
        var child = Repository.Create(_tmp.Combine("child"), RepoMode.BareUser);
        child.Config.KeyFile.SetString(RepoConfig.CoreGroup, "parent", parent.Path);
        child.Config.Save();
        var store = RemoteStore.For(child);

        Assert.Equal("file:///srv/repo", store.Get("aremote").Url);
        Assert.Equal(parent.FullPath("aremote.trustedkeys.gpg"), store.FindKeyring("aremote"));
        Assert.Equal("Remote \"nope\" not found", Assert.Throws<RepoException>(() => store.Get("nope")).Message);
        // add and delete look at the repository's own remotes only, as ostree's do
        Assert.True(store.Add("aremote", "http://child/repo", []));
        Assert.Equal("http://child/repo", store.Get("aremote").Url);
        Assert.True(store.Delete("aremote"));
        Assert.Equal("file:///srv/repo", store.Get("aremote").Url);
        Assert.Throws<RepoException>(() => store.Delete("aremote"));
    }

    [Fact]
    public void NewRemotesOfASysrootGoToRemotesDUnlessTheRepoSaysOtherwise()
    {
        var (repo, sysroot) = Sysroot();
        var store = RemoteStore.ForSysroot(repo, sysroot);

        store.Add("os", "https://example.com/repo", [RemoteOption.Boolean("gpg-verify", false)]);

        Assert.Equal("[remote \"os\"]\nurl=https://example.com/repo\ngpg-verify=false\n",
            File.ReadAllText(Path.Combine(sysroot, "etc/ostree/remotes.d/os.conf")));
        Assert.DoesNotContain("remote", File.ReadAllText(repo.Config.Path));
        Assert.True(store.Delete("os"));
        Assert.False(File.Exists(Path.Combine(sysroot, "etc/ostree/remotes.d/os.conf")));

        repo.Config.KeyFile.SetBoolean("core", "add-remotes-config-dir", false);
        repo.Config.Save();
        store.Add("cfg", "https://example.com/repo", []);
        Assert.Contains("[remote \"cfg\"]", File.ReadAllText(repo.Config.Path));
    }

    [Fact]
    public void ARemoteDefinedTwiceIsAnError()
    {
        var (repo, sysroot) = Sysroot();
        new RemoteStore(repo, null).Add("os", "http://a", []);
        File.WriteAllText(Path.Combine(sysroot, "etc/ostree/remotes.d/os.conf"), "[remote \"os\"]\nurl=http://b\n");
        var e = Assert.Throws<RepoException>(() => RemoteStore.ForSysroot(repo, sysroot).ListNames());
        Assert.Equal("Multiple specifications found for remote \"os\"", e.Message);
    }

    [Fact]
    public void SignVerifySettingsAreTyped()
    {
        var repo = Repository.Create(_tmp.Combine("repo"), RepoMode.Archive);
        var store = new RemoteStore(repo, null);
        store.Add("a", "http://a", [RemoteOption.String("sign-verify", "true"), RemoteOption.String("verification-ed25519-key", "AAAA")]);
        store.Add("b", "http://b", [RemoteOption.Boolean("sign-verify", false)]);
        store.Add("c", "http://c", [RemoteOption.String("sign-verify", "rsa")]);
        Assert.Equal(["ed25519"], store.Get("a").SignVerify);
        Assert.Equal("AAAA", store.Get("a").VerificationKey("ed25519"));
        Assert.Null(store.Get("b").SignVerify);
        Assert.True(store.Get("b").GpgVerify);
        Assert.Equal("Requested signature type is not implemented: rsa", Assert.Throws<RepoException>(() => store.Get("c").SignVerify).Message);
    }
}
