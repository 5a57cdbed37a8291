using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Remotes;

namespace Arbor.Cli.Commands.Remote;

/// <summary><c>arbor remote add-cookie NAME DOMAIN PATH COOKIE_NAME VALUE</c>: a line in the remote's cookie jar.</summary>
public static class RemoteAddCookieCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        Argument<string?>[] args = [.. new[] { "NAME", "DOMAIN", "PATH", "COOKIE_NAME", "VALUE" }.Select(n => new Argument<string?>(n) { Arity = ArgumentArity.ZeroOrOne })];
        var cmd = new Command("add-cookie", "Add a cookie to remote") { repo };
        foreach (var a in args) cmd.Add(a);
        cmd.SetAction(p =>
        {
            var v = args.Select(a => p.GetValue(a)).ToArray();
            if (v.Any(x => x is null)) throw new RepoException("NAME, DOMAIN, PATH, COOKIE_NAME and VALUE must be specified");
            CookieJar.For(RepoLocator.Open(p.GetValue(repo)), v[0]!).Add(v[1]!, v[2]!, v[3]!, v[4]!, DateTimeOffset.UtcNow);
            return 0;
        });
        return cmd;
    }
}
