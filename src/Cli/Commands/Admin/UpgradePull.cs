using Arbor.Cli.Common;
using Arbor.Deploy;
using Arbor.Deploy.Operations;
using Arbor.Repo.Pull;

namespace Arbor.Cli.Commands.Admin;

/// <summary>
/// The pull of <c>admin upgrade</c> and <c>switch</c>: on a terminal it shows <c>pull</c>'s progress line
/// (as <c>ostree admin upgrade</c> shows its pull's), erased before the command prints anything.
/// </summary>
internal static class UpgradePull
{
    public static async Task<PullResult?> RunAsync(Sysroot sysroot, UpgradeSource source, bool dryRun, TerminalProgress? terminal, CancellationToken ct)
    {
        try
        {
            return await Upgrader.PullAsync(sysroot, source, dryRun, ct, terminal);
        }
        finally
        {
            terminal?.Clear();
        }
    }
}
