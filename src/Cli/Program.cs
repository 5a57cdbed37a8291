using System.CommandLine;
using Arbor.Cli.Commands;
using Arbor.Cli.Common;

namespace Arbor.Cli;

public static class Program
{
    public static int Main(string[] args) => Run(args, CommandContext.ProcessOut, CommandContext.ProcessError, CommandContext.OpenProcessStdout());

    /// <summary>
    /// ostree's main takes the first argument that does not start with '-' as the command and hands
    /// the options before it to that command's parser, so <c>ostree --sysroot=S admin status</c> and
    /// <c>ostree --repo=R refs</c> work: the same here, by moving them after the command name.
    /// An option whose value is a separate word (<c>--sysroot S admin</c>) is refused, as ostree does.
    /// </summary>
    internal static string[] MoveLeadingOptions(string[] args)
    {
        int i = 0;
        while (i < args.Length && args[i].StartsWith('-') && args[i] is not ("--help" or "-h" or "-?" or "--version")) i++;
        if (i == 0 || i == args.Length) return args;
        return [args[i], .. args[..i], .. args[(i + 1)..]];
    }

    /// <summary>Runs one command line; used by the executable and, in-process, by the tests.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Stream? binaryStdout = null)
    {
        var root = CommandTree.Build();
        args = MoveLeadingOptions(args);
        var parse = root.Parse(args);
        var config = new InvocationConfiguration
        {
            // the default handler prints stack traces; errors go through ErrorPrinter instead
            EnableDefaultExceptionHandler = false,
            Output = stdout,
            Error = stderr,
        };
        if (parse.Errors.Count > 0 && !args.Contains("--help") && !args.Contains("-h"))
        {
            stderr.WriteLine($"error: {parse.Errors[0].Message}");
            return ExitCodes.Usage;
        }
        if (UnknownOption(parse, args) is { } unknown)
        {
            stderr.WriteLine($"error: Unknown option {unknown}");
            return ExitCodes.Usage;
        }
        var output = new CommandContext(stdout, stderr, binaryStdout);
        CommandContext.Current = output;
        try
        {
            return parse.Invoke(config);
        }
        catch (Exception e)
        {
            return ErrorPrinter.Print(e, stderr, args.Contains("--verbose"));
        }
        finally
        {
            stdout.Flush();
            CommandContext.Current = null;
        }
    }

    /// <summary>
    /// System.CommandLine hands an unrecognized <c>--bogus</c> to a command's positional arguments;
    /// GOption (ostree) rejects it with "Unknown option --bogus". Values after <c>--</c> and
    /// negative numbers are still arguments.
    /// </summary>
    private static string? UnknownOption(ParseResult parse, string[] args)
    {
        int dashDash = Array.IndexOf(args, "--");
        var afterDashDash = dashDash < 0 ? [] : args[(dashDash + 1)..].ToHashSet(StringComparer.Ordinal);
        foreach (var argument in parse.CommandResult.Children.OfType<System.CommandLine.Parsing.ArgumentResult>())
            foreach (var token in argument.Tokens)
            {
                var v = token.Value;
                if (v.Length < 2 || v[0] != '-' || char.IsAsciiDigit(v[1]) || afterDashDash.Contains(v)) continue;
                return v;
            }
        return null;
    }
}
