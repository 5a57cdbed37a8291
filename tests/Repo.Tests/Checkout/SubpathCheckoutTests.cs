using Arbor.Repo.Checkout;
using Arbor.Repo.Core;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Checkout;

/// <summary>--subpath resolution and checkouts, against ostree (its path quirks included).</summary>
public sealed class SubpathCheckoutTests(SubpathCheckoutTests.Fixture fixture) : IClassFixture<SubpathCheckoutTests.Fixture>, IDisposable
{
    public sealed class Fixture : IDisposable
    {
        public OracleRepoSet Repos { get; } = new(FeatureTree.Create, "bare", "archive");
        public void Dispose() => Repos.Dispose();
    }

    private readonly TempDirectory _tmp = new("subpath");

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData("/home")]
    [InlineData("home/user")]
    [InlineData("/with space")]
    [InlineData("/deep/a/b")]
    [InlineData("/a.txt")]
    [InlineData("a.txt")]
    [InlineData("/link")]
    [InlineData("/empty")]
    [InlineData("/")]
    [InlineData("/home//user")]
    [InlineData("home//")]
    [InlineData("/home/user/")]
    [InlineData("//")]
    [InlineData("")]
    [InlineData("/nope")]
    [InlineData("/home/../a.txt")]
    [InlineData("/./a.txt")]
    [InlineData("/a.txt/x")]
    [InlineData("/home/nope/deeper")]
    public void MatchesOstree(string subpath)
    {
        foreach (var (mode, flags) in new[] { ("bare", "-H"), ("archive", "") })
        {
            var repo = fixture.Repos.RepoPath(mode);
            var commit = fixture.Repos.Commit(mode);
            string expected = _tmp.Combine($"ostree-{mode}"), actual = _tmp.Combine($"arbor-{mode}");
            var o = CheckoutOracle.Ostree(repo, flags, commit, expected, subpath);
            if (o.ExitCode != 0)
            {
                var e = Assert.ThrowsAny<ArborException>(() => CheckoutOracle.Arbor(repo, flags, commit, actual, subpath));
                Assert.Equal(CheckoutOracle.OstreeError(o), e.Message);
                Assert.False(Directory.Exists(actual));
                continue;
            }
            CheckoutOracle.Arbor(repo, flags, commit, actual, subpath);
            // a file's destination directory is made 0700 "now" by both: compare everything but that mtime
            TreeSnapshot.AssertEqual(TreeSnapshot.Capture(expected), TreeSnapshot.Capture(actual));
        }
    }

    [Fact]
    public void FileSubpathGoesIntoAnExistingDirectory()
    {
        var repo = fixture.Repos.RepoPath("bare");
        var dest = _tmp.Combine("existing");
        Directory.CreateDirectory(dest);
        File.WriteAllText(Path.Combine(dest, "other"), "mine");
        CheckoutOracle.Arbor(repo, "", fixture.Repos.Commit("bare"), dest, "/bin/tool");
        Assert.Equal(["other", "tool"], Directory.GetFileSystemEntries(dest).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void NotFoundIsItsOwnExceptionType()
    {
        var e = Assert.Throws<CheckoutPathNotFoundException>(() =>
            CheckoutOracle.Arbor(fixture.Repos.RepoPath("bare"), "", fixture.Repos.Commit("bare"), _tmp.Combine("x"), "/home/missing"));
        Assert.Equal("/home/missing", e.TreePath);
    }

    [Theory]
    [InlineData("/", new string[0])]
    [InlineData("a", new[] { "a" })]
    [InlineData("/a/b", new[] { "a", "b" })]
    [InlineData("a/b/", new[] { "a", "b", "" })]
    [InlineData("//", new[] { "", "" })]
    [InlineData("", new[] { "" })]
    [InlineData("a//b", new[] { "b" })]
    [InlineData("a///b", new[] { "b" })]
    [InlineData("a//", new string[0])]
    [InlineData("/a/../b", new[] { "a", "..", "b" })]
    public void SplitFollowsOstreeResolution(string subpath, string[] components)
    {
        Assert.Equal(components, SubpathResolver.Split(subpath));
    }
}
