using System.Security.Cryptography;
using Arbor.Repo.Commit;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Commit;

/// <summary>The vector trees committed with make-vectors.sh's options give the vector checksums, in every mode that keeps xattrs.</summary>
public sealed class VectorCommitTests
{
    internal static CommitRequest Commit1(string dir) => new()
    {
        OwnerUid = 0, OwnerGid = 0, Branch = "vectors/main", Timestamp = 1609459200,
        Subject = "First commit", Body = "Body of the first commit.",
        MetadataStrings = [new("version", "1.0")],
        MetadataVariants = [new("vectors.number", GVariantTextParser.Parse("uint32 42"))],
        DetachedMetadataStrings = [new("vectors.note", "detached")],
        Trees = [new TreeSource(TreeSourceKind.Directory, Path.Combine(dir, "tree1"))],
    };

    internal static CommitRequest Commit2(string dir) => new()
    {
        OwnerUid = 0, OwnerGid = 0, Branch = "vectors/main", Timestamp = 1609545600,
        Subject = "Second commit", MetadataStrings = [new("version", "2.0")],
        Trees = [new TreeSource(TreeSourceKind.Directory, Path.Combine(dir, "tree2"))],
    };

    [Theory]
    [InlineData(RepoMode.Archive)]
    [InlineData(RepoMode.Bare)]
    [InlineData(RepoMode.BareUser)]
    public void VectorTreesGiveTheVectorCommits(RepoMode mode)
    {
        using var tmp = new TempDirectory("vec");
        VectorTrees.Build(tmp.Path);
        var repo = Repository.Create(tmp.Combine("repo"), mode);

        var c1 = CommitBuilder.Commit(repo, Commit1(tmp.Path)).Commit;
        Assert.Equal(Vectors.Value("commit.1"), c1.ToString());
        var c2 = CommitBuilder.Commit(repo, Commit2(tmp.Path)).Commit;
        Assert.Equal(Vectors.Value("commit.2"), c2.ToString());
        Assert.Equal(c1, repo.LoadCommit(c2).Parent); // the branch's commit is the default parent

        var uid1000 = CommitBuilder.Commit(repo, new CommitRequest
        {
            OwnerUid = 1000, OwnerGid = 1000, Branch = "vectors/uid1000", Timestamp = 1609632000, Subject = "Owned by 1000",
            Trees = [new TreeSource(TreeSourceKind.Directory, tmp.Combine("tree3"))],
        }).Commit;
        Assert.Equal(Vectors.Value("commit.uid1000"), uid1000.ToString());

        var large = CommitBuilder.Commit(repo, new CommitRequest
        {
            OwnerUid = 0, OwnerGid = 0, Branch = "vectors/large-dirtree", Timestamp = 1609718400, Subject = "Large dirtree",
            Trees = [new TreeSource(TreeSourceKind.Directory, tmp.Combine("tree4"))],
        }).Commit;
        Assert.Equal(Vectors.Value("commit.large-dirtree"), large.ToString());

        Assert.Equal(Vectors.Value("ref.vectors/main"), repo.Refs.TryRead(null, "vectors/main")?.ToString());
        Assert.Equal(Vectors.Value("ref.vectors/large-dirtree"), repo.Refs.TryRead(null, "vectors/large-dirtree")?.ToString());

        // detached metadata: the same bytes ostree wrote
        var commitMeta = File.ReadAllBytes(repo.FullPath(RepoLayout.CommitMetaPath(c1)));
        Assert.Equal(Vectors.Value("commitmeta.1.sha256-of-file"), Convert.ToHexStringLower(SHA256.HashData(commitMeta)));
        Assert.Equal(int.Parse(Vectors.Value("commitmeta.1.size")), commitMeta.Length);
        Assert.Equal(["cache"], Directory.GetFileSystemEntries(repo.FullPath("tmp")).Select(Path.GetFileName));
    }

    [Fact]
    public void CommitOneMetadataKeysAreInOstreeOrder()
    {
        using var tmp = new TempDirectory("vec");
        VectorTrees.Build(tmp.Path);
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        var c1 = CommitBuilder.Commit(repo, Commit1(tmp.Path)).Commit;
        var keys = repo.LoadCommit(c1).Metadata.Entries.Select(e => e.Key);
        Assert.Equal(["version", "vectors.number", "ostree.ref-binding"], keys);
        Assert.Equal(Vectors.Value("commit.1.content-checksum"), repo.LoadCommit(c1).ContentChecksum.ToString());
    }
}
