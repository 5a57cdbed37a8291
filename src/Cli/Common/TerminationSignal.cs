using System.Runtime.InteropServices;

namespace Arbor.Cli.Common;

/// <summary>
/// SIGINT and SIGTERM as ostree meets them: the signal kills it, so nothing is printed and a shell
/// reports 130 or 143. A synchronous command (commit, checkout ...) keeps the default and dies the
/// same way. An async command (pull, remote refs, admin upgrade ...) is cancelled instead, so that
/// it stops its transfers and leaves the repository resumable, and then exits with 128 + the
/// signal number and no message. (System.CommandLine's own handler is turned off: it cancels
/// before this class could note which signal came.)
/// </summary>
internal static class TerminationSignal
{
    private static readonly CancellationTokenSource Source = new();
    private static int _received;
    private static volatile bool _cancelInstead;

    /// <summary>Cancelled when a signal comes while an async command runs.</summary>
    public static CancellationToken Token => Source.Token;

    /// <summary>Call once per process; the registrations live as long as it does.</summary>
    public static IDisposable[] Watch() =>
        [PosixSignalRegistration.Create(PosixSignal.SIGINT, c => On(c, 2)), PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => On(c, 15))];

    /// <summary>Whether the command about to run takes cancellation rather than the default death.</summary>
    public static void CancelInstead(bool value) => _cancelInstead = value;

    /// <summary>The exit code for a command a signal cancelled, or null when no signal came.</summary>
    public static int? ExitCodeFor(Exception e)
    {
        int signal = Volatile.Read(ref _received);
        return signal != 0 && e is OperationCanceledException or AggregateException { InnerException: OperationCanceledException } ? 128 + signal : null;
    }

    private static void On(PosixSignalContext context, int signal)
    {
        if (!_cancelInstead) return;
        Interlocked.CompareExchange(ref _received, signal, 0);
        context.Cancel = true;
        Source.Cancel();
    }
}
