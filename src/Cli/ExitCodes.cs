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
    /// <summary>An unexpected internal error (a bug).</summary>
    public const int Internal = 70;
}
