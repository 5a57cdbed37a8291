namespace Arbor.Repo.Core;

/// <summary>
/// Base of every user-facing failure. Its <see cref="Exception.Message"/> is one line that the
/// CLI prints as-is after "error: ".
/// </summary>
public class ArborException : Exception
{
    public ArborException(string message) : base(message) { }
    public ArborException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Process exit code the CLI uses for this failure.</summary>
    public virtual int ExitCode => 1;
}
