using System.CommandLine;
using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Cli.Common;

/// <summary>Factories for the options many commands share.</summary>
public static class GlobalOptions
{
    public static Option<string?> Repo() => new("--repo") { Description = "Path to OSTree repository (defaults to current directory or /sysroot/ostree/repo)", HelpName = "PATH" };
    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON" };
    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Print debug information during command processing" };
    public static Option<string?> CacheDir() => new("--cache-dir") { Description = "Use custom cache dir", HelpName = "DIR" };
    public static Option<string?> Sysroot() => new("--sysroot") { Description = "Create a new OSTree sysroot at PATH", HelpName = "PATH" };
}

/// <summary>
/// Finds the repository a command works on: --repo, else the current directory when it looks like
/// a repository (an <c>objects</c> directory and a <c>config</c> file), else $OSTREE_REPO, else
/// <c>ostree/repo</c> of $OSTREE_SYSROOT or of <c>/</c> (ostree_repo_new_default); without --repo, a repository
/// that is not there is "Command requires a --repo argument". The booted system's repository on a read-only
/// <c>/sysroot</c> is remounted writable first (<see cref="Arbor.Deploy.ReadOnlySysrootRemount"/>).
/// </summary>
public static class RepoLocator
{
    public static string PathFor(string? repoOption)
    {
        if (!string.IsNullOrEmpty(repoOption)) return repoOption;
        if (Directory.Exists("objects") && File.Exists("config")) return ".";
        var env = Environment.GetEnvironmentVariable("OSTREE_REPO");
        if (!string.IsNullOrEmpty(env)) return env;
        var sysroot = Environment.GetEnvironmentVariable("OSTREE_SYSROOT");
        return Path.Join(string.IsNullOrEmpty(sysroot) ? "/" : sysroot, "ostree/repo");
    }

    public static Repository Open(string? repoOption)
    {
        var path = PathFor(repoOption);
        // the booted system's repository on a read-only /sysroot: remounted in a namespace of our own
        Arbor.Deploy.ReadOnlySysrootRemount.BeforeSystemRepoOpen(Commands.Admin.SysrootLocator.Options(), path);
        try
        {
            return Repository.Open(path);
        }
        catch (RepoNotFoundException) when (string.IsNullOrEmpty(repoOption))
        {
            throw new RepoException("Command requires a --repo argument");
        }
    }
}
