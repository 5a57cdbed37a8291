using Arbor.Repo.Checkout;
using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Checkout;

/// <summary>
/// Crafted and damaged objects: refused with a one-line error, nothing written outside the
/// destination, and no destination left behind.
/// </summary>
public sealed class HostileObjectTests : IDisposable
{
    private readonly TempDirectory _tmp = new("hostile");
    private readonly string _repo, _work;
    private readonly Checksum _commit, _fileA, _dirMeta;

    public HostileObjectTests()
    {
        OstreeOracle.Require();
        var src = _tmp.Combine("src");
        Directory.CreateDirectory(Path.Combine(src, "sub"));
        File.WriteAllText(Path.Combine(src, "a.txt"), "hello\n");
        File.WriteAllText(Path.Combine(src, "sub", "b.txt"), new string('b', 200_000));
        _repo = _tmp.Combine("repo");
        OstreeOracle.RunOk("init", $"--repo={_repo}", "--mode=archive");
        _commit = Checksum.Parse(OstreeOracle.RunOk("commit", $"--repo={_repo}", "-b", "main", $"--tree=dir={src}").Trim());
        var repo = Repository.Open(_repo);
        var c = repo.LoadCommit(_commit);
        _dirMeta = c.RootMeta;
        _fileA = repo.LoadDirTree(c.RootTree).Files.Single(f => f.Name == "a.txt").Checksum;
        _work = _tmp.Combine("work");
        Directory.CreateDirectory(_work);
    }

    public void Dispose() => _tmp.Dispose();

    private string Dest => Path.Combine(_work, "dest");

