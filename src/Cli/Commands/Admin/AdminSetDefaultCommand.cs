using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Deploy;
using Arbor.Deploy.Operations;

namespace Arbor.Cli.Commands.Admin;

/// <summary><c>arbor admin set-default INDEX</c>: make a deployment the default (as newer ostree's command).</summary>
public static class AdminSetDefaultCommand
{
    public static Command Create(SysrootLocator locator)
    {
        // as ostree: arguments after INDEX are ignored
        var index = new Argument<string[]>("INDEX") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("set-default", "Make deployment INDEX the default") { index };
        cmd.SetAction(p =>
        {
            var text = SysrootLocator.FirstIndex(p.GetValue(index));
            SetDefaultOperation.SetDefault(locator.Open(p), SysrootLocator.AtoiIndex(text), CommandContext.Get().Out.WriteLine);
            return 0;
        });
        return cmd;
    }
}
