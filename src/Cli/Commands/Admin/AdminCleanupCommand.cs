using System.CommandLine;
using Arbor.Deploy.Operations;

namespace Arbor.Cli.Commands.Admin;

/// <summary><c>arbor admin cleanup</c>: remove what no deployment uses (old boot versions, deployment and kernel directories) and prune the system repo.</summary>
public static class AdminCleanupCommand
{
    public static Command Create(SysrootLocator locator)
    {
        var cmd = new Command("cleanup", "Delete untagged deployments and repository objects");
        cmd.SetAction(p =>
        {
            var (sysroot, lk, set) = locator.OpenLocked(p);
            using var _ = lk;
            Cleanup.Run(sysroot, set, prune: true, PruneReport.Print);
            return 0;
        });
        return cmd;
    }
}
