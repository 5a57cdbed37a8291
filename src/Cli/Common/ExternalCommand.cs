using System.CommandLine;
using Arbor.Repo.Native;

namespace Arbor.Cli.Common;

/// <summary>
/// ostree's CLI extensions: a first verb that is no built-in command runs <c>ostree-VERB</c>, found in
/// <c>/usr/lib/ostree</c> or else on <c>$PATH</c>, in place of this process, with the same arguments (the verb
/// included) and <c>argv[0]</c> the program's name, as ostree's main does.
/// </summary>
internal static class ExternalCommand
{
    /// <summary>Where ostree 2022.7 looks first (its <c>$libdir/ostree</c>).</summary>
    public const string ExtensionDirectory = "/usr/lib/ostree";

    /// <summary>The program for the first verb of <paramref name="args"/> when it is not one of <paramref name="root"/>'s commands, else null.</summary>
    public static string? Find(Command root, string[] args, string? searchPath = null)
    {
        var verb = args.FirstOrDefault(a => a.Length > 0 && a[0] != '-');
        if (verb is null || verb.Contains('/') || root.Subcommands.Any(c => c.Name == verb || c.Aliases.Contains(verb))) return null;
        var name = "ostree-" + verb;
        var inLibDir = Path.Join(ExtensionDirectory, name);
        if (Path.Exists(inLibDir)) return inLibDir;
        foreach (var dir in (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            var candidate = Path.Join(dir.Length == 0 ? "." : dir, name);
            if (Files.IsExecutableFile(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>As ostree's execvp call names it: the full path in the extension directory, else the bare name.</summary>
    private static string Argv0(string program) =>
        Path.GetDirectoryName(program) == ExtensionDirectory ? program : Path.GetFileName(program);

    /// <summary>Replaces this process with <paramref name="program"/>; returns 1 after printing why when that fails.</summary>
    public static int Run(string program, string[] args, TextWriter stderr)
    {
        try
        {
            ProcessImage.Replace(program, [Argv0(program), .. args]);
        }
        catch (NativeIOException e)
        {
            stderr.WriteLine($"error: Executing {Argv0(program)}: {Errno.Describe(e.Errno)}");
        }
        return 1;
    }
}
