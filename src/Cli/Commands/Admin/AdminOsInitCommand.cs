using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Deploy;
using Arbor.Deploy.Operations;

namespace Arbor.Cli.Commands.Admin;

/// <summary><c>arbor admin os-init STATEROOT</c> (also <c>stateroot-init</c>): the stateroot's deploy/var layout.</summary>
public static class AdminOsInitCommand
{
    public static Command Create(SysrootLocator locator)
    {
        var name = new Argument<string?>("OSNAME") { Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("os-init", "Initialize empty state for given operating system") { name };
        cmd.Aliases.Add("stateroot-init");
        cmd.SetAction(p =>
        {
            var sysroot = locator.Open(p);
            sysroot.Load();
            InitFsOperation.EnsureInitialized(sysroot.Path);
            var osname = p.GetValue(name) ?? throw new DeployException("OSNAME must be specified");
            Stateroot.Init(sysroot, osname);
            CommandContext.Get().Out.WriteLine($"ostree/deploy/{osname} initialized as OSTree root");
            return 0;
        });
        return cmd;
    }
}
