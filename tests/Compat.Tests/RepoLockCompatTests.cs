using Arbor.Repo.Native;
using Arbor.Repo.Store;
using Arbor.TestKit;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Compat.Tests;

/// <summary>
/// The repository lock is ostree 2022.7's: an open-file-description lock on <c>.lock</c> (shared
/// for a commit, exclusive for prune), so each tool waits for the other, gives up after
/// <c>core.lock-timeout-secs</c> with ostree's words, and takes none with <c>core.locking=false</c>.
/// </summary>
public sealed class RepoLockCompatTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _repo, _tree;

    public RepoLockCompatTests()
    {
        OstreeOracle.Require();
        _repo = Path.Join(_dir.Path, "repo");
        _tree = Path.Join(_dir.Path, "tree");
        SampleTree.Write(_tree);
        OstreeOk("init", "--repo=" + _repo, "--mode=archive");
        OstreeOk("config", "--repo=" + _repo, "set", "core.lock-timeout-secs", "1");
        OstreeOk("commit", "--repo=" + _repo, "-b", "main", "--tree=dir=" + _tree);
    }

    public void Dispose() => _dir.Dispose();

    private static string OstreeOk(params string[] args)
    {
        var r = ProcessRunner.Run("ostree", args);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout;
    }

    /// <summary>Holds the lock as another program would (an open of <c>.lock</c> of its own).</summary>
    private SafeFileHandle Hold(bool exclusive)
    {
        var path = Path.Join(_repo, ".lock");
        var h = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        Assert.True(OfdLock.TryLock(h, exclusive, wait: false, path));
        return h;
    }

    private (CliResult Ostree, CliResult Arbor) Both(params string[] args) =>
        (ProcessRunner.Run("ostree", [.. args, "--repo=" + _repo]), CliRunner.Run([.. args, "--repo=" + _repo]));

    [Fact]
    public void ACommitWaitsForAnExclusiveLockThenFailsAsOstree()
    {
        using (Hold(exclusive: true))
        {
            var (o, a) = Both("commit", "-b", "second", "--tree=dir=" + _tree);
            Assert.Equal("error: Locking repo shared failed: Resource temporarily unavailable\n", o.Stderr);
            Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        }
        Assert.False(File.Exists(Path.Join(_repo, "refs/heads/second")));
        // released: both go through
        var (o2, a2) = Both("commit", "-b", "second", "--tree=dir=" + _tree);
        Assert.Equal((0, 0), (o2.ExitCode, a2.ExitCode));
    }

    [Fact]
    public void APruneWaitsForASharedLockThenFailsAsOstree()
    {
        using (Hold(exclusive: false))
        {
            var (o, a) = Both("prune", "--refs-only");
            Assert.Equal("error: Locking repo exclusive failed: Resource temporarily unavailable\n", o.Stderr);
            Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        }
    }

    [Fact]
    public void OstreeWaitsForArborsLock()
    {
        var repo = Repository.Open(_repo);
        using (repo.Lock(exclusive: true))
        {
            var o = ProcessRunner.Run("ostree", ["commit", "--repo=" + _repo, "-b", "other", "--tree=dir=" + _tree]);
            Assert.Equal((1, "error: Locking repo shared failed: Resource temporarily unavailable\n"), (o.ExitCode, o.Stderr));
        }
        using (repo.Lock(exclusive: false))
        {
            var o = ProcessRunner.Run("ostree", ["prune", "--refs-only", "--repo=" + _repo]);
            Assert.Equal((1, "error: Locking repo exclusive failed: Resource temporarily unavailable\n"), (o.ExitCode, o.Stderr));
        }
    }

    [Fact]
    public void LockingOffTakesNoLock()
    {
        OstreeOk("config", "--repo=" + _repo, "set", "core.locking", "false");
        using (Hold(exclusive: true))
        {
            var (o, a) = Both("commit", "-b", "unlocked", "--tree=dir=" + _tree);
            Assert.Equal((0, 0), (o.ExitCode, a.ExitCode));
            (o, a) = Both("prune", "--refs-only");
            Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        }
        OstreeOk("config", "--repo=" + _repo, "set", "core.locking", "maybe");
        var (o3, a3) = Both("log", "main");
        Assert.Equal("error: opening repo: Key file contains key “locking” which has a value that cannot be interpreted.\n", o3.Stderr);
        Assert.Equal((o3.ExitCode, o3.Stderr), (a3.ExitCode, a3.Stderr));
    }
}
