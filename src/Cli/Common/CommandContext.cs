namespace Arbor.Cli.Common;

/// <summary>Where a running command writes: the process's stdout/stderr, or the test's captured writers.</summary>
public sealed class CommandContext(TextWriter stdout, TextWriter stderr)
{
    [ThreadStatic] private static CommandContext? _current;

    public static CommandContext? Current { get => _current; set => _current = value; }

    /// <summary>The current context; commands run only inside <see cref="Program.Run"/>.</summary>
    public static CommandContext Get() => _current ?? new CommandContext(Console.Out, Console.Error);

    public TextWriter Out { get; } = stdout;
    public TextWriter Error { get; } = stderr;

    /// <summary>True when stdout is a terminal (progress is shown only then).</summary>
    public bool IsTerminal => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected;
}
