using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// A repository's <c>config</c> read as ostree 2022.7 reads it: the keys it checks when it opens the
/// repository fail every command with its words, numbers are read as C's strtol/strtoull read them.
/// </summary>
public sealed class RepoConfigCompatTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _repo, _tree;

    public RepoConfigCompatTests()
    {
        OstreeOracle.Require();
        _repo = Path.Join(_dir.Path, "repo");
        _tree = Path.Join(_dir.Path, "tree");
        SampleTree.Write(_tree);
        var r = ProcessRunner.Run("ostree", ["init", "--repo=" + _repo, "--mode=archive"]);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    public void Dispose() => _dir.Dispose();

    private (CliResult Ostree, CliResult Arbor) Both(params string[] args) =>
        (ProcessRunner.Run("ostree", [.. args, "--repo=" + _repo]), CliRunner.Run([.. args, "--repo=" + _repo]));

    /// <summary>The booleans ostree reads when it opens a repository fail any command; the other keys are read when used.</summary>
    [Theory]
    [InlineData("fsync=maybe")]
    [InlineData("per-object-fsync=q")]
    [InlineData("disable-xattrs=2")]
    [InlineData("add-remotes-config-dir=no")]
    [InlineData("lock-timeout-secs=x")]
    [InlineData("tmp-expiry-secs=x")]
    [InlineData("payload-link-threshold=y")]
    [InlineData("default-repo-finders=foo;")]
    [InlineData("default-repo-finders=")]
    [InlineData("default-repo-finders=lan;config;")]
    public void ConfigValuesAreCheckedWhenOstreeChecksThem(string keyValue)
    {
        var config = Path.Join(_repo, "config");
        File.WriteAllText(config, File.ReadAllText(config).Replace("[core]\n", "[core]\n" + keyValue + "\n"));
        var (o, a) = Both("refs");
        Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        (o, a) = Both("commit", "-b", "x", "--tree=dir=" + _tree);
        Assert.Equal((o.ExitCode, o.Stderr), (a.ExitCode, a.Stderr));
    }
}
