using System.CommandLine;
using Arbor.Cli.Commands;
using Arbor.Cli.Common;

namespace Arbor.Cli;

/// <summary>The whole command tree, in one place.</summary>
public static class CommandTree
{
    /// <summary>
    /// How arguments are parsed: no response files, since ostree has none and an argument such as
    /// <c>@domain</c> (a gpg key pattern) must reach the command as it is.
    /// </summary>
    public static ParserConfiguration Parsing { get; } = new() { ResponseFileTokenReplacer = null };

    public static RootCommand Build()
    {
        var root = new RootCommand("arbor: an OSTree-compatible OS tree deployment manager");
        // in ostree's order (main.c), which `--help` lists
        root.Add(Commands.Admin.AdminCommand.Create());
        root.Add(CatCommand.Create());
        root.Add(CheckoutCommand.Create());
        root.Add(ChecksumCommand.Create());
        root.Add(Commands.Commit.CommitCommand.Create());
        root.Add(ConfigCommand.Create());
        root.Add(DiffCommand.Create());
        root.Add(ExportCommand.Create());
        root.Add(Commands.Usb.FindRemotesCommand.Create());
        root.Add(Commands.Usb.CreateUsbCommand.Create());
        root.Add(FsckCommand.Create());
        root.Add(GpgSignCommand.Create());
        root.Add(InitCommand.Create());
        root.Add(LogCommand.Create());
        root.Add(LsCommand.Create());
        root.Add(PruneCommand.Create());
        root.Add(PullLocalCommand.Create());
        root.Add(PullCommand.Create());
        root.Add(RefsCommand.Create());
        root.Add(Commands.Remote.RemoteCommand.Create());
        root.Add(ResetCommand.Create());
        root.Add(RevParseCommand.Create());
        root.Add(SignCommand.Create());
        root.Add(ShowCommand.Create());
        root.Add(Commands.StaticDelta.StaticDeltaCommand.Create());
        root.Add(SummaryCommand.Create());
        foreach (var command in root.Subcommands) AddVerbose(command, inherited: false);
        // System.CommandLine's own --version prints the bare assembly version, and only before a command
        root.Options.Remove(root.Options.OfType<VersionOption>().Single());
        root.Add(new Option<bool>(VersionBlock.Flag) { Description = VersionBlock.Option().Description, Recursive = true });
        return root;
    }

    /// <summary>
    /// ostree takes <c>-v, --verbose</c> on every command (only <c>--verbose</c> where <c>-v</c>
    /// means something else, as <c>summary --view</c>): commands that do not declare it get it here.
    /// </summary>
    private static void AddVerbose(Command command, bool inherited)
    {
        var own = command.Options.FirstOrDefault(o => o.Name == "--verbose");
        if (own is null && !inherited)
            command.Add(command.Options.Any(o => o.Aliases.Contains("-v"))
                ? new Option<bool>("--verbose") { Description = GlobalOptions.Verbose().Description }
                : GlobalOptions.Verbose());
        foreach (var sub in command.Subcommands) AddVerbose(sub, inherited || own is { Recursive: true });
    }
}
