using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Remotes;

namespace Arbor.Cli.Commands.Remote;

/// <summary><c>arbor remote delete-cookie NAME DOMAIN PATH COOKIE_NAME</c> (further arguments ignored, as ostree does).</summary>
public static class RemoteDeleteCookieCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        Argument<string?>[] args = [.. new[] { "NAME", "DOMAIN", "PATH", "COOKIE_NAME" }.Select(n => new Argument<string?>(n) { Arity = ArgumentArity.ZeroOrOne })];
        var cmd = new Command("delete-cookie", "Remove one cookie from remote") { repo };
        foreach (var a in args) cmd.Add(a);
        // ostree reads the first four arguments and ignores any after them
        cmd.Add(new Argument<string[]>("EXTRA") { Arity = ArgumentArity.ZeroOrMore, Hidden = true });
        cmd.SetAction(p =>
        {
            var v = args.Select(a => p.GetValue(a)).ToArray();
            if (v.Any(x => x is null)) throw new RepoException("NAME, DOMAIN, PATH and COOKIE_NAME must be specified");
            CookieJar.For(RepoLocator.Open(p.GetValue(repo)), v[0]!).Delete(v[1]!, v[2]!, v[3]!);
            return 0;
        });
        return cmd;
    }
}
