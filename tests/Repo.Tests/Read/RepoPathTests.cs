using Arbor.Repo.Core;
using Arbor.Repo.Read;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Read;

/// <summary>Paths inside a commit resolved as OstreeRepoFile does, on the vector repositories.</summary>
public sealed class RepoPathTests : IDisposable
{
    private readonly TempDirectory _tmp = new("repopath");
    private readonly Repository _archive, _bareUser;

    public RepoPathTests()
    {
        var (a, b) = VectorRepos.Extract(_tmp.Path);
        _archive = Repository.Open(a);
        _bareUser = Repository.Open(b);
    }

    public void Dispose() => _tmp.Dispose();

    private RepoPath Root(Repository r, string key = "commit.2") => RepoPath.ForCommit(r, Checksum.Parse(Vectors.Value(key)));

    [Fact]
    public void ChildrenAreFilesThenDirectories()
    {
        foreach (var repo in new[] { _archive, _bareUser })
        {
            var names = Root(repo).EnumerateChildren().Select(c => c.Path).ToList();
            Assert.Equal(["/UPPER.txt", "/added.txt", "/big.bin", "/hello.txt", "/link", "/small.bin", "/xattr.txt", "/ümlaut.txt",
                "/bin", "/emptydir", "/private", "/sub"], names);
        }
    }

    [Fact]
    public void InfoMatchesTheVectorTable()
    {
        foreach (var repo in new[] { _archive, _bareUser })
        {
            var root = Root(repo, "commit.1");
            var secret = root.ResolveRelative("/private/secret");
            var info = secret.QueryInfo();
            Assert.Equal((TreeEntryKind.Regular, 0x8180u, 7L), (info.Kind, info.Mode, info.Size));
            Assert.Equal(Vectors.Value("path.1./private/secret").Split("file=")[1][..64], secret.Checksum.ToString());
            var link = root.ResolveRelative("sub/abs-link").QueryInfo();
            Assert.Equal((TreeEntryKind.Symlink, "/etc/os-release", 0L), (link.Kind, link.SymlinkTarget, link.Size));
            var priv = root.ResolveRelative("private");
            Assert.Equal((TreeEntryKind.Directory, 0x41C0u), (priv.QueryInfo().Kind, priv.QueryInfo().Mode));
            Assert.Equal("32d8c56caeba3e1d1c5e438c5c00f6b67d895378fb2438bdb5e3fc5911990123", priv.ContentsChecksum.ToString());
            Assert.Equal("84641b0a39d8c873690da8f32aea21cf5d6fff354f85e045f6f5ecdc8e7758d0", priv.Checksum.ToString());
            Assert.Equal(2, root.ResolveRelative("xattr.txt").QueryInfo().Xattrs.Count);
        }
    }

    [Theory]
    [InlineData("/sub/", "No such file or directory: /sub/")]
    [InlineData("sub/./nested", "No such file or directory: /sub/.")]
    [InlineData("sub/../bin", "No such file or directory: /sub/..")]
    [InlineData("//sub", "No such file or directory: /")]
    [InlineData("", "No such file or directory: /")]
    [InlineData("nope/x", "No such file or directory: /nope")]
    [InlineData("hello.txt/x", "Not a directory")]
    [InlineData("link/x", "Not a directory")]
    public void ComponentsAreLiteralNames(string path, string error)
    {
        var e = Assert.ThrowsAny<TreePathException>(() => Root(_archive).ResolveRelative(path).EnsureResolved());
        Assert.Equal(error, e.Message);
    }

    [Fact]
    public void ReadingFollowsSymlinksInsideTheCommit()
    {
        var root = Root(_archive);
        using (var s = root.ResolveRelative("/link").OpenRead())
            Assert.Equal("Hello again, OSTree!\n", new StreamReader(s).ReadToEnd());
        // an absolute target starts at the commit's root, not the host's
        Assert.Equal("No such file or directory: /etc", Assert.ThrowsAny<TreePathException>(() => root.ResolveRelative("sub/abs-link").OpenRead()).Message);
        Assert.Equal("Can't open directory", Assert.ThrowsAny<TreePathException>(() => root.ResolveRelative("sub").OpenRead()).Message);
        using var big = root.ResolveRelative("big.bin").OpenRead();
        var ms = new MemoryStream();
        big.CopyTo(ms);
        Assert.Equal(100_000, ms.Length);
    }
}
