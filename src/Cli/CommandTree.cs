using System.CommandLine;
using Arbor.Cli.Commands;

namespace Arbor.Cli;

/// <summary>The whole command tree, in one place.</summary>
public static class CommandTree
{
    public static RootCommand Build()
    {
        var root = new RootCommand("arbor: an OSTree-compatible OS tree deployment manager");
        root.Add(Commands.Remote.RemoteCommand.Create());
        root.Add(SummaryCommand.Create());
        root.Add(Commands.StaticDelta.StaticDeltaCommand.Create());
        root.Add(PullCommand.Create());
        root.Add(PullLocalCommand.Create());
        root.Add(SignCommand.Create());
        root.Add(GpgSignCommand.Create());
        root.Add(ChecksumCommand.Create());
        root.Add(InitCommand.Create());
        root.Add(RevParseCommand.Create());
        root.Add(RefsCommand.Create());
        root.Add(LogCommand.Create());
        root.Add(ShowCommand.Create());
        root.Add(LsCommand.Create());
        root.Add(CatCommand.Create());
        root.Add(DiffCommand.Create());
        root.Add(ConfigCommand.Create());
        root.Add(ResetCommand.Create());
        root.Add(Commands.Commit.CommitCommand.Create());
        root.Add(Commands.Admin.AdminCommand.Create());
        root.Add(FsckCommand.Create());
        root.Add(PruneCommand.Create());
        root.Add(ExportCommand.Create());
        root.Add(CheckoutCommand.Create());
        return root;
    }
}
