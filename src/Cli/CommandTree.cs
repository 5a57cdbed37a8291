using System.CommandLine;
using Arbor.Cli.Commands;

namespace Arbor.Cli;

/// <summary>The whole command tree, in one place.</summary>
public static class CommandTree
{
    public static RootCommand Build()
    {
        var root = new RootCommand("arbor: an OSTree-compatible OS tree deployment manager");
        root.Add(InitCommand.Create());
        root.Add(RevParseCommand.Create());
        root.Add(RefsCommand.Create());
        root.Add(Commands.Commit.CommitCommand.Create());
        root.Add(Commands.Admin.AdminCommand.Create());
        return root;
    }
}
