using Arbor.TestKit;

namespace Arbor.Cli.Tests.Common;

/// <summary>
/// <c>--help</c> in GOption's shape, as ostree's own test-help.sh reads it: "Usage:" once, the
/// command path, a "Builtin Commands:" list for commands with subcommands; such a command given
/// none or an unknown one prints its usage and ostree's error on stderr.
/// </summary>
public sealed class GOptionHelpTests
{
    [Fact]
    public void TheRootListsTheCommandsInOstreesOrder()
    {
        var r = CliRunner.Run("--help");
        Assert.Equal((0, ""), (r.ExitCode, r.Stderr));
        Assert.StartsWith("Usage:\n  arbor [OPTION…] COMMAND\n\nBuiltin Commands:\n  admin             Commands for managing a host system booted with ostree\n  cat ", r.Stdout);
        Assert.EndsWith("Help Options:\n  -h, --help        Show help options\n\nApplication Options:\n"
            + "  -v, --verbose     Print debug information during command processing\n  --version         Print version information and exit\n\n", r.Stdout);
    }

    [Fact]
    public void ACommandsHelpHasItsSummaryAndOptionsInGOptionsColumns()
    {
        var r = CliRunner.Run("refs", "--help");
        Assert.Equal((0, ""), (r.ExitCode, r.Stderr));
        Assert.StartsWith("Usage:\n  arbor refs [OPTION…] [PREFIX...]\n\nList refs\n\nHelp Options:\n  -h, --help", r.Stdout);
        Assert.Contains("\n  --repo=PATH ", r.Stdout, StringComparison.Ordinal);
        Assert.Single(r.Stdout.Split('\n'), l => l.StartsWith("Usage", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "remote" }, "arbor remote", "No \"remote\" subcommand specified")]
    [InlineData(new[] { "remote", "bogus" }, "arbor remote", "Unknown \"remote\" subcommand 'bogus'")]
    [InlineData(new[] { "admin" }, "arbor admin", "No \"admin\" subcommand specified")]
    [InlineData(new[] { "admin", "instutil" }, "arbor admin instutil", "No \"admin instutil\" subcommand specified")]
    [InlineData(new[] { "static-delta" }, "arbor static-delta", "No command specified")]
    [InlineData(new string[0], "arbor", "No command specified")]
    [InlineData(new[] { "bogus" }, "arbor", "Unknown command 'bogus'")]
    public void AMissingOrUnknownSubcommandPrintsTheUsageThenTheError(string[] args, string usage, string error)
    {
        var r = CliRunner.Run(args);
        Assert.Equal((1, ""), (r.ExitCode, r.Stdout));
        Assert.StartsWith($"Usage:\n  {usage} [OPTION", r.Stderr);
        Assert.EndsWith($"\nerror: {error}\n", r.Stderr);
    }

    /// <summary>The same text as ostree's, but for the program's name (a list of commands both have).</summary>
    [Theory]
    [InlineData("remote", "--help")]
    [InlineData("static-delta", "--help")]
    [InlineData("admin", "instutil", "--help")]
    public void ListsOfSubcommandsMatchOstree(params string[] args)
    {
        OstreeOracle.Require();
        var o = OstreeOracle.Run(args);
        var a = CliRunner.Run(args);
        Assert.Equal((o.ExitCode, o.Stdout.Replace("/usr/bin/ostree", "arbor", StringComparison.Ordinal).Replace("ostree static-delta", "arbor static-delta", StringComparison.Ordinal)), (a.ExitCode, a.Stdout));
    }
}
