using Arbor.Repo.Core;
using Arbor.Repo.Refs;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Refs;

/// <summary>Ref listings in ostree's order (readdir walk + GHashTable), checked against the real <c>ostree refs</c>.</summary>
public sealed class RefListingTests : IDisposable
{
    private readonly TempDirectory _tmp = new("reflist");
    private readonly string _archive;

    public RefListingTests() => (_archive, _) = VectorRepos.Extract(_tmp.Path);

    public void Dispose() => _tmp.Dispose();

    /// <summary>basic-test.sh "refs enoent error" (ostree#1467): a missing refs/remotes is an error, in ostree's words.</summary>
    [Fact]
    public void AMissingRemotesDirectoryIsAnError()
    {
        Directory.Move(Path.Combine(_archive, "refs/remotes"), Path.Combine(_archive, "refs/remotes.orig"));
        var e = Assert.Throws<RepoException>(() => new RefListing(Repository.Open(_archive)).List(null));
        Assert.Equal("Listing refs: opendir(refs/remotes): No such file or directory", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(50)]
    [InlineData(500)]
    [InlineData(3000)]
    public void ManyRefsListInOstreeOrder(int count)
    {
        OstreeOracle.Require();
        var names = WriteRandomRefs(_archive, count, seed: count);
        var repo = Repository.Open(_archive);
        var listed = new RefListing(repo).List(null).Keys.ToList();
        Assert.Equal(names.Count + 3 + 2, listed.Count);
        Assert.Equal(OstreeOracle.RunOk("refs", "--repo=" + _archive), string.Concat(listed.Select(l => l + "\n")));

        foreach (var prefix in new[] { "vectors", "origin:", "origin:x", "vectors/main", names[0].Split('/')[0] })
        {
            Assert.Equal(OstreeOracle.RunOk("refs", "--repo=" + _archive, prefix),
                string.Concat(new RefListing(repo).List(prefix).Keys.Select(l => l + "\n")));
            Assert.Equal(OstreeOracle.RunOk("refs", "--repo=" + _archive, "--list", prefix),
                string.Concat(new RefListing(repo) { KeepPrefix = true }.List(prefix).Keys.Select(l => l + "\n")));
        }
    }

    [Fact]
    public void NamesThatAreNotRefFragmentsAreSkipped()
    {
        var heads = Path.Combine(_archive, "refs/heads");
        File.WriteAllText(Path.Combine(heads, ".rsync_info"), "junk");
        File.WriteAllText(Path.Combine(heads, "-dash"), "junk");
        var repo = Repository.Open(_archive);
        Assert.Equal(3, new RefListing(repo).List(null).Count);
    }

    [Fact]
    public void AliasesListTheirTargets()
    {
        var repo = Repository.Open(_archive);
        RefWriter.SetAlias(repo, "a/b/alias", "vectors/main");
        Assert.Equal("../../vectors/main", new FileInfo(Path.Combine(_archive, "refs/heads/a/b/alias")).LinkTarget);
        var aliases = new RefListing(repo) { KeepPrefix = true, AliasesOnly = true }.List(null);
        Assert.Equal([new KeyValuePair<string, string>("a/b/alias", "vectors/main")], aliases.Entries);
        // without the aliases flag an alias is listed like any ref, with its target's checksum
        Assert.True(new RefListing(repo).List(null).TryGetValue("a/b/alias", out var c));
        Assert.Equal(Vectors.Value("commit.2"), c);
    }

    [Fact]
    public void WriterRefusesBadNamesAndConflicts()
    {
        var repo = Repository.Open(_archive);
        var c = Checksum.Parse(Vectors.Value("commit.1"));
        Assert.Equal("Invalid ref name a//b", Assert.Throws<RepoException>(() => RefWriter.Set(repo, null, "a//b", c)).Message);
        Assert.Equal("Invalid remote name -x", Assert.Throws<RepoException>(() => RefWriter.Set(repo, "-x", "a", c)).Message);
        Assert.Equal($"Rev name '{c}' looks like a checksum", Assert.Throws<RepoException>(() => RefWriter.Set(repo, null, c.ToString(), c)).Message);
        // refs/heads/vectors is a directory holding other refs
        Assert.EndsWith(" exists under vectors when attempting write", Assert.Throws<RepoException>(() => RefWriter.Set(repo, null, "vectors", c)).Message);
        // a directory holding nothing is replaced
        Directory.CreateDirectory(Path.Combine(_archive, "refs/heads/emptydir/sub"));
        RefWriter.Set(repo, null, "emptydir", c);
        Assert.Equal(c + "\n", File.ReadAllText(Path.Combine(_archive, "refs/heads/emptydir")));
        // deleting leaves parent directories, as ostree does
        RefWriter.Set(repo, null, "deep/er/ref", c);
        RefWriter.Set(repo, null, "deep/er/ref", null);
        Assert.True(Directory.Exists(Path.Combine(_archive, "refs/heads/deep/er")));
    }

    /// <summary>Writes <paramref name="count"/> refs with varied (nested, unicode, dotted) names plus two remote refs.</summary>
    internal static List<string> WriteRandomRefs(string repo, int count, int seed)
    {
        var rng = new Random(seed);
        const string first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        const string rest = first + "-._";
        var checksum = Vectors.Value("commit.2");
        var names = new List<string>();
        var heads = Path.Combine(repo, "refs/heads");
        while (names.Count < count)
        {
            var parts = Enumerable.Range(0, rng.Next(1, 4)).Select(_ =>
            {
                var s = first[rng.Next(first.Length)] + new string(Enumerable.Range(0, rng.Next(0, 12)).Select(_ => rest[rng.Next(rest.Length)]).ToArray());
                return rng.Next(10) == 0 ? s + "ü" : s;
            });
            var name = string.Join('/', parts);
            var path = Path.Combine(heads, name);
            if (name.StartsWith("vectors", StringComparison.Ordinal) || File.Exists(path) || Directory.Exists(path)) continue;
            var dir = Path.GetDirectoryName(path)!;
            if (Ancestors(dir, heads).Any(File.Exists)) continue;
            Directory.CreateDirectory(dir);
            File.WriteAllText(path, checksum + "\n");
            names.Add(name);
        }
        Directory.CreateDirectory(Path.Combine(repo, "refs/remotes/origin/x"));
        File.WriteAllText(Path.Combine(repo, "refs/remotes/origin/x/y"), checksum + "\n");
        File.WriteAllText(Path.Combine(repo, "refs/remotes/origin/main"), checksum + "\n");
        return names;
    }

    private static IEnumerable<string> Ancestors(string dir, string stop)
    {
        for (var d = dir; d.Length > stop.Length; d = Path.GetDirectoryName(d)!) yield return d;
    }
}
