using Arbor.Repo.Core;
using Arbor.Repo.Refs;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Refs;

/// <summary>
/// A ref file where a directory of refs would be (refs/heads/vectors/main when looking up vectors/main/x), and
/// refs/heads or refs/remotes gone: ostree's openat/fstatat/opendir errors rather than a missing ref.
/// </summary>
public sealed class RefFileInTheWayTests : IDisposable
{
    private readonly TempDirectory _tmp = new("ref-in-the-way");
    private readonly string _archive;

    public RefFileInTheWayTests() => (_archive, _) = VectorRepos.Extract(_tmp.Path);

    public void Dispose() => _tmp.Dispose();

    /// <summary>`ostree rev-parse vectors/main/x`: "openat(refs/heads/vectors/main/x): Not a directory", not "not found".</summary>
    [Fact]
    public void ResolvingBelowARefFileIsNotADirectory()
    {
        var repo = Repository.Open(_archive);
        var e = Assert.Throws<RepoException>(() => RevParser.Resolve(repo, "vectors/main/x"));
        Assert.Equal("openat(refs/heads/vectors/main/x): Not a directory", e.Message);
        e = Assert.Throws<RepoException>(() => RevParser.TryResolveLocal(repo, "vectors/main/x"));
        Assert.Equal("openat(refs/heads/vectors/main/x): Not a directory", e.Message);
        Assert.Null(RevParser.TryResolveLocal(repo, "vectors/nothere/x"));
    }

    /// <summary>`ostree refs vectors/main/x`: "Listing refs: fstatat(refs/heads/vectors/main/x): Not a directory".</summary>
    [Fact]
    public void ListingBelowARefFileIsNotADirectory()
    {
        var e = Assert.Throws<RepoException>(() => new RefListing(Repository.Open(_archive)).List("vectors/main/x"));
        Assert.Equal("Listing refs: fstatat(refs/heads/vectors/main/x): Not a directory", e.Message);
    }

    /// <summary>`ostree commit -b x` with refs/heads removed: "opendir(refs/heads): No such file or directory", no refs/heads made.</summary>
    [Fact]
    public void WritingARefNeedsRefsHeads()
    {
        var repo = Repository.Open(_archive);
        var c = RevParser.Resolve(repo, "vectors/main");
        Directory.Delete(Path.Combine(_archive, "refs/heads"), recursive: true);
        var e = Assert.Throws<RepoException>(() => RefWriter.Set(repo, null, "x", c));
        Assert.Equal("opendir(refs/heads): No such file or directory", e.Message);
        // a transaction's ref (commit -b) too
        e = Assert.Throws<RepoException>(() => repo.Refs.Write(null, "x", c));
        Assert.Equal("opendir(refs/heads): No such file or directory", e.Message);
        Assert.False(Directory.Exists(Path.Combine(_archive, "refs/heads")));

        Directory.Delete(Path.Combine(_archive, "refs/remotes"), recursive: true);
        e = Assert.Throws<RepoException>(() => RefWriter.Set(repo, "origin", "x", c));
        Assert.Equal("opendir(refs/remotes): No such file or directory", e.Message);
    }
}
