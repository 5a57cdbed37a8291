using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Deploy;
using Arbor.Deploy.Operations;

namespace Arbor.Cli.Commands.Admin;

/// <summary><c>arbor admin unlock [--hotfix|--transient]</c>: a writable overlayfs on the booted deployment's /usr.</summary>
public static class AdminUnlockCommand
{
    public static Command Create(SysrootLocator locator)
    {
        var hotfix = new Option<bool>("--hotfix") { Description = "Retain changes across reboots" };
        var transient = new Option<bool>("--transient") { Description = "Mount overlayfs read-only by default" };
        var extra = new Argument<string[]>("ARGS") { Arity = ArgumentArity.ZeroOrMore, Hidden = true };
        var cmd = new Command("unlock", "Make the current deployment mutable (as a hotfix or development)") { hotfix, transient, extra };
        cmd.SetAction(p =>
        {
            if ((p.GetValue(extra) ?? []).Length > 0) throw new DeployException("This command takes no extra arguments");
            var sysroot = locator.Open(p);
            if (sysroot.Load().Booted is null) throw new DeployException("Not currently booted into an OSTree system");
            bool h = p.GetValue(hotfix), t = p.GetValue(transient);
            if (h && t) throw new DeployException("Cannot specify both --hotfix and --transient");
            var state = h ? UnlockedState.Hotfix : t ? UnlockedState.Transient : UnlockedState.Development;
            var output = CommandContext.Get().Out;
            UnlockOperation.Run(sysroot, state, output.WriteLine, SysrootLocator.OnLockWait);
            output.Write(state switch
            {
                UnlockedState.Hotfix => "Hotfix mode enabled.  A writable overlayfs is now mounted on /usr\n"
                    + "for this booted deployment.  A non-hotfixed clone has been created\n"
                    + "as the non-default rollback target.\n",
                UnlockedState.Development => "Development mode enabled.  A writable overlayfs is now mounted on /usr.\n"
                    + "All changes there will be discarded on reboot.\n",
                _ => "A writable overlayfs is prepared for /usr, but is mounted read-only by default.\n"
                    + "All changes there will be discarded on reboot.\n",
            });
            return 0;
        });
        return cmd;
    }
}
