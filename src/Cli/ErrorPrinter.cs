using Arbor.Cli.Common;
using Arbor.Repo.Core;

namespace Arbor.Cli;

/// <summary>
/// The single error policy: one line on stderr and a non-zero exit code; a stack trace only for an
/// internal error with --verbose (ostree's -v never adds one to an ordinary error).
/// </summary>
public static class ErrorPrinter
{
    public static int Print(Exception e, TextWriter stderr, bool verbose)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } agg) e = agg.InnerExceptions[0];
        switch (e)
        {
            case ArborException ae:
                stderr.WriteLine($"error: {OneLine(BclMessages.Reword(ae.Message))}");
                return ae.ExitCode;
            case IOException or UnauthorizedAccessException:
                stderr.WriteLine($"error: {OneLine(BclMessages.Reword(e))}");
                return ExitCodes.Failure;
            case OperationCanceledException:
                stderr.WriteLine("error: Operation was cancelled");
                return ExitCodes.Failure;
            default:
                stderr.WriteLine($"error: internal error: {OneLine(e.Message)} ({e.GetType().Name}); rerun with --verbose and report this");
                if (verbose) stderr.WriteLine(e);
                return ExitCodes.Internal;
        }
    }

    /// <summary>Line breaks become spaces; a message's own trailing blank (ostree's "Invalid rev " for an empty ref) stays.</summary>
    private static string OneLine(string s) => s.TrimEnd('\r', '\n').ReplaceLineEndings(" ");
}
