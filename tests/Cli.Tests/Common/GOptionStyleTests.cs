using Arbor.Cli.Common;
using Arbor.TestKit;

namespace Arbor.Cli.Tests.Common;

/// <summary>Command-line shapes GOption (ostree) accepts or words differently from System.CommandLine.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class GOptionStyleTests : IDisposable
{
    private readonly TempDirectory _tmp = new("cli-goption");
    private readonly string _repo;

    public GOptionStyleTests()
    {
        _repo = _tmp.Combine("repo");
        CliRunner.RunOk("init", $"--repo={_repo}", "--mode=archive");
    }

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData(new[] { "--repo=R", "refs" }, new[] { "refs", "--repo=R" })]
    [InlineData(new[] { "--repo=R", "remote", "add", "o", "u" }, new[] { "remote", "add", "--repo=R", "o", "u" })]
    [InlineData(new[] { "remote", "--repo=R", "list" }, new[] { "remote", "list", "--repo=R" })]
    [InlineData(new[] { "--sysroot=S", "admin", "--os=x", "status" }, new[] { "admin", "status", "--sysroot=S", "--os=x" })]
    [InlineData(new[] { "commit", "-b", "main", "--tree=dir=d" }, new[] { "commit", "-b", "main", "--tree=dir=d" })]
    [InlineData(new[] { "--help", "refs" }, new[] { "--help", "refs" })]
    [InlineData(new[] { "--repo=R" }, new[] { "--repo=R" })]
    public void LeadingOptionsMoveBehindTheCommandPath(string[] given, string[] expected) =>
        Assert.Equal(expected, GOptionStyle.MoveLeadingOptions(CommandTree.Build(), given));

    [Theory]
    [InlineData("--repo=R", "remote", "add", "--no-gpg-verify", "o", "http://example.com/repo")]
    [InlineData("--repo=R", "remote", "list")]
    [InlineData("--repo=R", "admin", "status")]
    [InlineData("--repo=R", "fsck", "--bogus")]
    [InlineData("--repo=R", "prune", "--depth=abc")]
    [InlineData("--repo=R", "log", "--bogus", "main")]
    public void SameOutputAndErrorsAsOstree(params string[] args)
    {
        OstreeOracle.Require();
        var ostreeRepo = _tmp.Combine("ostree-repo");
        OstreeOracle.RunOk("init", $"--repo={ostreeRepo}", "--mode=archive");
        var o = OstreeOracle.Run(args.Select(a => a.Replace("--repo=R", $"--repo={ostreeRepo}")).ToArray());
        var r = CliRunner.Run(args.Select(a => a.Replace("--repo=R", $"--repo={_repo}")).ToArray());
        Assert.Equal((o.ExitCode == 0, o.Stdout, o.Stderr.Replace(ostreeRepo, "R")), (r.ExitCode == 0, r.Stdout, r.Stderr.Replace(_repo, "R")));
        Assert.Equal(File.ReadAllText(Path.Combine(ostreeRepo, "config")), File.ReadAllText(Path.Combine(_repo, "config")));
    }
}
