namespace Arbor.Boot;

/// <summary>
/// The command line of arbor-prepare-root / arbor-remount, parsed by hand (no System.CommandLine in the
/// initramfs binary: it must stay small and reflection-free).
/// </summary>
internal sealed class BootOptions
{
    public const string Usage =
        """
        Usage: arbor-prepare-root [OPTION...] SYSROOT
               arbor-prepare-root explain [OPTION...] [SYSROOT]    (same as --dry-run; SYSROOT defaults to /sysroot)
               arbor-prepare-root remount [OPTION...]              (also run as arbor-remount)

        In the initramfs, turn the physical root mounted at SYSROOT into the deployment named by ostree= on
        the kernel command line: the deployment becomes SYSROOT, the physical root SYSROOT/sysroot, with
        /usr read-only and the stateroot's var on /var.

        Options:
          --dry-run              print the mount plan, mount nothing
          --json                 with --dry-run: the plan as JSON
          --cmdline TEXT         use TEXT as the kernel command line instead of /proc/cmdline
          --cmdline-file PATH    read the kernel command line from PATH
          --run-dir DIR          where ostree-booted and the read-only stamp go (default /run,
                                 or $ARBOR_BOOT_RUN_DIR)
          --root DIR             arbor-remount: the root whose /sysroot, /etc and /var to remount (default /)
          -v, --verbose          log every step
          -h, --help             show this help
          --version              show the version

        """;

    public bool Remount { get; private set; }
    public bool DryRun { get; private set; }
    public bool Json { get; private set; }
    public bool Verbose { get; private set; }
    public bool Help { get; private set; }
    public bool ShowVersion { get; private set; }
    public string? CommandLine { get; private set; }
    public string? CommandLineFile { get; private set; }
    public string RunDirectory { get; private set; } =
        Environment.GetEnvironmentVariable(SysrootFacts.RunDirectoryVariable) is { Length: > 0 } env ? env : SysrootFacts.DefaultRunDirectory;
    public string Root { get; private set; } = "";

    public static BootOptions Parse(string programName, IReadOnlyList<string> args)
    {
        var o = new BootOptions { Remount = programName == "arbor-remount" };
        var positional = new List<string>();
        bool explain = false;
        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string Value()
            {
                int eq = a.IndexOf('=');
                if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0) return a[(eq + 1)..];
                if (i + 1 >= args.Count) throw new BootException($"option {a} needs a value");
                return args[++i];
            }
            var name = a.StartsWith("--", StringComparison.Ordinal) && a.IndexOf('=') is > 0 and var eqAt ? a[..eqAt] : a;
            switch (name)
            {
                case "--dry-run": o.DryRun = true; break;
                case "--json": o.Json = true; break;
                case "-v" or "--verbose": o.Verbose = true; break;
                case "-h" or "--help": o.Help = true; break;
                case "--version": o.ShowVersion = true; break;
                case "--cmdline": o.CommandLine = Value(); break;
                case "--cmdline-file": o.CommandLineFile = Value(); break;
                case "--run-dir": o.RunDirectory = Value(); break;
                case "--root": o.Root = Value(); break;
                default:
                    if (a.StartsWith('-') && a != "-")
                        throw new BootException($"unknown option {a}");
                    if (positional.Count == 0 && !o.Remount && a == "explain" && !explain) { explain = true; o.DryRun = true; continue; }
                    if (positional.Count == 0 && !o.Remount && a == "remount" && !explain) { o.Remount = true; continue; }
                    positional.Add(a);
                    break;
            }
        }
        if (o.Help || o.ShowVersion) return o;
        if (o.Json && !o.DryRun) throw new BootException("--json needs --dry-run (or explain)");
        if (o.CommandLine is not null && o.CommandLineFile is not null)
            throw new BootException("--cmdline and --cmdline-file exclude each other");
        if (o.RunDirectory.Length == 0) throw new BootException("--run-dir needs a directory");
        if (o.Remount)
        {
            if (positional.Count > 0) throw new BootException($"remount takes no argument: {positional[0]}");
            if (o.Root.Length == 0) o.Root = "/";
            return o;
        }
        if (o.Root.Length > 0) throw new BootException("--root is for remount; give the sysroot as the argument");
        if (positional.Count > 1) throw new BootException($"too many arguments: {positional[1]}");
        if (positional.Count == 0 && !o.DryRun) throw new BootException("usage: arbor-prepare-root SYSROOT");
        o.Root = positional.Count == 1 ? positional[0] : "/sysroot";
        return o;
    }
}
