using System.CommandLine;
using System.Reflection;
using Arbor.Repo.Core;

namespace Arbor.Cli.Common;

/// <summary>
/// <c>--version</c>, taken by every command as GOption's is in ostree (<c>ostree refs --version</c>):
/// YAML in the shape of libostree's (<c>libostree:</c> with <c>Version:</c> and <c>Features:</c>),
/// then an <c>arbor:</c> block (<c>Version:</c>, <c>Git:</c>), printed once the options parse,
/// whatever else the command line lacks, and exit 0.
/// </summary>
internal static class VersionBlock
{
    public const string Flag = "--version";

    /// <summary>
    /// What Arbor can do, under the names ostree's <c>--version</c> gives the same capability, so
    /// that a script probing for one (<c>ostree --version | grep -q -e '- libarchive'</c>) finds it.
    /// </summary>
    private static readonly string[] Features =
    [
        "libarchive",   // commit --tree=tar=, export
        "gpgme",        // GPG signing and verification (through gpg)
        "sign-ed25519", // sign, commit --sign, summary --sign
        "selinux",      // commit and checkout --selinux-policy (through libselinux)
        "p2p",          // create-usb, find-remotes, collection-refs
    ];

    public static Option<bool> Option() => new(Flag) { Description = "Print version information and exit" };

    /// <summary>Whether <c>--version</c> is among the options (not after <c>--</c>).</summary>
    public static bool Requested(string[] args)
    {
        foreach (var a in args)
        {
            if (a == "--") return false;
            if (a == Flag) return true;
        }
        return false;
    }

    /// <summary>The command line without its <c>--version</c> flags, for the rest to be parsed as usual.</summary>
    public static string[] Without(string[] args)
    {
        int end = Array.IndexOf(args, "--");
        if (end < 0) end = args.Length;
        return [.. args[..end].Where(a => a != Flag), .. args[end..]];
    }

    /// <summary>
    /// The libostree block, naming the release Arbor implements (so that a script reading
    /// <c>["libostree"]["Version"]</c>, or comparing it, gets the compatibility level), then
    /// Arbor's own version and commit in a block of their own.
    /// </summary>
    public static void Print(TextWriter output)
    {
        output.Write($"libostree:\n Version: '{LibOstree.Version}'\n Features:\n");
        foreach (var feature in Features) output.Write($"  - {feature}\n");
        var informational = typeof(VersionBlock).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        int plus = informational.IndexOf('+');
        output.Write($"arbor:\n Version: '{(plus < 0 ? informational : informational[..plus])}'\n");
        if (plus >= 0) output.Write($" Git: {informational[(plus + 1)..]}\n");
    }
}
