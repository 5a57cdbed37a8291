using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Prune;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Store;

/// <summary>
/// tmp/ is cleaned as ostree's cleanup_tmpdir does: a staging directory whose NAME-lock is free
/// belongs to a dead transaction and is removed; one whose lock is held (a live arbor or ostree
/// transaction) is kept; other entries expire after core.tmp-expiry-secs.
/// </summary>
public sealed class TmpDirectoryTests
{
    private static string[] Entries(string dir) =>
        Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void ANewTransactionRemovesDeadStagingDirectoriesAndExpiredEntriesButNotLiveOnes()
    {
        using var tmp = new TempDirectory("tmpclean");
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        var t = repo.FullPath("tmp");
        // a killed arbor commit: its staging directory (and a stale lock file nobody holds)
        Directory.CreateDirectory(Path.Combine(t, "staging-arbor-dead", "sub"));
        File.WriteAllText(Path.Combine(t, "staging-arbor-dead", "sub", "x.filez"), "x");
        File.WriteAllText(Path.Combine(t, "staging-arbor-dead-lock"), "");
        // a running ostree commit (of another boot): its lock is held
        Directory.CreateDirectory(Path.Combine(t, "staging-0000-live-abc"));
        using var held = OpenFile.OpenLockFile(Path.Combine(t, "staging-0000-live-abc-lock"));
        Assert.True(OfdLock.TryLockExclusive(held, wait: false, "held"));
        // a dead ostree commit of another boot, an old and a fresh entry
        Directory.CreateDirectory(Path.Combine(t, "staging-0000-dead-abc"));
        Directory.CreateDirectory(Path.Combine(t, "old"));
        Directory.SetLastWriteTimeUtc(Path.Combine(t, "old"), DateTime.UtcNow.AddDays(-3));
        File.WriteAllText(Path.Combine(t, "fresh"), "");

        using (var live = repo.BeginTransaction())
        {
            var own = Entries(t).Single(e => e.StartsWith("staging-", StringComparison.Ordinal) && e.Contains("-arbor-", StringComparison.Ordinal) && !e.EndsWith("-lock"));
            Assert.Equal(["cache", "fresh", "staging-0000-live-abc", "staging-0000-live-abc-lock", own, own + "-lock"], Entries(t));
            // a second transaction leaves the first one's staging directory alone
            using (var second = repo.BeginTransaction())
                Assert.Contains(own, Entries(t));
            Assert.Contains(own, Entries(t));
        }
        Assert.Equal(["cache", "fresh", "staging-0000-live-abc", "staging-0000-live-abc-lock"], Entries(t));

        held.Dispose();
        Arbor.Repo.Prune.Prune.Run(repo, new PruneOptions { RefsOnly = true });
        Assert.Equal(["cache", "fresh"], Entries(t));
    }

    [Fact]
    public void TmpExpirySecsIsHonoured()
    {
        using var tmp = new TempDirectory("tmpclean");
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        var t = repo.FullPath("tmp");
        File.WriteAllText(Path.Combine(t, "recent"), "");
        File.SetLastWriteTimeUtc(Path.Combine(t, "recent"), DateTime.UtcNow.AddMinutes(-10));
        using (repo.BeginTransaction()) { }
        Assert.Equal(["cache", "recent"], Entries(t));

        File.AppendAllText(repo.FullPath("config"), "tmp-expiry-secs=60\n");
        repo = Repository.Open(repo.Path);
        using (repo.BeginTransaction()) { }
        Assert.Equal(["cache"], Entries(t));
    }
}
