namespace Arbor.Cli.Common;

/// <summary>Where a running command writes: the process's stdout/stderr, or the test's captured writers.</summary>
public sealed class CommandContext(TextWriter stdout, TextWriter stderr, Stream? binaryStdout = null)
{
    // AsyncLocal, not ThreadStatic: async commands (pull) keep their writers across awaits
    private static readonly AsyncLocal<CommandContext?> CurrentContext = new();

    public static CommandContext? Current { get => CurrentContext.Value; set => CurrentContext.Value = value; }

    /// <summary>The current context; commands run only inside <see cref="Program.Run"/>.</summary>
    public static CommandContext Get() => Current ?? new CommandContext(Console.Out, Console.Error);

    public TextWriter Out { get; } = stdout;
    public TextWriter Error { get; } = stderr;

    /// <summary>
    /// Stdout for raw bytes (<c>cat</c>): the stream given to <see cref="Program.Run"/>, the process's
    /// stdout when <see cref="Out"/> is the console, else UTF-8 text into <see cref="Out"/>.
    /// <see cref="Out"/> is flushed first so text and bytes keep their order.
    /// </summary>
    public Stream OpenBinaryOut()
    {
        Out.Flush();
        if (binaryStdout is not null) return binaryStdout;
        if (ReferenceEquals(Out, Console.Out)) return Console.OpenStandardOutput();
        return new TextWriterStream(Out);
    }

    /// <summary>True when stdout is a terminal (progress is shown only then).</summary>
    public bool IsTerminal => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected;
}
