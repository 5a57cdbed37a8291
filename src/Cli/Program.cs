using System.CommandLine;
using Arbor.Cli.Commands;
using Arbor.Cli.Common;

namespace Arbor.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        if (Arbor.Deploy.IO.BootFreezeThaw.IsWatchdogProcess)
        {
            int code = Arbor.Deploy.IO.BootFreezeThaw.RunWatchdog(CommandContext.ProcessError);
            CommandContext.ProcessError.Flush();
            return code;
        }
        Arbor.Deploy.ReadOnlySysrootRemount.Reexec = () => Reexec(args);
        Arbor.Deploy.IO.BootFreezeThaw.WatchdogCommand = SelfCommand();
        // ostree's usage lines name the program as it was started
        if (Environment.GetCommandLineArgs() is [{ Length: > 0 } argv0, ..]) GOptionHelp.ProgramName = argv0;
        var root = CommandTree.Build();
        if (ExternalCommand.Find(root, args) is { } extension)
            return ExternalCommand.Run(extension, args, CommandContext.ProcessError);
        var signals = TerminationSignal.Watch();
        try { return Run(root, args, CommandContext.ProcessOut, CommandContext.ProcessError, CommandContext.OpenProcessStdout()); }
        finally { foreach (var s in signals) s.Dispose(); }
    }

    /// <summary>
    /// Runs this command line again, as this executable, in a private mount namespace (for
    /// <see cref="Arbor.Deploy.ReadOnlySysrootRemount"/>); returns only by throwing.
    /// </summary>
    private static void Reexec(string[] args)
    {
        CommandContext.ProcessOut.Flush();
        CommandContext.ProcessError.Flush();
        Arbor.Deploy.ReadOnlySysrootRemount.ReexecInPrivateNamespace([.. SelfCommand(), .. args]);
    }

    /// <summary>This program's command line before its arguments: the executable (and under <c>dotnet arbor.dll</c> the assembly).</summary>
    private static string[] SelfCommand()
    {
        var self = Environment.ProcessPath ?? "/proc/self/exe";
        return Path.GetFileName(self) == "dotnet" ? [self, Environment.GetCommandLineArgs()[0]] : [self];
    }

    /// <summary>Runs one command line; used by the executable and, in-process, by the tests.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Stream? binaryStdout = null) =>
        Run(CommandTree.Build(), args, stdout, stderr, binaryStdout);

    private static int Run(RootCommand root, string[] args, TextWriter stdout, TextWriter stderr, Stream? binaryStdout)
    {
        // `arbor ls -R … | head`: once the reader is gone, stop quietly, whichever write noticed it
        try { return RunCommand(root, args, stdout, stderr, binaryStdout); }
        catch (Exception e) when (BrokenPipe.Is(e)) { return ExitCodes.BrokenPipe; }
    }

    /// <summary><c>--help</c> or <c>-h</c> among the options (not after <c>--</c>).</summary>
    private static bool HelpRequested(string[] args)
    {
        foreach (var a in args)
        {
            if (a == "--") return false;
            if (a is "--help" or "-h") return true;
        }
        return false;
    }

    private static int RunCommand(RootCommand root, string[] args, TextWriter stdout, TextWriter stderr, Stream? binaryStdout)
    {
        bool version = VersionBlock.Requested(args);
        if (version) args = VersionBlock.Without(args);
        args = GOptionStyle.AdminDropsDashDash(args);
        args = GOptionStyle.LastValueWins(root, GOptionStyle.EmptyValues(root, GOptionStyle.MoveLeadingOptions(root, args)));
        var parse = root.Parse(args, CommandTree.Parsing);
        var config = new InvocationConfiguration
        {
            // the default handler prints stack traces; errors go through ErrorPrinter instead
            EnableDefaultExceptionHandler = false,
            // SIGINT/SIGTERM are TerminationSignal's
            ProcessTerminationTimeout = null,
            Output = stdout,
            Error = stderr,
        };
        bool help = HelpRequested(args);
        if (version && !help)
        {
            // as GOption: a bad option is still an error, anything else (a missing argument) is not
            if (GOptionStyle.OptionErrorMessage(parse, args) is { } optionError)
            {
                stderr.WriteLine($"error: {optionError}");
                return ExitCodes.Usage;
            }
            VersionBlock.Print(stdout);
            stdout.Flush();
            return ExitCodes.Success;
        }
        if (help)
        {
            // GOption's help, whatever else the command line holds or lacks
            stdout.Write(GOptionHelp.Render(parse));
            stdout.Flush();
            return ExitCodes.Success;
        }
        if (parse.Errors.Count > 0)
        {
            // a command that takes a subcommand, given none or an unknown one: ostree prints its usage first
            if (GOptionStyle.CommandGroupError(parse) is not null) stderr.Write(GOptionHelp.Render(parse));
            stderr.WriteLine($"error: {GOptionStyle.ErrorMessage(parse, args)}");
            return ExitCodes.Usage;
        }
        if (GOptionStyle.UnknownOption(parse, args) is { } unknown)
        {
            stderr.WriteLine($"error: Unknown option {unknown}");
            return ExitCodes.Usage;
        }
        var output = new CommandContext(stdout, stderr, binaryStdout);
        CommandContext.Current = output;
        try
        {
            TerminationSignal.CancelInstead(parse.Action is System.CommandLine.Invocation.AsynchronousCommandLineAction);
            return parse.InvokeAsync(config, TerminationSignal.Token).GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            if (TerminationSignal.ExitCodeFor(e) is { } signalled) return signalled;
            if (BrokenPipe.Is(e)) return ExitCodes.BrokenPipe;
            return ErrorPrinter.Print(e, stderr, args.Contains("--verbose"));
        }
        finally
        {
            TerminationSignal.CancelInstead(false);
            stdout.Flush();
            CommandContext.Current = null;
        }
    }
}
