namespace Arbor.Cli.Common;

/// <summary>Where a running command writes: the process's stdout/stderr, or the test's captured writers.</summary>
public sealed class CommandContext(TextWriter stdout, TextWriter stderr)
{
    // AsyncLocal, not ThreadStatic: async commands (pull) keep their writers across awaits
    private static readonly AsyncLocal<CommandContext?> CurrentContext = new();

    public static CommandContext? Current { get => CurrentContext.Value; set => CurrentContext.Value = value; }

    /// <summary>The current context; commands run only inside <see cref="Program.Run"/>.</summary>
    public static CommandContext Get() => Current ?? new CommandContext(Console.Out, Console.Error);

    public TextWriter Out { get; } = stdout;
    public TextWriter Error { get; } = stderr;

    /// <summary>True when stdout is a terminal (progress is shown only then).</summary>
    public bool IsTerminal => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected;
}
