using Arbor.Repo.Native;

namespace Arbor.Boot;

/// <summary>
/// Entry point of <c>arbor-prepare-root</c> (and, by argv[0] or the <c>remount</c> subcommand, of
/// <c>arbor-remount</c>). Every failure becomes one line on the console (kmsg/stderr) and a non-zero exit,
/// so the initramfs can drop to its emergency shell with the reason.
/// </summary>
public static class Program
{
    public const int ExitOk = 0, ExitFailure = 1, ExitUsage = 2;
    public const string Version = "arbor-prepare-root (Arbor) 0.1; mounts as ostree-prepare-root 2022.7";

    public static int Main(string[] args)
    {
        var argv0 = Environment.GetCommandLineArgs().FirstOrDefault() ?? "";
        // never System.Console: see StandardStreams
        using var stdout = StandardStreams.Writer(1, autoFlush: false);
        using var stderr = StandardStreams.Writer(2, autoFlush: true);
        return Run(Path.GetFileName(argv0), args, stdout, stderr, () => StandardStreams.Open(1));
    }

    internal static int Run(string programName, string[] args, TextWriter stdout, TextWriter stderr, Func<Stream> rawStdout)
    {
        BootOptions options;
        try
        {
            options = BootOptions.Parse(programName, args);
        }
        catch (BootException e)
        {
            stderr.WriteLine($"{Tag(programName)}: {e.Message}");
            stderr.WriteLine($"Try '{Tag(programName)} --help'.");
            return ExitUsage;
        }
        if (options.Help)
        {
            stdout.Write(BootOptions.Usage);
            return ExitOk;
        }
        if (options.ShowVersion)
        {
            stdout.WriteLine(Version);
            return ExitOk;
        }

        var tag = options.Remount ? "arbor-remount" : "arbor-prepare-root";
        using var log = options.DryRun
            ? BootLog.ToStderr(tag, stderr, options.Verbose)
            : BootLog.Open(tag, stderr, options.Verbose);
        try
        {
            if (options.Remount)
                new Remounter(options.Root, options.RunDirectory, options.DryRun, stdout, log).Run();
            else
                PrepareRoot(options, stdout, rawStdout, log);
            stdout.Flush();
            return ExitOk;
        }
        catch (BootException e)
        {
            log.Error(e.Message);
            return ExitFailure;
        }
        catch (NativeIOException e)
        {
            log.Error(e.Message);
            return ExitFailure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Error(e.Message);
            return ExitFailure;
        }
    }

    private static void PrepareRoot(BootOptions options, TextWriter stdout, Func<Stream> rawStdout, BootLog log)
    {
        var cmdline = options.CommandLine ?? ReadProcCmdline(options);
        var ostree = KernelCommandLine.GetOstreeTarget(cmdline);
        var target = DeploymentTarget.Resolve(options.Root, ostree);
        var config = SysrootConfig.Load(target.Sysroot);
        var facts = SysrootProbe.Gather(target, config, options.RunDirectory, log);
        var plan = MountPlan.Build(facts);
        if (options.DryRun)
        {
            if (options.Json)
            {
                stdout.Flush();
                using var raw = rawStdout();
                PlanWriter.WriteJson(plan, raw);
            }
            else
            {
                PlanWriter.WriteText(plan, stdout);
            }
            return;
        }
        MountExecutor.Run(plan, log);
        // '+' rather than interpolation: see StandardStreams
        log.Info("booting deployment " + target.RelativePath + " (ostree=" + ostree + ")" + (facts.ReadOnlySysroot ? ", read-only sysroot" : ""));
    }

    /// <summary>/proc/cmdline, mounting proc for the lookup when it is not there yet (as ostree does).</summary>
    private static string ReadProcCmdline(BootOptions options)
    {
        var path = options.CommandLineFile ?? KernelCommandLine.DefaultPath;
        if (options.CommandLineFile is not null || File.Exists(path) || options.DryRun)
            return KernelCommandLine.Read(path);
        Mount.Run("proc", "/proc", "proc", MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec);
        try { return KernelCommandLine.Read(path); }
        finally { Mount.Unmount("/proc"); }
    }

    private static string Tag(string programName) =>
        programName == "arbor-remount" ? "arbor-remount" : "arbor-prepare-root";
}
