using System.Text.RegularExpressions;
using Arbor.TestKit;

namespace Arbor.Cli.Tests.Common;

/// <summary><c>--version</c> at every command level, as GOption takes it in ostree.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class VersionBlockTests
{
    [Theory]
    [InlineData("--version")]
    [InlineData("refs", "--version")]
    [InlineData("refs", "--version", "--repo=/nonexistent")]
    [InlineData("--repo=/nonexistent", "--version", "refs")]
    [InlineData("admin", "status", "--version")]
    [InlineData("admin", "--version")]
    [InlineData("remote", "--version")]
    [InlineData("remote", "add", "--version")]
    [InlineData("static-delta", "list", "--version")]
    [InlineData("commit", "--version", "--tree=bad")]
    [InlineData("bogus", "--version")]
    public void PrintsTheVersionBlockAndSucceeds(params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.Equal((0, ""), (r.ExitCode, r.Stderr));
        Assert.Matches(BlockShape(), r.Stdout);
        // scripts read ["libostree"]["Version"] (ostree's test-remote-headers.sh builds the User-Agent from it)
        Assert.StartsWith("libostree:\n Version: '2022.7'\n", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("\narbor:\n Version: '", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("  - libarchive\n", r.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("refs", "--version", "--bogus")]
    [InlineData("pull", "--depth=abc", "--version", "origin")]
    [InlineData("log", "--repo=/nonexistent", "main", "--", "--version")]
    public void ABadOptionIsStillAnError(params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
        Assert.StartsWith("error: ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCommandsHelpListsIt()
    {
        var r = CliRunner.Run("admin", "status", "--help");
        Assert.Contains("--version", r.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Same outcome as ostree, its block differing only in version, git, features and the arbor block.</summary>
    [Theory]
    [InlineData("refs", "--version")]
    [InlineData("admin", "status", "--version")]
    [InlineData("remote", "add", "--version")]
    [InlineData("bogus", "--version")]
    [InlineData("refs", "--version", "--bogus")]
    [InlineData("prune", "--depth=abc", "--version")]
    public void SameOutcomeAsOstree(params string[] args)
    {
        OstreeOracle.Require();
        var o = OstreeOracle.Run(args);
        var r = CliRunner.Run(args);
        Assert.Equal((o.ExitCode, Normalize(o.Stdout), o.Stderr), (r.ExitCode, Normalize(r.Stdout), r.Stderr));
        if (o.ExitCode == 0) Assert.Matches(BlockShape(), o.Stdout);
    }

    private static string Normalize(string block) => BlockShape().IsMatch(block) ? "<version block>" : block;

    [GeneratedRegex(@"\A[a-z]+:\n Version: '[^'\n]+'\n( Git: [^\n]+\n)? Features:\n(  - [a-z0-9-]+\n)+(arbor:\n Version: '[^'\n]+'\n( Git: [^\n]+\n)?)?\z")]
    private static partial Regex BlockShape();
}
