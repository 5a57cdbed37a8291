using Arbor.Repo.Core;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Checkout;

/// <summary>
/// A destination on another filesystem (tmpfs /dev/shm): hardlinks fail with EXDEV, so a plain
/// checkout falls back to copies and -H refuses, both as ostree does.
/// </summary>
public sealed class CrossDeviceCheckoutTests : IDisposable
{
    private readonly OracleRepoSet _repos = new(FeatureTree.Create, "bare");
    private readonly string _shm = Path.Combine("/dev/shm", "arbor-xdev-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        _repos.Dispose();
        TempDirectory.Remove(_shm);
    }

    private void RequireOtherDevice()
    {
        var devices = ProcessRunner.RunOk("stat", "-c", "%d", "/dev/shm", _repos.Temp.Path).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.SkipWhen(devices.Length != 2 || devices[0] == devices[1], "/dev/shm is not a separate filesystem here");
        Directory.CreateDirectory(_shm);
    }

    [Fact]
    public void HardlinksFallBackToCopies()
    {
        RequireOtherDevice();
        string expected = Path.Combine(_shm, "ostree"), actual = Path.Combine(_shm, "arbor");
        Assert.Equal(0, CheckoutOracle.Ostree(_repos.RepoPath("bare"), "", _repos.Commit("bare"), expected).ExitCode);
        var stats = CheckoutOracle.Arbor(_repos.RepoPath("bare"), "", _repos.Commit("bare"), actual);
        TreeSnapshot.AssertEqual(TreeSnapshot.Capture(expected), TreeSnapshot.Capture(actual), TreeAspects.Default | TreeAspects.ZeroMtime);
        Assert.Equal(0, stats.Hardlinked);
        Assert.True(stats.Copied > FeatureTree.ManyCount);
    }

    [Fact]
    public void RequireHardlinksRefusesAnotherDevice()
    {
        RequireOtherDevice();
        var o = CheckoutOracle.Ostree(_repos.RepoPath("bare"), "-H", _repos.Commit("bare"), Path.Combine(_shm, "ostree"));
        var e = Assert.ThrowsAny<ArborException>(() => CheckoutOracle.Arbor(_repos.RepoPath("bare"), "-H", _repos.Commit("bare"), Path.Combine(_shm, "arbor")));
        Assert.Equal(CheckoutOracle.OstreeError(o), e.Message);
        Assert.StartsWith("Unable to do hardlink checkout across devices", e.Message);
        Assert.False(Directory.Exists(Path.Combine(_shm, "arbor")));
    }
}
