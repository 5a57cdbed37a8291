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
    public static Task<UpgradePullOutcome> RunAsync(Sysroot sysroot, UpgradeSource source, bool allowOlder, bool deployOnly,
        TerminalProgress? terminal, CancellationToken ct) =>
        Erasing(terminal, () => Upgrader.PullForDeployAsync(sysroot, source, allowOlder, deployOnly, ct, terminal));

    /// <summary><c>upgrade --check</c>'s pull: resolves and walks, stores nothing.</summary>
    public static Task<PullResult?> RunDryAsync(Sysroot sysroot, UpgradeSource source, TerminalProgress? terminal, CancellationToken ct) =>
        Erasing(terminal, () => Upgrader.PullAsync(sysroot, source, dryRun: true, ct, terminal));

    /// <summary>Runs a pull and erases its progress line however it ends.</summary>
    private static async Task<T> Erasing<T>(TerminalProgress? terminal, Func<Task<T>> pull)
    {
        try
        {
            return await pull();
        }
        finally
        {
            terminal?.Clear();
        }
    }
}
