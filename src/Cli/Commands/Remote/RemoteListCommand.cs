using System.CommandLine;
using Arbor.Cli.Common;

namespace Arbor.Cli.Commands.Remote;

/// <summary><c>arbor remote list [-u]</c>: names sorted; with -u, "NAME  URL" aligned as ostree prints them.</summary>
public static class RemoteListCommand
{
    public static Command Create()
    {
        var repo = GlobalOptions.Repo();
        var showUrls = new Option<bool>("--show-urls", "-u") { Description = "Show remote URLs in list" };
        var cmd = new Command("list", "List remote repository names") { repo, showUrls };
        cmd.SetAction(p =>
        {
            var remotes = RemoteCommand.Open(p.GetValue(repo)).LoadAll();
            var o = CommandContext.Get().Out;
            if (!p.GetValue(showUrls))
            {
                foreach (var name in remotes.Keys) o.WriteLine(name);
                return 0;
            }
            int width = remotes.Keys.Select(k => k.Length).DefaultIfEmpty(0).Max();
            foreach (var (name, remote) in remotes)
                o.WriteLine($"{name.PadRight(width)}  {remote.RequireUrl()}");
            return 0;
        });
        return cmd;
    }
}