    private Exception CheckoutFails(Checksum commit, CheckoutOptions? options = null)
    {
        var e = Assert.ThrowsAny<ArborException>(() => TreeCheckout.Run(Repository.Open(_repo), commit, Dest, options ?? new CheckoutOptions()));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_work)); // no destination, no temporary sibling
        return e;
    }

    private Checksum Craft(IReadOnlyList<DirTreeFile> files, IReadOnlyList<DirTreeDir> dirs) =>
        RawObjects.CommitTree(_repo, "crafted", new DirTreeObject(files, dirs), _dirMeta);

    [Theory]
    [InlineData("..", "Invalid path uplink filename '..'")]
    [InlineData(".", "Invalid self-referential filename '.'")]
    [InlineData("x/y", "Invalid / in filename x/y")]
    [InlineData("../../escape", "Invalid / in filename ../../escape")]
    [InlineData("/etc/passwd", "Invalid / in filename /etc/passwd")]
    [InlineData("", "Invalid empty filename")]
    public void FileNamesThatLeaveTheDirectoryAreRefused(string name, string message)
    {
        var commit = Craft([new("ok", _fileA), new(name, _fileA)], []);
        Assert.Equal(message, CheckoutFails(commit).Message);
        if (name is ".." or "x/y")
        {
            // ostree refuses them with the same words
            var o = OstreeOracle.Run("checkout", $"--repo={_repo}", commit.ToString(), _tmp.Combine("ostree-" + name.Replace('/', '_')));
            Assert.Equal(message, CheckoutOracle.OstreeError(o));
        }
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../escape")]
    [InlineData("a/b")]
    public void DirectoryNamesThatLeaveTheDirectoryAreRefused(string name)
    {
        var commit = Craft([new("ok", _fileA)], [new(name, DirTreeObject.EmptyChecksum, _dirMeta)]);
        CheckoutFails(commit);
        Assert.False(Directory.Exists(Path.Combine(_tmp.Path, "escape")));
    }

    [Fact]
    public void ABadNameDeepInTheTreeRemovesWhatWasAlreadyWritten()
    {
        var inner = RawObjects.Write(_repo, ObjectType.DirTree, new DirTreeObject([new("..", _fileA)], []).Serialize());
        var files = Enumerable.Range(0, 50).Select(i => new DirTreeFile($"f{i:D2}", _fileA)).ToList();
        var commit = Craft(files, [new("sub", inner, _dirMeta)]);
        Assert.Equal("Invalid path uplink filename '..'", CheckoutFails(commit, new CheckoutOptions { MaxParallelism = 1 }).Message);
    }

    [Fact]
    public void ANameListedAsSymlinkAndDirectoryCannotRedirectAUnionCheckout()
    {
        // "x" as a symlink to a directory outside, and "x" as a directory holding a file: a union
        // checkout that entered the existing "x" would write through the symlink
        var outside = _tmp.Combine("outside");
        Directory.CreateDirectory(outside);
        var src = _tmp.Combine("src2");
        Directory.CreateDirectory(src);
        File.CreateSymbolicLink(Path.Combine(src, "x"), outside);
        var linkCommit = Checksum.Parse(OstreeOracle.RunOk("commit", $"--repo={_repo}", "-b", "link", $"--tree=dir={src}").Trim());
        var repo = Repository.Open(_repo);
        var symlink = repo.LoadDirTree(repo.LoadCommit(linkCommit).RootTree).Files.Single().Checksum;
        var inner = RawObjects.Write(_repo, ObjectType.DirTree, new DirTreeObject([new("planted", _fileA)], []).Serialize());
        var commit = Craft([new("x", symlink)], [new("x", inner, _dirMeta)]);
        var e = CheckoutFails(commit, new CheckoutOptions { Overwrite = CheckoutOverwriteMode.UnionFiles });
        Assert.Equal("Invalid dirtree: duplicate filename x", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(outside));
    }

    [Fact]
    public void MissingFileObjectFailsCleanly()
    {
        var commit = Craft([new("a", _fileA), new("zz", Checksum.Parse(new string('1', 64)))], []);
        var e = CheckoutFails(commit);
        Assert.Equal($"Couldn't find file object '{new string('1', 64)}'", e.Message);
    }

    [Fact]
    public void TruncatedArchiveContentFailsCleanly()
    {
        var big = Repository.Open(_repo).LoadDirTree(Repository.Open(_repo).LoadDirTree(Repository.Open(_repo).LoadCommit(_commit).RootTree).Dirs.Single().Tree).Files.Single().Checksum;
        RawObjects.Overwrite(_repo, new ObjectName(big, ObjectType.File), b => b[..(b.Length - 40)]);
        var e = CheckoutFails(_commit);
        Assert.StartsWith($"Copy checkout of {big} to b.txt: Corrupted file object {big}", e.Message);
    }

    [Fact]
    public void TruncatedArchiveHeaderFailsCleanly()
    {
        uint size = 0;
        RawObjects.Overwrite(_repo, new ObjectName(_fileA, ObjectType.File), b => { size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b); return b[..12]; });
        var e = CheckoutFails(_commit);
        // ostree_content_stream_parse's words, as `ostree checkout` says them
        Assert.EndsWith($"File header size {size} exceeds size 12", e.Message);
    }

    /// <summary>`ostree checkout` of a tree whose empty directory's dirtree is missing: "No such metadata object ….dirtree".</summary>
    [Fact]
    public void AMissingEmptyDirTreeFailsAsAnyMissingDirTree()
    {
        // the source tree has no empty directory, so the repository has no empty dirtree
        var commit = Craft([new("a", _fileA)], [new("e", DirTreeObject.EmptyChecksum, _dirMeta)]);
        var e = CheckoutFails(commit);
        Assert.Equal($"No such metadata object {DirTreeObject.EmptyChecksum}.dirtree", e.Message);
    }

    [Theory]
    [InlineData(ObjectType.DirTree)]
    [InlineData(ObjectType.DirMeta)]
    [InlineData(ObjectType.Commit)]
    public void TruncatedMetadataFailsCleanly(ObjectType type)
    {
        var repo = Repository.Open(_repo);
        var c = repo.LoadCommit(_commit);
        var name = type switch
        {
            ObjectType.DirTree => new ObjectName(repo.LoadDirTree(c.RootTree).Dirs.Single().Tree, type),
            ObjectType.DirMeta => new ObjectName(c.RootMeta, type),
            _ => new ObjectName(_commit, type),
        };
        RawObjects.Overwrite(_repo, name, b => b[..(b.Length / 2)]);
        var e = CheckoutFails(_commit);
        Assert.Equal($"Corrupted {type.DisplayName()} object {name.Checksum}: actual checksum is {Checksum.Compute(File.ReadAllBytes(repo.ObjectPath(name)))}", e.Message);
    }

    [Fact]
    public void EmptyDirtreeFileIsNotAnEmptyDirectory()
    {
        var repo = Repository.Open(_repo);
        var sub = repo.LoadDirTree(repo.LoadCommit(_commit).RootTree).Dirs.Single().Tree;
        RawObjects.Overwrite(_repo, new ObjectName(sub, ObjectType.DirTree), _ => []);
        Assert.StartsWith($"Corrupted dirtree object {sub}", CheckoutFails(_commit).Message);
    }
}
