using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Store;

/// <summary>The transaction's min-free-space budget, with a reserve larger than any disk (no privileges needed).</summary>
public sealed class FreeSpaceBudgetTests
{
    private static Repository RepoWith(TempDirectory tmp, RepoMode mode, string setting)
    {
        var repo = Repository.Create(tmp.Combine("repo"), mode);
        File.AppendAllText(repo.Config.Path, setting + "\n");
        return Repository.Open(repo.Path);
    }

    [Theory]
    [InlineData(RepoMode.Archive)]
    [InlineData(RepoMode.BareUser)]
    public void ContentPastTheReserveFailsMetadataStillFits(RepoMode mode)
    {
        using var tmp = new TempDirectory("budget");
        var repo = RepoWith(tmp, mode, "min-free-space-size=1000000000MB"); // ~1 EB
        var data = Encoding.UTF8.GetBytes("content\n");
        using (var tx = repo.BeginTransaction())
        {
            tx.WriteMetadata(ObjectType.DirTree, [0]);
            var e = Assert.Throws<RepoException>(() => tx.WriteContent(FileHeader.Regular(0, 0, 0x1A4), new MemoryStream(data), data.Length));
            Assert.Matches(@"^Writing content object: min-free-space-size 1000000000MB would be exceeded, at least \d+\.\d\u00A0kB requested$", e.Message);
            Assert.Throws<RepoException>(() => tx.WriteContent(FileHeader.Symlink(0, 0, "target"), null, 0));
            tx.SetRef(null, "main", DirTreeObject.EmptyChecksum);
        }
        // abandoned: nothing published, the staging directory is gone
        Assert.False(repo.HasObject(DirTreeObject.EmptyChecksum, ObjectType.DirTree));
        Assert.Null(repo.Refs.TryRead(null, "main"));
        Assert.Equal(["cache"], Directory.EnumerateFileSystemEntries(repo.FullPath("tmp")).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("min-free-space-percent=0")]
    [InlineData("min-free-space-size=0MB")]
    [InlineData("min-free-space-percent=1")]
    public void OffOrSmallReserveLetsContentThrough(string setting)
    {
        using var tmp = new TempDirectory("budget");
        var repo = RepoWith(tmp, RepoMode.BareUser, setting);
        var data = Encoding.UTF8.GetBytes("content\n");
        using var tx = repo.BeginTransaction();
        var c = tx.WriteContent(FileHeader.Regular(0, 0, 0x1A4), new MemoryStream(data), data.Length);
        tx.Commit();
        Assert.True(repo.HasObject(c, ObjectType.File));
    }

    [Fact]
    public void AnUnrepresentableSizeFailsTheTransactionNotTheOpen()
    {
        using var tmp = new TempDirectory("budget");
        var repo = RepoWith(tmp, RepoMode.BareUser, "min-free-space-size=17592186044416MB");
        var e = Assert.Throws<RepoException>(repo.BeginTransaction);
        Assert.StartsWith("Error calculating min-free-space bytes: min-free-space value is greater than", e.Message);
        using var tmp2 = new TempDirectory("budget");
        using var tx = RepoWith(tmp2, RepoMode.BareUser, "min-free-space-size=17592186044415MB").BeginTransaction();
    }

    [Fact]
    public void AnInvalidValueFailsTheOpen()
    {
        using var tmp = new TempDirectory("budget");
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.BareUser);
        File.AppendAllText(repo.Config.Path, "min-free-space-percent=100\n");
        var e = Assert.Throws<RepoException>(() => Repository.Open(repo.Path));
        Assert.Equal("opening repo: Invalid min-free-space-percent '100'", e.Message);
    }
}
