using System.CommandLine;
using System.Globalization;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Remotes;

namespace Arbor.Cli.Commands.Remote;

/// <summary><c>arbor remote list-cookies NAME</c>: the remote's cookie jar, one block per cookie as ostree prints it.</summary>
public static class RemoteListCookiesCommand
{
    /// <summary>GLib's GDateTime ends with year 9999; ostree leaves out the Expires line past it.</summary>
    private const ulong LastGDateTimeSecond = 253402300799;

    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var name = new Argument<string?>("NAME") { Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("list-cookies", "Show remote repository cookies") { repo, name };
        cmd.SetAction(p =>
        {
            var n = p.GetValue(name) ?? throw new RepoException("NAME must be specified");
            var o = CommandContext.Get().Out;
            foreach (var c in CookieJar.For(RepoLocator.Open(p.GetValue(repo)), n).Cookies())
            {
                o.Write($"--\nDomain: {c.Domain}\nPath: {c.Path}\nName: {c.Name}\nSecure: {c.Secure}\n");
                if (c.Expires <= LastGDateTimeSecond)
                    o.Write($"Expires: {DateTimeOffset.FromUnixTimeSeconds((long)c.Expires).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} +0000\n");
                o.Write($"Value: {c.Value}\n");
            }
            return 0;
        });
        return cmd;
    }
}
