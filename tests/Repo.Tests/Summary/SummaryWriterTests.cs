using Arbor.Repo.GVariant;
using Arbor.Repo.Store;
using Arbor.Repo.Summary;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Summary;

/// <summary>The summary Arbor writes is byte for byte the one ostree writes for the same refs and time.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SummaryWriterTests : IDisposable
{
    private readonly TempDirectory _tmp = new("summary");

    public void Dispose() => _tmp.Dispose();

    private static DateTimeOffset LastModifiedOf(byte[] summary) =>
        DateTimeOffset.FromUnixTimeSeconds((long)SummaryReader.Parse(summary, "test").LastModified!.Value);

    [Fact]
    public void TheVectorSummaryWithAStaticDeltaIsReproducedExactly()
    {
        var (archive, _) = VectorRepos.Extract(_tmp.Path);
        var expected = File.ReadAllBytes(Path.Combine(archive, "summary"));
        Assert.Equal(Vectors.Value("summary.sha256"), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(expected)));

        var bytes = SummaryWriter.Build(Repository.Open(archive), null, LastModifiedOf(expected));

        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void ManyRefsAndAdditionalMetadataMatchOstreeIncludingGLibHashOrderAfterResizes()
    {
        var repo = _tmp.Combine("repo");
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree);
        foreach (var b in new[] { "zeta", "alpha", "os/x86_64/stable", "os/x86_64/beta", "Upper" })
            RepoBuilders.OstreeCommit(repo, tree, b, updateSummary: false);
        // fourteen keys: GLib's table grows from 8 to 16 to 32 slots on the way
        var args = new List<string> { "summary", "-u", $"--repo={repo}" };
        var extra = new List<KeyValuePair<string, GVariantValue>>();
        for (int i = 0; i < 14; i++)
        {
            args.Add($"--add-metadata=key.{i * 37 % 101}=uint32 {i}");
            extra.Add(new($"key.{i * 37 % 101}", GVariantValue.UInt32((uint)i)));
        }
        OstreeOracle.RunOk([.. args]);
        var expected = File.ReadAllBytes(Path.Combine(repo, "summary"));

        var bytes = SummaryWriter.Build(Repository.Open(repo), extra, LastModifiedOf(expected));

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(bytes));
    }

    [Fact]
    public void MirrorAndCollectionBoundRemoteRefsGoIntoTheCollectionMapAsOstreeWritesIt()
    {
        var repo = _tmp.Combine("repo");
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree);
        var main = RepoBuilders.OstreeCommit(repo, tree, "main", updateSummary: false);
        var other = RepoBuilders.OstreeCommit(repo, tree, "other", "second", updateSummary: false, timestamp: "2024-02-01T00:00:00Z");
        Directory.CreateDirectory(Path.Combine(repo, "refs/mirrors/org.ex.A/sub"));
        File.WriteAllText(Path.Combine(repo, "refs/mirrors/org.ex.A/main"), main + "\n");
        File.WriteAllText(Path.Combine(repo, "refs/mirrors/org.ex.A/sub/x"), other + "\n");
        OstreeOracle.RunOk("remote", "add", $"--repo={repo}", "--no-gpg-verify", "--collection-id=org.ex.B", "origin", "http://unused");
        Directory.CreateDirectory(Path.Combine(repo, "refs/remotes/origin"));
        File.WriteAllText(Path.Combine(repo, "refs/remotes/origin/main"), other + "\n");
        OstreeOracle.RunOk("summary", "-u", $"--repo={repo}");
        var expected = File.ReadAllBytes(Path.Combine(repo, "summary"));
        Assert.Contains("Collection Map", OstreeOracle.RunOk("summary", "--view", $"--repo={repo}"));

        var bytes = SummaryWriter.Build(Repository.Open(repo), null, LastModifiedOf(expected));

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(bytes));
    }

    [Fact]
    public void RegenerateWritesTheFileAndRemovesAStaleSignature()
    {
        var repoPath = _tmp.Combine("repo");
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree);
        RepoBuilders.OstreeCommit(repoPath, tree, "main");
        File.WriteAllBytes(Path.Combine(repoPath, "summary.sig"), [0]);
        var repo = Repository.Open(repoPath);

        var bytes = SummaryWriter.Regenerate(repo);

        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(repoPath, "summary")));
        Assert.False(File.Exists(Path.Combine(repoPath, "summary.sig")));
        var parsed = SummaryReader.Parse(bytes, "x");
        var main = Assert.Single(parsed.Refs);
        Assert.Equal(repo.Refs.Read(null, "main"), main.Commit);
        Assert.Equal((ulong)repo.LoadMetadata(new(main.Commit, Arbor.Repo.Core.ObjectType.Commit)).Length, main.CommitSize);
        Assert.Equal("archive-z2", parsed.Mode);
    }

    [Fact]
    public void AutoUpdateSummaryRegeneratesOnlyWhenConfigured()
    {
        var repoPath = _tmp.Combine("repo");
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree);
        RepoBuilders.OstreeCommit(repoPath, tree, "main", updateSummary: false);
        var repo = Repository.Open(repoPath);
        Assert.False(SummaryWriter.MaybeRegenerate(repo));
        Assert.False(File.Exists(Path.Combine(repoPath, "summary")));

        repo.Config.KeyFile.SetBoolean(RepoConfig.CoreGroup, "auto-update-summary", true);
        repo.Config.Save();
        repo.ReloadConfig();
        Assert.True(SummaryWriter.MaybeRegenerate(repo));
        Assert.True(File.Exists(Path.Combine(repoPath, "summary")));
    }

    [Fact]
    public void TheGVariantDictEmulationOrdersKeysAsGLib()
    {
        var dict = new GVariantDict();
        foreach (var k in new[] { "ostree.static-deltas", "ostree.summary.last-modified", "ostree.summary.mode", "ostree.summary.tombstone-commits", "ostree.summary.indexed-deltas" })
            dict.Insert(k, GVariantValue.Boolean(true));
        Assert.Equal(["ostree.summary.mode", "ostree.summary.last-modified", "ostree.summary.tombstone-commits", "ostree.static-deltas", "ostree.summary.indexed-deltas"],
            dict.End().Select(e => e.Key));
        // re-inserting keeps the slot and replaces the value
        dict.Insert("ostree.summary.mode", GVariantValue.Boolean(false));
        Assert.Equal(5, dict.Count);
        Assert.False(dict.End()[0].Value.AsBoolean());
    }
}
