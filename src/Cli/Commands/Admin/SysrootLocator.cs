using System.CommandLine;
using Arbor.Deploy;

namespace Arbor.Cli.Commands.Admin;

/// <summary>
/// The options every <c>admin</c> command shares and the sysroot they name: <c>--sysroot</c>, else
/// <c>$OSTREE_SYSROOT</c>, else "/" (ostree's rule). <c>$ARBOR_ROOT_DIR</c> and <c>$ARBOR_RUN_DIR</c>
/// stand in for "/" and "/run" in booted-system detection; they exist for tests.
/// </summary>
public sealed class SysrootLocator
{
    public Option<string?> Sysroot { get; } = new("--sysroot") { Description = "Create a new OSTree sysroot at PATH", HelpName = "PATH", Recursive = true };
    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Print debug information during command processing", Recursive = true };

    public string PathFor(ParseResult p)
    {
        var value = p.GetValue(Sysroot);
        if (!string.IsNullOrEmpty(value)) return value;
        var env = Environment.GetEnvironmentVariable("OSTREE_SYSROOT");
        return string.IsNullOrEmpty(env) ? "/" : env;
    }

    public static SysrootOptions Options() => new()
    {
        RootPath = NonEmpty(Environment.GetEnvironmentVariable("ARBOR_ROOT_DIR")) ?? "/",
        RunDirectory = NonEmpty(Environment.GetEnvironmentVariable("ARBOR_RUN_DIR")) ?? "/run",
        RemountReadOnlySysroot = true,
    };

    public Arbor.Deploy.Sysroot Open(ParseResult p) => Arbor.Deploy.Sysroot.Open(PathFor(p), Options());

    /// <summary>
    /// Opens the sysroot for <c>upgrade</c> and <c>switch</c>, which pull into its repository before
    /// they lock it: on a booted system a read-only <c>/sysroot</c> is remounted first, as ostree
    /// does when such a command starts.
    /// </summary>
    public Arbor.Deploy.Sysroot OpenForUpdate(ParseResult p)
    {
        var sysroot = Open(p);
        ReadOnlySysrootRemount.BeforeSysrootLock(sysroot);
        return sysroot;
    }

    /// <summary>Opens, takes the sysroot lock (telling the user while waiting) and loads the deployments.</summary>
    public (Arbor.Deploy.Sysroot Sysroot, SysrootLock Lock, DeploymentSet Set) OpenLocked(ParseResult p)
    {
        // as ostree_admin_option_context_parse: the sysroot directory, then the lock, then the repo and deployments
        var sysroot = Open(p);
        var l = sysroot.Lock(OnLockWait);
        try
        {
            _ = sysroot.Repo;
            return (sysroot, l, sysroot.Load());
        }
        catch
        {
            l.Dispose();
            throw;
        }
    }

    public static void OnLockWait() => Common.CommandContext.Get().Out.WriteLine("Waiting for sysroot lock...");

    /// <summary>GOption refuses what looks like an option (<c>-1</c> too) where a command takes only arguments; System.CommandLine hands it to them.</summary>
    public static void RefuseOptions(IEnumerable<string> args)
    {
        foreach (var a in args)
            if (a.Length > 1 && a[0] == '-') throw new DeployException($"Unknown option {a}");
    }

    /// <summary>The INDEX of <c>undeploy</c> and <c>set-default</c>: the first argument (ostree ignores the rest).</summary>
    public static string FirstIndex(string[]? args)
    {
        args ??= [];
        RefuseOptions(args);
        return args.Length > 0 ? args[0] : throw new DeployException("INDEX must be specified");
    }

    /// <summary>
    /// <c>pin</c>'s INDEX, read as ostree reads it: g_ascii_strtoull (blanks and a sign before the
    /// digits; "" is 0), anything after the digits refused, then taken as a C <c>int</c>.
    /// </summary>
    public static int ParsePinIndex(string text)
    {
        var (value, end, outOfRange) = Arbor.Repo.Core.GAsciiNumber.ReadUInt64(text);
        if (end != text.Length) throw new DeployException($"Invalid index: {text}");
        if (outOfRange) throw new DeployException($"Index too large: {text}");
        return unchecked((int)value);
    }

    /// <summary><c>undeploy</c>'s and <c>set-default</c>'s INDEX: C's <c>atoi</c>, as ostree reads it (leading digits, else 0).</summary>
    public static int AtoiIndex(string text) => unchecked((int)Arbor.Repo.Core.GAsciiNumber.ToInt64(text));

    /// <summary>Parses an INDEX argument of Arbor's own commands; ostree's <c>pin</c> wording for anything that is not a number.</summary>
    public static int ParseIndex(string text)
    {
        if (text.Length == 0 || !text.All(char.IsAsciiDigit)) throw new DeployException($"Invalid index: {text}");
        return int.TryParse(text, out int i) ? i : throw new DeployException($"Index too large: {text}");
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
