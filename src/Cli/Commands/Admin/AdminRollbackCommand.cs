using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Deploy.Operations;

namespace Arbor.Cli.Commands.Admin;

/// <summary><c>arbor admin rollback</c>: the previous deployment becomes the default (as <c>rpm-ostree rollback</c>).</summary>
public static class AdminRollbackCommand
{
    public static Command Create(SysrootLocator locator)
    {
        var cmd = new Command("rollback", "Make the previous deployment the default");
        cmd.SetAction(p =>
        {
            var output = CommandContext.Get().Out;
            var result = SetDefaultOperation.Rollback(locator.Open(p), output.WriteLine);
            if (result is not null)
                output.WriteLine($"Default deployment is now {result.Deployments[0].Name}");
            return 0;
        });
        return cmd;
    }
}
