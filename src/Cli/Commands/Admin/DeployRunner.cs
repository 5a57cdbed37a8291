using Arbor.Cli.Common;
using Arbor.Deploy;
using Arbor.Deploy.Operations;
using Arbor.Repo.Checkout;
using Arbor.Repo.Prune;

namespace Arbor.Cli.Commands.Admin;

/// <summary>
/// A deployment as <c>admin deploy</c>, <c>upgrade</c> and <c>switch</c> make it: ostree's lines on stdout,
/// the notes on stderr, and on a terminal the checkout's progress line, erased before each of those lines.
/// </summary>
internal static class DeployRunner
{
    public static Deployment Run(Sysroot sysroot, DeployRequest request, TerminalProgress? terminal)
    {
        var ctx = CommandContext.Get();
        Action<string> journal = ctx.Out.WriteLine, notes = ctx.Error.WriteLine;
        Action<PruneResult> pruned = PruneReport.Print;
        if (terminal is not null)
        {
            journal = terminal.ClearingFirst(journal);
            notes = terminal.ClearingFirst(notes);
            pruned = result =>
            {
                terminal.Clear();
                PruneReport.Print(result);
            };
        }
        try
        {
            return new DeployOperation(terminal?.Lines<CheckoutProgress>(ProgressLines.Checkout))
                .Run(sysroot, request, journal, notes, SysrootLocator.OnLockWait, pruned);
        }
        finally
        {
            terminal?.Clear();
        }
    }
}
