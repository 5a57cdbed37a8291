using Arbor.Repo.Core;
using Arbor.Repo.Fsck;
using Arbor.Repo.Prune;
using Arbor.Repo.Store;
using Arbor.Repo.Tests.Fsck;
using Arbor.TestKit;
using PruneRunner = Arbor.Repo.Prune.Prune;

namespace Arbor.Repo.Tests.Prune;

/// <summary>Prune on a branch with history made by the real ostree: what goes, what stays, and that the rest still verifies.</summary>
public sealed class PruneTests : IDisposable
{
    private readonly TempDirectory _tmp = new("prune");
    private readonly string _repo;
    private readonly string[] _history; // oldest first

    public PruneTests()
    {
        _repo = OstreeRepos.Init(_tmp.Combine("repo"), "archive");
        _history = new string[4];
        for (int i = 0; i < _history.Length; i++)
        {
            var tree = OstreeRepos.WriteSampleTree(_tmp.Combine($"tree{i}"), variant: i.ToString());
            _history[i] = OstreeOracle.RunOk("commit", $"--repo={_repo}", "--branch=main", "--owner-uid=0", "--owner-gid=0",
                $"--timestamp=2021-01-0{i + 1}T00:00:00Z", $"--subject=c{i}", tree).Trim();
        }
    }

    public void Dispose() => _tmp.Dispose();

    private Repository Repo => Repository.Open(_repo);
    private bool HasCommit(string c) => File.Exists(OstreeRepos.ObjectPath(_repo, c, "commit"));

