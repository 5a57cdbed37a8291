using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Store;

public sealed class TransactionTests
{
    [Theory]
    [InlineData(RepoMode.Archive)]
    [InlineData(RepoMode.Bare)]
    [InlineData(RepoMode.BareUser)]
    [InlineData(RepoMode.BareUserOnly)]
    public void CommittedObjectsAreReadableAndStagingIsRemoved(RepoMode mode)
    {
        using var tmp = new TempDirectory("tx");
        var repo = Repository.Create(tmp.Combine("repo"), mode);
        var header = FileHeader.Regular(0, 0, 0x1A4);
        var data = Encoding.UTF8.GetBytes("Hello, OSTree!\n");
        Checksum file;
        using (var tx = repo.BeginTransaction())
        {
            file = tx.WriteContent(header, new MemoryStream(data), data.Length);
            tx.WriteMetadata(ObjectType.DirTree, [0]);
            tx.Commit();
        }
        Assert.Equal("d54de4d5e87b6e23a70888c184728279c0e3a0d9ed8d4bb4fe2151e05f9599e8", file.ToString());
        Assert.True(repo.HasObject(DirTreeObject.EmptyChecksum, ObjectType.DirTree));
        var content = repo.LoadContent(file);
        using var s = content.OpenContent();
        Assert.Equal(data, new BinaryReader(s).ReadBytes(100));
        Assert.Equal(["cache"], Directory.GetFileSystemEntries(tmp.Combine("repo", "tmp")).Select(Path.GetFileName));
    }

    [Fact]
    public void AbortedTransactionLeavesNothing()
    {
        using var tmp = new TempDirectory("tx");
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        using (var tx = repo.BeginTransaction())
            tx.WriteMetadata(ObjectType.DirTree, [0]);
        Assert.False(repo.HasObject(DirTreeObject.EmptyChecksum, ObjectType.DirTree));
        Assert.Empty(ObjectEnumerator.ListAll(repo));
    }

    [Fact]
    public void MismatchedContentIsRefused()
    {
        using var tmp = new TempDirectory("tx");
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        using var tx = repo.BeginTransaction();
        var wrong = Checksum.Compute([1, 2, 3]);
        var e = Assert.Throws<CorruptObjectException>(() => tx.WriteContent(FileHeader.Regular(0, 0, 0x1A4), new MemoryStream([1]), 1, wrong));
        Assert.Contains("Corrupted file object", e.Message);
        tx.Commit();
        Assert.Empty(ObjectEnumerator.ListAll(repo));
    }

    [Fact]
    public void AnEmptyArchiveFileCarriesAnEmptyDeflateStream()
    {
        using var tmp = new TempDirectory("tx");
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        Checksum file;
        using (var tx = repo.BeginTransaction())
        {
            file = tx.WriteContent(FileHeader.Regular(0, 0, 0x1A4), new MemoryStream(), 0);
            tx.Commit();
        }
        Assert.Equal("cc700d46f407c6c5ab2d5dde474366a928b7398277e61162e7f8ec06f469f07e", file.ToString());
        var filez = File.ReadAllBytes(repo.ObjectPath(new ObjectName(file, ObjectType.File)));
        Assert.Equal(new byte[] { 0x03, 0x00 }, filez[^2..]); // what zlib writes; ostree's reader fails on nothing ("Need more input")
        using var s = repo.LoadContent(file).OpenContent();
        Assert.Equal(-1, s.ReadByte());
    }
}

public sealed class ArchiveReadTests
{
    [Fact]
    public void TruncatedFilezFailsInsteadOfYieldingShortContent()
    {
        using var tmp = new TempDirectory("trunc");
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        var data = new byte[200_000];
        new Random(7).NextBytes(data);
        Checksum c;
        using (var tx = repo.BeginTransaction())
        {
            c = tx.WriteContent(FileHeader.Regular(0, 0, 0x1A4), new MemoryStream(data), data.Length);
            tx.Commit();
        }
        var path = repo.ObjectPath(new ObjectName(c, ObjectType.File));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        using var s = repo.LoadContent(c).OpenContent();
        Assert.ThrowsAny<ArborException>(() => s.CopyTo(Stream.Null));
    }
}
