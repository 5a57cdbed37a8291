using System.CommandLine;
using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Cli.Common;

/// <summary>Factories for the options many commands share.</summary>
public static class GlobalOptions
{
    public static Option<string?> Repo() => new("--repo") { Description = "Path to OSTree repository (default: /ostree/repo)", HelpName = "PATH" };
    public static Option<bool> Json() => new("--json") { Description = "Print machine-readable JSON" };
    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Print debug information, and stack traces on errors" };
    public static Option<string?> Sysroot() => new("--sysroot") { Description = "Create a new OSTree sysroot at PATH", HelpName = "PATH" };
}

/// <summary>Finds the repository a command works on: --repo, else $OSTREE_REPO, else /ostree/repo (ot-main.c's rule).</summary>
public static class RepoLocator
{
    public static string PathFor(string? repoOption)
    {
        if (!string.IsNullOrEmpty(repoOption)) return repoOption;
        var env = Environment.GetEnvironmentVariable("OSTREE_REPO");
        if (!string.IsNullOrEmpty(env)) return env;
        return "/ostree/repo";
    }

    public static Repository Open(string? repoOption)
    {
        var path = PathFor(repoOption);
        if (string.IsNullOrEmpty(repoOption) && !Directory.Exists(path) && Environment.GetEnvironmentVariable("OSTREE_REPO") is null)
            throw new RepoException("Command requires a --repo argument");
        return Repository.Open(path);
    }
}
