using System.CommandLine;
using Arbor.Cli.Common;

namespace Arbor.Cli.Commands.Remote;

/// <summary><c>arbor remote show-url NAME</c>.</summary>
public static class RemoteShowUrlCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var name = new Argument<string?>("NAME") { Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("show-url", "Show remote repository URL") { repo, name };
        cmd.SetAction(p =>
        {
            var n = p.GetValue(name) ?? throw new Arbor.Repo.Core.RepoException("NAME must be specified");
            CommandContext.Get().Out.WriteLine(RemoteCommand.Open(p.GetValue(repo)).Get(n).RequireUrl());
            return 0;
        });
        return cmd;
    }
}
