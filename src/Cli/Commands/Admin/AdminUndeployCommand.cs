using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Deploy;
using Arbor.Deploy.Operations;

namespace Arbor.Cli.Commands.Admin;

/// <summary><c>arbor admin undeploy INDEX</c>: drop a deployment from the boot list and delete it.</summary>
public static class AdminUndeployCommand
{
    public static Command Create(SysrootLocator locator)
    {
        // as ostree: arguments after INDEX are ignored
        var index = new Argument<string[]>("INDEX") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("undeploy", "Delete deployment INDEX") { index };
        cmd.SetAction(p =>
        {
            var text = SysrootLocator.FirstIndex(p.GetValue(index));
            var output = CommandContext.Get().Out;
            var sysroot = locator.Open(p);
            var removed = UndeployOperation.Run(sysroot, SysrootLocator.AtoiIndex(text), output.WriteLine, SysrootLocator.OnLockWait);
            output.WriteLine($"Deleted deployment {removed.Name}");
            return 0;
        });
        return cmd;
    }
}
