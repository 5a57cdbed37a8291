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
    /// <summary>The upgrader's pull (see <see cref="Upgrader.PullForDeployAsync"/>), showing progress on a terminal.</summary>
    public static async Task<UpgradePullOutcome> RunAsync(Sysroot sysroot, UpgradeSource source, bool allowOlder, bool deployOnly,
        TerminalProgress? terminal, CancellationToken ct)
    {
        try
        {
            return await Upgrader.PullForDeployAsync(sysroot, source, allowOlder, deployOnly, ct, terminal);
        }
        finally
        {
            terminal?.Clear();
        }
    }

    /// <summary><c>upgrade --check</c>'s pull: resolves and walks, stores nothing.</summary>
    public static async Task<PullResult?> RunDryAsync(Sysroot sysroot, UpgradeSource source, TerminalProgress? terminal, CancellationToken ct)
    {
        try
        {
            return await Upgrader.PullAsync(sysroot, source, dryRun: true, ct, terminal);
        }
        finally
        {
            terminal?.Clear();
        }
    }
}
