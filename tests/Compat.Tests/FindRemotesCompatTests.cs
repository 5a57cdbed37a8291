using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// <c>find-remotes</c> against the real ostree 2022.7, byte for byte: remotes from the config (an
/// nginx-served repository with a collection ID) and from a USB stick (an ext4 image mounted under
/// /media in a private mount namespace) written by Arbor's <c>create-usb</c>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FindRemotesCompatTests : IDisposable
{
    private const string Os = "org.example.Os";
    private readonly TempDirectory _tmp = new("find-remotes");

    public void Dispose() => _tmp.Dispose();

    /// <summary>nginx serving www/repo (collection org.example.Os: os/main at v2 over v1, other), and a client with remote "origin".</summary>
    private (NginxServer Nginx, string Src, string Client, string V1, string V2) Setup()
    {
        var www = _tmp.Combine("www");
        var src = Path.Combine(www, "repo");
        Directory.CreateDirectory(www);
        OstreeOracle.RunOk("init", $"--repo={src}", "--mode=archive", $"--collection-id={Os}");
        var t1 = _tmp.Combine("t1");
        var t2 = _tmp.Combine("t2");
        SampleTree.Write(t1, 1);
        SampleTree.Write(t2, 2);
        var v1 = RepoBuilders.OstreeCommit(src, t1, "os/main", "v1", updateSummary: false);
        var v2 = RepoBuilders.OstreeCommit(src, t2, "os/main", "v2", updateSummary: false, timestamp: "2024-02-01T00:00:00Z");
        RepoBuilders.OstreeCommit(src, t1, "other", "other");
        var nginx = NginxServer.Start(www);
        var client = _tmp.Combine("client");
        OstreeOracle.RunOk("init", $"--repo={client}", "--mode=bare-user");
        OstreeOracle.RunOk("remote", "add", $"--repo={client}", "--no-gpg-verify", $"--collection-id={Os}", "origin", nginx.Url("repo"));
        return (nginx, src, client, v1, v2);
    }

    private static void AssertSameOutput(Func<string, CliResult> run)
    {
        var ostree = run("/usr/bin/ostree");
        var arbor = run(ArborProcess.Executable);
        Assert.True(ostree.ExitCode == 0, ostree.ToString());
        Assert.Equal(ostree.Stdout, arbor.Stdout);
        Assert.Equal(ostree.ExitCode, arbor.ExitCode);
    }

    [Fact]
    public void ConfigFinderPrintsWhatOstreePrints()
    {
        OstreeOracle.Require();
        var (nginx, _, client, _, v2) = Setup();
        using var _ = nginx;
        AssertSameOutput(tool => ProcessRunner.Run(tool, ["find-remotes", $"--repo={client}", "--finders=config", Os, "os/main", Os, "nope", Os, "other"]));
        var arbor = CliRunner.RunOk("find-remotes", $"--repo={client}", "--finders=config", Os, "os/main");
        Assert.Contains($"    - ({Os}, os/main) = {v2}\n", arbor);
        Assert.EndsWith("1/1 refs were found.\n", arbor);
        AssertSameOutput(tool => ProcessRunner.Run(tool, ["find-remotes", $"--repo={client}", "--finders=config", "org.example.Nothing", "main"]));
    }

    [Fact]
    public void MountFinderFindsTheUsbRepositoryArborWroteAsOstreeDoes()
    {
        OstreeOracle.Require();
        var (nginx, src, client, _, _) = Setup();
        using var _ = nginx;
        using var stick = new UsbStick(_tmp.Path);
        var made = stick.Run(ArborProcess.Executable, "create-usb", $"--repo={src}", stick.Inner, Os, "os/main", Os, "other");
        Assert.True(made.ExitCode == 0, made.ToString());
        string[] refs = [Os, "os/main", Os, "other", Os, "nope"];
        AssertSameOutput(tool => stick.Run(tool, ["find-remotes", $"--repo={client}", "--finders=mount", .. refs]));
        AssertSameOutput(tool => stick.Run(tool, ["find-remotes", $"--repo={client}", .. refs]));
        var arbor = stick.Run(ArborProcess.Executable, ["find-remotes", $"--repo={client}", "--finders=mount", .. refs]).Stdout;
        Assert.StartsWith($"Result 0: file://{stick.Inner}/.ostree/repo\n - Finder: OstreeRepoFinderMount\n - Keyring: origin.trustedkeys.gpg\n - Priority: 50\n", arbor);
    }

    [Fact]
    public void AnOutdatedStickIsDroppedInFavourOfTheNewerRemote()
    {
        OstreeOracle.Require();
        var (nginx, src, client, v1, v2) = Setup();
        using var _ = nginx;
        using var stick = new UsbStick(_tmp.Path);
        // the stick has os/main at v1 under a custom path (linked from .ostree/repos.d), and the current "other"
        Assert.Equal(0, stick.Run(ArborProcess.Executable, "create-usb", $"--repo={src}", $"--commit={v1}", "--destination-repo=old/repo", stick.Inner, Os, "os/main").ExitCode);
        Assert.Equal(0, stick.Run(ArborProcess.Executable, "create-usb", $"--repo={src}", stick.Inner, Os, "other").ExitCode);
        AssertSameOutput(tool => stick.Run(tool, ["find-remotes", $"--repo={client}", Os, "os/main", Os, "other"]));
        var arbor = stick.Run(ArborProcess.Executable, ["find-remotes", $"--repo={client}", Os, "os/main"]).Stdout;
        Assert.DoesNotContain(v1, arbor);
        Assert.Contains(v2, arbor);
    }

    [Theory]
    [InlineData("--finders=config,config", Os, "os/main")]
    [InlineData("--finders=config,usb", Os, "os/main")]
    [InlineData("--mirror", Os, "os/main")]
    [InlineData(Os)]
    [InlineData(Os, "os/main", Os)]
    [InlineData("bad", "os/main")]
    public void FailsWithOstreesErrors(params string[] args)
    {
        OstreeOracle.Require();
        var client = _tmp.Combine("client");
        OstreeOracle.RunOk("init", $"--repo={client}", "--mode=bare-user");
        var ostree = OstreeOracle.Run(["find-remotes", $"--repo={client}", .. args]);
        var arbor = CliRunner.Run(["find-remotes", $"--repo={client}", .. args]);
        Assert.NotEqual(0, arbor.ExitCode);
        Assert.Equal(ostree.ExitCode, arbor.ExitCode);
        Assert.Equal(ostree.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(), arbor.Stderr.TrimEnd('\n'));
    }
}
