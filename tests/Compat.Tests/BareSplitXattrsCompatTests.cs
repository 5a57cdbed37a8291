using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// <c>init --mode=bare-split-xattrs</c>, which ostree 2022.7 accepts (its help does not list it):
/// the repository takes metadata but refuses content objects, with the same one-line error.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BareSplitXattrsCompatTests : IDisposable
{
    private const string Refusal = "error: Writing content object: Not allowed due to repo mode\n";
    private readonly TempDirectory _tmp = new("bare-split-xattrs");
    private readonly string _ostree;
    private readonly string _arbor;

    public BareSplitXattrsCompatTests()
    {
        OstreeOracle.Require();
        _ostree = _tmp.Combine("ostree");
        _arbor = _tmp.Combine("arbor");
        OstreeOracle.RunOk("init", $"--repo={_ostree}", "--mode=bare-split-xattrs");
        CliRunner.RunOk("init", $"--repo={_arbor}", "--mode=bare-split-xattrs");
    }

    public void Dispose() => _tmp.Dispose();

    private (CliResult Ostree, CliResult Arbor) Both(params string[] args) =>
        (OstreeOracle.Run([.. args.Select(a => a.Replace("REPO", _ostree))]), CliRunner.Run([.. args.Select(a => a.Replace("REPO", _arbor))]));

    private static void AssertSame((CliResult Ostree, CliResult Arbor) r) =>
        Assert.Equal((r.Ostree.ExitCode, r.Ostree.Stdout, r.Ostree.Stderr), (r.Arbor.ExitCode, r.Arbor.Stdout, r.Arbor.Stderr));

    /// <summary>Arbor leaves nothing behind a refused write: no object, no staging directory.</summary>
    private void AssertArborRepoUntouched()
    {
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_arbor, "objects")));
        Assert.Equal(["cache"], Directory.EnumerateFileSystemEntries(Path.Combine(_arbor, "tmp")).Select(Path.GetFileName));
    }

    [Fact]
    public void InitWritesTheSameConfig()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(_ostree, "config")), File.ReadAllText(Path.Combine(_arbor, "config")));
        Assert.Contains("mode=bare-split-xattrs\n", File.ReadAllText(Path.Combine(_arbor, "config")), StringComparison.Ordinal);
    }

    [Fact]
    public void CommittingFilesIsRefusedAndLeavesNoRef()
    {
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree, 1);
        var r = Both("commit", "--repo=REPO", "-b", "main", $"--tree=dir={tree}", "-s", "x");
        Assert.Equal(Refusal, r.Ostree.Stderr);
        AssertSame(r);
        AssertSame(Both("refs", "--repo=REPO"));
        Assert.Empty(CliRunner.RunOk("refs", $"--repo={_arbor}"));
        AssertArborRepoUntouched();
    }

    [Fact]
    public void PullingFilesIsRefusedAndLeavesNoRef()
    {
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree, 1);
        var source = _tmp.Combine("source");
        RepoBuilders.OstreeCommit(source, tree, "main", "v1");
        var r = Both("pull-local", "--repo=REPO", source, "main");
        Assert.Equal(Refusal, r.Ostree.Stderr);
        AssertSame(r);
        AssertSame(Both("refs", "--repo=REPO"));
        // the metadata verified before the refusal stays, as after an interrupted pull: no content, fsck clean
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_arbor, "objects"), "*.file", SearchOption.AllDirectories));
        Assert.Equal(["cache"], Directory.EnumerateFileSystemEntries(Path.Combine(_arbor, "tmp")).Select(Path.GetFileName));
        CliRunner.RunOk("fsck", $"--repo={_arbor}");
    }

    [Fact]
    public void AnEmptyTreeIsOnlyMetadataAndCommits()
    {
        var empty = _tmp.Combine("empty");
        Directory.CreateDirectory(empty);
        var r = Both("commit", "--repo=REPO", "-b", "e", $"--tree=dir={empty}", "-s", "empty", "--timestamp=2026-01-01T00:00:00Z");
        AssertSame(r);
        Assert.Equal(0, r.Arbor.ExitCode);
        AssertSame(Both("ls", "--repo=REPO", "-R", "e"));
        AssertSame(Both("fsck", "--repo=REPO"));
    }

    [Theory]
    [InlineData("refs", "--repo=REPO")]
    [InlineData("fsck", "--repo=REPO")]
    [InlineData("prune", "--repo=REPO")]
    [InlineData("summary", "-u", "--repo=REPO")]
    [InlineData("config", "--repo=REPO", "get", "core.mode")]
    [InlineData("log", "--repo=REPO", "main")]
    [InlineData("static-delta", "list", "--repo=REPO")]
    public void ReadCommandsOnTheEmptyRepositoryMatch(params string[] args) => AssertSame(Both(args));
}
