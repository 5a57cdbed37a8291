using System.CommandLine;

namespace Arbor.Cli.Commands.Admin;

/// <summary><c>arbor admin …</c>: commands for a sysroot with deployments (ostree admin).</summary>
public static class AdminCommand
{
    public static Command Create()
    {
        var locator = new SysrootLocator();
        var cmd = new Command("admin", "Commands for managing a host system booted with ostree") { locator.Sysroot, locator.Verbose };
        cmd.Add(AdminCleanupCommand.Create(locator));
        cmd.Add(AdminConfigDiffCommand.Create(locator));
        cmd.Add(AdminDeployCommand.Create(locator));
        cmd.Add(AdminFinalizeStagedCommand.Create(locator));
        cmd.Add(AdminInitFsCommand.Create(locator));
        cmd.Add(AdminOsInitCommand.Create(locator));
        cmd.Add(AdminPinCommand.Create(locator));
        cmd.Add(AdminRollbackCommand.Create(locator));
        cmd.Add(AdminSetDefaultCommand.Create(locator));
        cmd.Add(AdminSetOriginCommand.Create(locator));
        cmd.Add(AdminStatusCommand.Create(locator));
        cmd.Add(AdminSwitchCommand.Create(locator));
        cmd.Add(AdminUndeployCommand.Create(locator));
        cmd.Add(AdminUnlockCommand.Create(locator));
        cmd.Add(AdminUpgradeCommand.Create(locator));
        cmd.Add(AdminKargsCommand.Create(locator));
        cmd.Add(AdminInstutilCommand.Create(locator));
        // ostree admin --print-current-dir: the directory of the first deployment (staged included), made absolute
        var printCurrentDir = new Option<bool>("--print-current-dir") { Description = "Print the current deployment's directory", Hidden = true };
        cmd.Add(printCurrentDir);
        cmd.SetAction(p =>
        {
            if (!p.GetValue(printCurrentDir))
            {
                Common.CommandContext.Get().Error.Write(Common.GOptionHelp.Render(p)); // ostree's usage first
                throw new Arbor.Deploy.DeployException("No \"admin\" subcommand specified");
            }
            var sysroot = locator.Open(p);
            var set = sysroot.Load();
            if (set.Count == 0) throw new Arbor.Deploy.DeployException("Unable to find a deployment in sysroot");
            Common.CommandContext.Get().Out.WriteLine(Path.GetFullPath(sysroot.DeploymentPath(set[0])));
            return 0;
        });
        return cmd;
    }
}
