using System.CommandLine;
using Arbor.Deploy;
using Arbor.Deploy.Operations;

namespace Arbor.Cli.Commands.Admin;

/// <summary><c>arbor admin init-fs [--modern] PATH</c>: lay out an empty sysroot with a bare repo.</summary>
public static class AdminInitFsCommand
{
    public static Command Create(SysrootLocator locator)
    {
        var modern = new Option<bool>("--modern") { Description = "Only create /boot and /ostree" };
        var path = new Argument<string?>("PATH") { Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("init-fs", "Initialize a root filesystem") { modern, path };
        cmd.SetAction(p =>
        {
            var target = p.GetValue(path) ?? throw new DeployException("PATH must be specified");
            InitFsOperation.Run(target, p.GetValue(modern));
            return 0;
        });
        return cmd;
    }
}