    private void AssertStillSound()
    {
        var result = Arbor.Repo.Fsck.Fsck.Run(Repo, new FsckOptions(), new RecordingReporter());
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void WithoutRefsOnlyEveryCommitIsARootAndNothingIsDeleted()
    {
        var result = PruneRunner.Run(Repo, new PruneOptions { Depth = 0 });
        Assert.Equal(0, result.ObjectsPruned);
        Assert.All(_history, c => Assert.True(HasCommit(c)));
    }

    [Fact]
    public void RefsOnlyWithADepthKeepsThatManyParents()
    {
        var before = Directory.EnumerateFiles(Path.Combine(_repo, "objects"), "*", SearchOption.AllDirectories)
            .Count(f => Path.GetExtension(f) is ".filez" or ".dirtree" or ".dirmeta" or ".commit");
        var result = PruneRunner.Run(Repo, new PruneOptions { RefsOnly = true, Depth = 1 });
        Assert.False(HasCommit(_history[0]));
        Assert.False(HasCommit(_history[1]));
        Assert.True(HasCommit(_history[2]));
        Assert.True(HasCommit(_history[3]));
        Assert.Equal(before, result.ObjectsTotal);
        Assert.True(result.ObjectsPruned >= 4); // two commits, their root dirtrees, their hello.txt
        Assert.True(result.FreedBytes > 0);
        AssertStillSound();
    }

    [Fact]
    public void NoPruneCountsButDeletesNothing()
    {
        var counted = PruneRunner.Run(Repo, new PruneOptions { RefsOnly = true, Depth = 0, NoPrune = true });
        Assert.True(counted.ObjectsPruned > 0);
        Assert.All(_history, c => Assert.True(HasCommit(c)));
        var done = PruneRunner.Run(Repo, new PruneOptions { RefsOnly = true, Depth = 0 });
        Assert.Equal(counted, done);
    }

    [Fact]
    public void DeploymentRefsAndExtraRootsAreKept()
    {
        Repo.Refs.Write(null, "ostree/0/1/0", Checksum.Parse(_history[0]));
        PruneRunner.Run(Repo, new PruneOptions { RefsOnly = true, Depth = 0, AdditionalRoots = [Checksum.Parse(_history[1])] });
        Assert.True(HasCommit(_history[0]));
        Assert.True(HasCommit(_history[1]));
        Assert.False(HasCommit(_history[2]));
        Assert.True(HasCommit(_history[3]));
        AssertStillSound();
    }

    [Fact]
    public void TheLibraryApiForCleanupPrunesFromAComputedReachableSet()
    {
        var repo = Repo;
        var reachable = PruneRunner.ReachableFromRefs(repo, depth: 0);
        reachable.TraverseCommit(Checksum.Parse(_history[2]), 0); // e.g. a rollback deployment
        var result = PruneRunner.FromReachable(repo, reachable);
        Assert.True(result.ObjectsPruned > 0);
        Assert.False(HasCommit(_history[0]));
        Assert.True(HasCommit(_history[2]));
        AssertStillSound();
    }

    [Fact]
    public void DeletingACommitRemovesItsStateAndLeavesATombstoneWhenConfigured()
    {
        OstreeOracle.RunOk("config", $"--repo={_repo}", "set", "core.tombstone-commits", "true");
        var old = Checksum.Parse(_history[0]);
        Repo.MarkCommitPartial(old, true);
        PruneRunner.Run(Repo, new PruneOptions { RefsOnly = true, Depth = 2 });
        Assert.False(HasCommit(_history[0]));
        Assert.False(File.Exists(Path.Combine(_repo, "state", _history[0] + ".commitpartial")));
        Assert.Equal(ObjectDeleter.TombstoneBytes(old), File.ReadAllBytes(OstreeRepos.ObjectPath(_repo, _history[0], "tombstone-commit")));
    }

    [Fact]
    public void DeleteCommitIsRefusedWhileARefPointsAtIt()
    {
        var e = Assert.Throws<RepoException>(() => PruneRunner.Run(Repo, new PruneOptions { DeleteCommit = _history[3] }));
        Assert.Equal($"Commit '{_history[3]}' is referenced by 'main'", e.Message);
        PruneRunner.Run(Repo, new PruneOptions { DeleteCommit = _history[1] });
        Assert.False(HasCommit(_history[1]));
        Assert.True(Repo.Config.TombstoneCommits); // ostree turns tombstones on for --delete-commit
        Assert.True(File.Exists(OstreeRepos.ObjectPath(_repo, _history[1], "tombstone-commit")));
    }

    [Fact]
    public void KeepYoungerThanKeepsRecentHistoryAndTheHead()
    {
        PruneRunner.Run(Repo, new PruneOptions { KeepYoungerThan = new DateTimeOffset(2021, 1, 3, 0, 0, 0, TimeSpan.Zero) });
        Assert.False(HasCommit(_history[0]));
        Assert.False(HasCommit(_history[1]));
        Assert.True(HasCommit(_history[2]));
        Assert.True(HasCommit(_history[3]));

        // a ref's own commit survives however old it is
        PruneRunner.Run(Repo, new PruneOptions { KeepYoungerThan = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        Assert.True(HasCommit(_history[3]));
        Assert.False(HasCommit(_history[2]));
    }

    [Fact]
    public void OnlyBranchPrunesTheNamedBranchAndKeepsOthersWhole()
    {
        OstreeOracle.RunOk("refs", $"--repo={_repo}", _history[1], "--create=other");
        PruneRunner.Run(Repo, new PruneOptions { OnlyBranches = ["main"], Depth = 0 });
        Assert.True(HasCommit(_history[0])); // other's history
        Assert.True(HasCommit(_history[1]));
        Assert.False(HasCommit(_history[2]));
        Assert.True(HasCommit(_history[3]));
        var e = Assert.Throws<RefNotFoundException>(() => PruneRunner.Run(Repo, new PruneOptions { OnlyBranches = ["nope"] }));
        Assert.Equal("Refspec 'nope' not found", e.Message);
    }

    [Fact]
    public void RetainBranchDepthOverridesTheGlobalDepth()
    {
        PruneRunner.Run(Repo, new PruneOptions { RetainBranchDepth = new Dictionary<string, int> { ["main"] = 2 }, Depth = 0 });
        Assert.False(HasCommit(_history[0]));
        Assert.True(HasCommit(_history[1]));
    }

    [Fact]
    public void CommitOnlyDeletesCommitsAndLeavesTheirObjects()
    {
        var files = Directory.EnumerateFiles(Path.Combine(_repo, "objects"), "*.filez", SearchOption.AllDirectories).Count();
        var result = PruneRunner.Run(Repo, new PruneOptions { RefsOnly = true, Depth = 0, CommitOnly = true });
        Assert.Equal(4, result.ObjectsTotal);
        Assert.Equal(3, result.ObjectsPruned);
        Assert.Equal(files, Directory.EnumerateFiles(Path.Combine(_repo, "objects"), "*.filez", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public void StaticDeltasToDeletedCommitsGo()
    {
        OstreeOracle.RunOk("static-delta", "generate", $"--repo={_repo}", $"--from={_history[0]}", $"--to={_history[1]}");
        OstreeOracle.RunOk("static-delta", "generate", $"--repo={_repo}", $"--from={_history[2]}", $"--to={_history[3]}");
        PruneRunner.Run(Repo, new PruneOptions { RefsOnly = true, Depth = 0 });
        var deltas = OstreeOracle.RunOk("static-delta", "list", $"--repo={_repo}").Trim();
        Assert.Equal($"{_history[2]}-{_history[3]}", deltas);
    }

    [Fact]
    public void StaticDeltasOnlyNeedsACommit()
    {
        var e = Assert.Throws<RepoException>(() => PruneRunner.Run(Repo, new PruneOptions { StaticDeltasOnly = true }));
        Assert.StartsWith("--static-deltas-only requires --delete-commit", e.Message);
    }

    [Fact]
    public void ModifiedBase64DeltaNamesDecode()
    {
        Assert.True(StaticDeltaPruner.TryDecode("dg5f_t7IlVL7LWRWygciTY7eiofxRxEtXvhq7+suCWU", out var c));
        Assert.Equal(Vectors.Value("commit.2"), c.ToString());
        Assert.False(StaticDeltaPruner.TryDecode("short", out _));
    }
}
