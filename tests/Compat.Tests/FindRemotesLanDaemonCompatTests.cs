using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// <c>find-remotes</c> when no avahi-daemon answers, on a private <see cref="LanNetwork"/>: a system
/// bus without avahi-daemon, or no system bus at all. ostree drops the LAN finder with a warning
/// and searches with the others; alone, ostree 2022.7 hits an assertion and hangs, where Arbor
/// fails with one line.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FindRemotesLanDaemonCompatTests : IDisposable
{
    private const string Os = "org.example.Os";
    private const string NotRunning = "Avahi finder failed; removing it: Avahi daemon is not running: Daemon not running";
    private readonly TempDirectory _tmp = new("find-remotes-lan-daemon");

    public FindRemotesLanDaemonCompatTests() => OstreeOracle.Require();

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData(LanNetwork.Services.Bus)]
    [InlineData(LanNetwork.Services.None)]
    public void TheLanFinderIsDroppedWithOstreesWarning(LanNetwork.Services services)
    {
        using var lan = new LanNetwork(_tmp.Combine("lan"), services);
        var repo = _tmp.Combine("repo");
        OstreeOracle.RunOk("init", $"--repo={repo}", "--mode=bare-user");

        var ostree = lan.Run("/usr/bin/ostree", "find-remotes", $"--repo={repo}", "--finders=lan,config", Os, "os/main");
        var arbor = lan.Run(ArborProcess.Executable, "find-remotes", $"--repo={repo}", "--finders=lan,config", Os, "os/main");
        Assert.True(ostree.ExitCode == 0 && ostree.Stderr.Contains("OSTree-WARNING **: ") && ostree.Stderr.TrimEnd().EndsWith(NotRunning), ostree.ToString());
        Assert.Equal((0, "No results.\n", $"warning: {NotRunning}\n"), (arbor.ExitCode, arbor.Stdout, arbor.Stderr));
        Assert.Equal(ostree.Stdout, arbor.Stdout);

        // as a default finder (core.default-repo-finders), ostree drops it silently
        OstreeOracle.RunOk("config", $"--repo={repo}", "set", "core.default-repo-finders", "config;lan;");
        ostree = lan.Run("/usr/bin/ostree", "find-remotes", $"--repo={repo}", Os, "os/main");
        arbor = lan.Run(ArborProcess.Executable, "find-remotes", $"--repo={repo}", Os, "os/main");
        Assert.True(ostree.ExitCode == 0 && ostree.Stderr.Length == 0, ostree.ToString());
        Assert.Equal((0, ostree.Stdout, ""), (arbor.ExitCode, arbor.Stdout, arbor.Stderr));

        // alone: ostree 2022.7 asserts and hangs; Arbor fails with one line
        arbor = lan.Run(ArborProcess.Executable, "find-remotes", $"--repo={repo}", "--finders=lan", Os, "os/main");
        Assert.Equal(1, arbor.ExitCode);
        Assert.Equal("", arbor.Stdout);
        Assert.Equal("error: Avahi finder failed and no other finder is left: Avahi daemon is not running: Daemon not running\n", arbor.Stderr);
    }
}
