namespace Arbor.Cli.Common;

/// <summary>Where a running command writes: the process's stdout/stderr, or the test's captured writers.</summary>
public sealed class CommandContext(TextWriter stdout, TextWriter stderr, Stream? binaryStdout = null)
{
    // AsyncLocal, not ThreadStatic: async commands (pull) keep their writers across awaits
    private static readonly AsyncLocal<CommandContext?> CurrentContext = new();

    public static CommandContext? Current { get => CurrentContext.Value; set => CurrentContext.Value = value; }

    /// <summary>The current context; commands run only inside <see cref="Program.Run"/>.</summary>
    public static CommandContext Get() => Current ?? new CommandContext(ProcessOut, ProcessError);

    /// <summary>
    /// The process's stdout and stderr as plain file streams. Not Console.Out/Error: on a terminal their
    /// first write initializes .NET's terminal handling, which puts the terminal into keypad and
    /// application-cursor mode (ESC[?1h ESC=) and leaves it there; ostree writes no such sequence.
    /// </summary>
    public static readonly TextWriter ProcessOut = FdWriter(1);

    /// <inheritdoc cref="ProcessOut"/>
    public static readonly TextWriter ProcessError = FdWriter(2);

    /// <summary>A new stream on fd 1 for raw bytes.</summary>
    public static Stream OpenProcessStdout() => FdStream(1);

    private static Stream FdStream(int fd) => new FdWriteStream(fd);

    private static TextWriter FdWriter(int fd) =>
        TextWriter.Synchronized(new StreamWriter(FdStream(fd), new System.Text.UTF8Encoding(false), 4096) { AutoFlush = true });

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
        if (ReferenceEquals(Out, ProcessOut)) return OpenProcessStdout();
        return new TextWriterStream(Out);
    }

    /// <summary>True when stdout is a terminal (progress is shown only then).</summary>
    public bool IsTerminal => ReferenceEquals(Out, ProcessOut) && !Console.IsOutputRedirected;
}
