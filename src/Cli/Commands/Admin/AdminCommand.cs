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
        cmd.Add(AdminUpgradeCommand.Create(locator));
        cmd.Add(AdminKargsCommand.Create(locator));
        return cmd;
    }
}
