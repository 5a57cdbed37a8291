using System.Security.Cryptography;
using Arbor.Repo.Checkout;
using Arbor.Repo.Core;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Checkout;

/// <summary>The vector repositories (made by ostree 2022.7) check out to the trees their README describes, as ostree checks them out.</summary>
public sealed class VectorRepoCheckoutTests : IDisposable
{
    private readonly TempDirectory _tmp = new("vec-co");
    private readonly string _archive, _bareUser;

    public VectorRepoCheckoutTests() => (_archive, _bareUser) = VectorRepos.Extract(_tmp.Path);

    public void Dispose() => _tmp.Dispose();

    private static int Oct(string digits) => Convert.ToInt32(digits, 8);

    [Theory]
    [InlineData("bare-user", false)]
    [InlineData("bare-user", true)]
    [InlineData("archive", false)]
    public void CommitOneHasTheDocumentedTree(string which, bool user)
    {
        var dest = _tmp.Combine("co");
        var repo = Repository.Open(which == "archive" ? _archive : _bareUser);
        var stats = TreeCheckout.Run(repo, Checksum.Parse(Vectors.Value("commit.1")), dest,
            new CheckoutOptions { Mode = user ? CheckoutMode.User : CheckoutMode.None });
        var s = TreeSnapshot.Capture(dest);

        Assert.Equal(Oct("755"), s["."].Mode);
        Assert.Equal("Hello, OSTree!\n", File.ReadAllText(Path.Combine(dest, "hello.txt")));
        Assert.Equal(0, s["./empty"].Size);
        Assert.Equal(Enumerable.Range(0, 256).Select(i => (byte)i), File.ReadAllBytes(Path.Combine(dest, "small.bin")));
        Assert.Equal(100_000, s["./big.bin"].Size);
        Assert.Equal(Oct("755"), s["./bin/tool"].Mode);
        Assert.Equal("hello.txt", s["./link"].Target);
        Assert.Equal("/etc/os-release", s["./sub/abs-link"].Target);
        Assert.Equal("deep\n", File.ReadAllText(Path.Combine(dest, "sub/nested/deep.txt")));
        Assert.Equal('d', s["./emptydir"].Type);
        Assert.Equal(Oct("700"), s["./private"].Mode);
        Assert.Equal(Oct("600"), s["./private/secret"].Mode);
        Assert.Equal("umlaut\n", File.ReadAllText(Path.Combine(dest, "ümlaut.txt")));
        Assert.All(s.Entries.Values.Where(e => e.IsDirectory), d => Assert.Equal(0, d.Mtime));
        if (user)
        {
            // -U from bare-user: hardlinks to the objects, no xattrs but the object's own user.ostreemeta
            Assert.True(s["./hello.txt"].LinkCount > 1);
            Assert.Equal(["user.ostreemeta"], s["./xattr.txt"].Xattrs.Keys);
            Assert.Empty(s["./sub"].Xattrs);
            Assert.True(stats.Hardlinked > 0);
        }
        else
        {
            Assert.Equal(new Dictionary<string, string> { ["user.vector.a"] = "6669727374", ["user.vector.b"] = "7365636f6e64" }, s["./xattr.txt"].Xattrs);
            Assert.Equal(new Dictionary<string, string> { ["user.vector.dir"] = "64" }, s["./sub"].Xattrs);
            Assert.Equal(1, s["./hello.txt"].LinkCount);
            Assert.Equal(0, stats.Hardlinked);
        }
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(dest, "big.bin")))),
            s["./big.bin"].ContentSha256);
    }

    [Theory]
    [InlineData("bare-user", "")]
    [InlineData("bare-user", "-U")]
    [InlineData("bare-user", "-U -H")]
    [InlineData("bare-user", "-C")]
    [InlineData("archive", "")]
    public void EveryVectorCommitMatchesOstree(string which, string flags)
    {
        var repo = which == "archive" ? _archive : _bareUser;
        foreach (var key in new[] { "commit.1", "commit.2", "commit.uid1000", "commit.large-dirtree" })
        {
            string expected = _tmp.Combine("ostree-" + key), actual = _tmp.Combine("arbor-" + key);
            var o = CheckoutOracle.Ostree(repo, flags, Vectors.Value(key), expected);
            Assert.True(o.ExitCode == 0, o.ToString());
            CheckoutOracle.Arbor(repo, flags, Vectors.Value(key), actual);
            TreeSnapshot.AssertEqual(TreeSnapshot.Capture(expected), TreeSnapshot.Capture(actual), TreeAspects.Default | TreeAspects.ZeroMtime);
        }
        Assert.Equal(flags.Contains("-U") ? 0u : 1000u, TreeSnapshot.Capture(_tmp.Combine("arbor-commit.uid1000"))["./home/owned.txt"].Uid);
        Assert.Equal(1700, Directory.GetFiles(_tmp.Combine("arbor-commit.large-dirtree", "many")).Length);
    }
}
