namespace Arbor.Cli;

/// <summary>Named process exit codes.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    /// <summary>Command-line usage error (System.CommandLine's parse errors).</summary>
    public const int Usage = 1;
    /// <summary><c>admin upgrade --check</c>: nothing new (as rpm-ostree's 77).</summary>
    public const int NoChanges = 77;
    /// <summary>
    /// stdout's reader went away (EPIPE): ostree dies by SIGPIPE, which a shell reports as 128 + 13;
    /// Arbor stops quietly with that status.
    /// </summary>
    public const int BrokenPipe = 141;
    /// <summary>An unexpected internal error (a bug).</summary>
    public const int Internal = 70;
}
