using Arbor.TestKit;

namespace Arbor.Repo.Tests.Checkout;

/// <summary>overlayfs passthrough whiteouts (.ostree-wh.NAME) and Docker whiteouts (.wh.NAME, .wh..wh..opq), against ostree.</summary>
public sealed class WhiteoutCheckoutTests : IDisposable
{
    private readonly TempDirectory _tmp = new("whiteout");

    public void Dispose() => _tmp.Dispose();

    private static void Layer(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "sub"));
        File.WriteAllText(Path.Combine(root, ".ostree-wh.gone"), "");
        ProcessRunner.RunOk("chmod", "0640", Path.Combine(root, ".ostree-wh.gone"));
        ProcessRunner.RunOk("chown", "1000:1000", Path.Combine(root, ".ostree-wh.gone"));
        File.CreateSymbolicLink(Path.Combine(root, ".ostree-wh.symlink"), "target");
        File.WriteAllText(Path.Combine(root, ".wh.a.txt"), "");
        File.WriteAllText(Path.Combine(root, "sub", ".wh..wh..opq"), "");
        File.WriteAllText(Path.Combine(root, "sub", "new"), "new\n");
        File.WriteAllText(Path.Combine(root, "kept"), "kept\n");
    }

    [Theory]
    [InlineData("bare", "--process-passthrough-whiteouts")]
    [InlineData("bare", "--process-passthrough-whiteouts -U")]
    [InlineData("archive", "--process-passthrough-whiteouts")]
    [InlineData("bare-user-only", "--process-passthrough-whiteouts")]
    [InlineData("bare", "")]
    public void PassthroughWhiteoutsBecomeCharacterDevices(string mode, string flags)
    {
        using var repos = new OracleRepoSet(Layer, mode);
        string expected = _tmp.Combine("ostree"), actual = _tmp.Combine("arbor");
        Assert.Equal(0, CheckoutOracle.Ostree(repos.RepoPath(mode), flags, repos.Commit(mode), expected).ExitCode);
        CheckoutOracle.Arbor(repos.RepoPath(mode), flags, repos.Commit(mode), actual);
        var snap = TreeSnapshot.Capture(actual);
        TreeSnapshot.AssertEqual(TreeSnapshot.Capture(expected), snap);
        if (flags.Contains("passthrough"))
        {
            Assert.Equal('c', snap["./gone"].Type);
            Assert.Equal("0:0", snap["./gone"].Rdev);
            Assert.Equal('l', snap["./.ostree-wh.symlink"].Type); // symlinks are never whiteouts
        }
    }

    [Theory]
    [InlineData("bare", "--whiteouts --union -H")]
    [InlineData("bare", "--whiteouts --union-add")]
    [InlineData("archive", "--whiteouts --union")]
    public void DockerWhiteoutsRemoveFromTheLowerLayer(string mode, string flags)
    {
        using var lower = new OracleRepoSet(FeatureTree.Create, mode);
        using var upper = new OracleRepoSet(Layer, mode);
        OstreeOracle.RunOk("pull-local", $"--repo={lower.RepoPath(mode)}", upper.RepoPath(mode), upper.Commit(mode));
        string expected = _tmp.Combine("ostree"), actual = _tmp.Combine("arbor");
        foreach (var dest in new[] { expected, actual })
        {
            Assert.Equal(0, CheckoutOracle.Ostree(lower.RepoPath(mode), "", lower.Commit(mode), dest).ExitCode);
            Directory.CreateDirectory(Path.Combine(dest, "sub"));
            File.WriteAllText(Path.Combine(dest, "sub", "old"), "from the lower layer\n");
        }
        Assert.Equal(0, CheckoutOracle.Ostree(lower.RepoPath(mode), flags, upper.Commit(mode), expected).ExitCode);
        CheckoutOracle.Arbor(lower.RepoPath(mode), flags, upper.Commit(mode), actual);
        TreeSnapshot.AssertEqual(TreeSnapshot.Capture(expected), TreeSnapshot.Capture(actual));
        Assert.False(File.Exists(Path.Combine(actual, "a.txt")));
        Assert.False(File.Exists(Path.Combine(actual, "sub", "old")));
        Assert.True(File.Exists(Path.Combine(actual, "sub", "new")));
    }
}
