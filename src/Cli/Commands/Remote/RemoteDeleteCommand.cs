using System.CommandLine;

namespace Arbor.Cli.Commands.Remote;

/// <summary><c>arbor remote delete [--if-exists] NAME</c>.</summary>
public static class RemoteDeleteCommand
{
    public static Command Create()
    {
        var ifExists = new Option<bool>("--if-exists") { Description = "Do nothing if the provided remote does not exist" };
        var repo = new Option<string?>("--repo") { Description = "Path to OSTree repository (defaults to /sysroot/ostree/repo)", HelpName = "PATH" };
        var sysroot = new Option<string?>("--sysroot") { Description = "Use sysroot at PATH (overrides --repo)", HelpName = "PATH" };
        var name = new Argument<string?>("NAME") { Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("delete", "Delete a remote repository") { ifExists, repo, sysroot, name };
        cmd.SetAction(p =>
        {
            var n = p.GetValue(name) ?? throw new Arbor.Repo.Core.RepoException("NAME must be specified");
            RemoteCommand.Open(p.GetValue(repo), p.GetValue(sysroot)).Delete(n, p.GetValue(ifExists));
            return 0;
        });
        return cmd;
    }
}
