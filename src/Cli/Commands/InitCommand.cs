using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Cli.Commands;

/// <summary><c>arbor init [--mode=MODE] [--collection-id=ID]</c>: create a repository.</summary>
public static class InitCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var mode = new Option<string>("--mode") { Description = "Initialize repository in given mode (bare, bare-user, bare-user-only, archive)", DefaultValueFactory = _ => "bare" };
        var collectionId = new Option<string?>("--collection-id") { Description = "Globally unique ID for this repository as an collection of refs for redistribution to other repositories" };
        var cmd = new Command("init", "Initialize a new empty repository") { repo, mode, collectionId };
        // ostree's init reads no arguments and ignores any it is given (libtest.sh runs `init init --mode=...`)
        cmd.Add(new Argument<string[]>("EXTRA") { Arity = ArgumentArity.ZeroOrMore, Hidden = true });
        cmd.SetAction(p =>
        {
            var m = p.GetValue(mode)!;
            if (!RepoModes.TryParse(m, out var parsed)) throw new RepoException($"Invalid mode '{m}' in repository configuration");
            Repository.Create(RepoLocator.PathFor(p.GetValue(repo)), parsed, p.GetValue(collectionId));
            return 0;
        });
        return cmd;
    }
}
