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
    [InlineData(new[] { "pull", "--depth=1", "--depth", "2", "o" }, new[] { "pull", "--depth", "2", "o" })]
    [InlineData(new[] { "pull", "-v", "--mirror", "--verbose", "--mirror", "o" }, new[] { "pull", "--verbose", "--mirror", "o" })]
    [InlineData(new[] { "pull", "--subpath=/a", "--subpath", "/b", "-L", "x", "-L=y", "o" }, new[] { "pull", "--subpath=/a", "--subpath", "/b", "-L", "x", "-L=y", "o" })]
    [InlineData(new[] { "pull", "--depth", "-1", "--depth=abc", "--depth=2", "o" }, new[] { "pull", "--depth=abc", "o" })]
    [InlineData(new[] { "log", "--repo=a", "main", "--", "--repo=b" }, new[] { "log", "--repo=a", "main", "--", "--repo=b" })]
    [InlineData(new[] { "admin", "deploy", "--os=a", "--karg=x=1", "--os=b", "--karg=y=2", "r" }, new[] { "admin", "deploy", "--karg=x=1", "--os=b", "--karg=y=2", "r" })]
    public void AnOptionGivenTwiceKeepsItsLastValueOrItsFirstBadOne(string[] given, string[] expected) =>
        Assert.Equal(expected, GOptionStyle.LastValueWins(CommandTree.Build(), given));

    [Theory]
    [InlineData(new[] { "admin", "deploy", "--karg=", "r" }, new[] { "admin", "deploy", "--karg", "", "r" })]
    [InlineData(new[] { "commit", "--subject=", "-b", "main" }, new[] { "commit", "--subject", "", "-b", "main" })]
    [InlineData(new[] { "commit", "--subject==", "--tree=dir=" }, new[] { "commit", "--subject==", "--tree=dir=" })] // values "=" and "dir="
    [InlineData(new[] { "pull", "--mirror=", "o" }, new[] { "pull", "--mirror=", "o" })]          // a flag: left to the parser
    [InlineData(new[] { "log", "main", "--", "--repo=" }, new[] { "log", "main", "--", "--repo=" })] // after "--": an argument
    [InlineData(new[] { "log", "--bogus=", "main" }, new[] { "log", "--bogus=", "main" })]         // unknown: reported as such
    public void AnOptionWithAnEmptyValueAfterTheEqualsSignGetsTheEmptyValue(string[] given, string[] expected) =>
        Assert.Equal(expected, GOptionStyle.EmptyValues(CommandTree.Build(), given));

    [Fact]
    public void AnEmptyValueDoesNotSwallowTheNextArgument()
    {
        // System.CommandLine alone read "--subject= --tree=dir=T" as a missing value (as it read
        // "admin deploy --karg= REF" as --karg=REF with no REF)
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree, smallFiles: 1);
        var checksum = CliRunner.RunOk("commit", $"--repo={_repo}", "-b", "main", "--subject=", $"--tree=dir={tree}").Trim();
        Assert.Matches("^[0-9a-f]{64}$", checksum);
    }

    [Fact]
    public void EveryCommandTakesVerboseAsOstreeDoes()
    {
        var root = CommandTree.Build();
        var missing = new List<string>();
        void Walk(System.CommandLine.Command command, string path)
        {
            foreach (var flag in command.Name == "summary" ? new[] { "--verbose" } : ["--verbose", "-v"])
                if (root.Parse($"{path} {flag}".Trim().Split(' ')).Errors.Any(e => e.Message.Contains(flag, StringComparison.Ordinal))
                    || GOptionStyle.UnknownOption(root.Parse($"{path} {flag}".Trim().Split(' ')), []) is not null)
                    missing.Add($"{path} {flag}");
            foreach (var sub in command.Subcommands) Walk(sub, $"{path} {sub.Name}");
        }
        foreach (var command in root.Subcommands) Walk(command, command.Name);
        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("--repo=R", "remote", "add", "--no-gpg-verify", "o", "http://example.com/repo")]
    [InlineData("refs", "--repo=R", "-v")]
    [InlineData("-v", "config", "--repo=R", "--verbose", "get", "core.mode")]
    [InlineData("summary", "--repo=R", "--verbose", "-v")]
    [InlineData("--repo=/nonexistent", "refs", "--repo=R")]
    [InlineData("refs", "--repo=R", "--list", "--list")]
    [InlineData("config", "--repo=/nonexistent", "--repo=R", "get", "core.mode")]
    [InlineData("prune", "--repo=R", "--no-prune", "--depth", "1", "--depth", "-1")]
    [InlineData("prune", "--repo=R", "--depth=abc", "--depth=1")]
    [InlineData("prune", "--repo=R", "--depth=1", "--depth=abc")]
    [InlineData("remote", "add", "--repo=R", "--no-gpg-verify", "--collection-id=a.b", "--collection-id=c.d", "o", "http://example.com/repo")]
    [InlineData("remote", "add", "--repo=R", "--no-gpg-verify", "--contenturl=http://a/", "--contenturl=http://b/", "o", "http://example.com/repo")]
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

    [Theory]
    [InlineData(new string[0], "error: No command specified")]
    [InlineData(new[] { "nosuchcommand" }, "error: Unknown command 'nosuchcommand'")]
    [InlineData(new[] { "remote" }, "error: No \"remote\" subcommand specified")]
    [InlineData(new[] { "remote", "nosuch" }, "error: Unknown \"remote\" subcommand 'nosuch'")]
    [InlineData(new[] { "admin", "nosuch" }, "error: Unknown \"admin\" subcommand 'nosuch'")]
    [InlineData(new[] { "admin", "kargs" }, "error: No \"admin kargs\" subcommand specified")]
    [InlineData(new[] { "admin", "instutil", "x" }, "error: Unknown \"admin instutil\" subcommand 'x'")]
    public void AMissingOrUnknownCommandIsNamedAsOstreeNamesIt(string[] args, string expected)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(expected, r.Stderr.TrimEnd('\n').Split('\n')[^1]);
        Assert.Equal(expected, OstreeOracle.Run(args).Stderr.TrimEnd('\n').Split('\n')[^1]);
    }
}
