using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Repo.Core;
using Arbor.Repo.Remotes;
using Arbor.Repo.Store;

namespace Arbor.Cli.Commands.Remote;

/// <summary><c>arbor remote COMMAND</c>: remote configuration and queries.</summary>
public static class RemoteCommand
{
    public static Command Create()
    {
        var cmd = new Command("remote", "Remote commands that may involve internet access");
        cmd.Add(RemoteAddCommand.Create());
        cmd.Add(RemoteDeleteCommand.Create());
        cmd.Add(RemoteShowUrlCommand.Create());
        cmd.Add(RemoteListCommand.Create());
        cmd.Add(RemoteGpgImportCommand.Create());
        cmd.Add(RemoteGpgListKeysCommand.Create());
        cmd.Add(RemoteAddCookieCommand.Create());
        cmd.Add(RemoteDeleteCookieCommand.Create());
        cmd.Add(RemoteListCookiesCommand.Create());
        cmd.Add(RemoteRefsCommand.Create());
        cmd.Add(RemoteSummaryCommand.Create());
        return cmd;
    }

    /// <summary>
    /// The remotes a remote command works on: <c>--sysroot=PATH</c> means PATH/ostree/repo, with
    /// PATH/etc/ostree/remotes.d only when PATH is not ostree's "physical" sysroot: the running system seen
    /// through "/", or a deployment (it has <c>sysroot</c>); otherwise the repo of
    /// <c>--repo</c> (the system repo reads /etc/ostree/remotes.d, as in ostree).
    /// </summary>
    internal static RemoteStore Open(string? repoOption, string? sysrootOption = null)
    {
        if (!string.IsNullOrEmpty(sysrootOption))
        {
            var repoPath = Path.Combine(sysrootOption, "ostree/repo");
            if (!Directory.Exists(repoPath)) throw new RepoException($"No sysroot repository at {repoPath}");
            var repo = Repository.Open(repoPath);
            // ostree's "physical" sysroot keeps remotes in the repo config; a deployment (the booted root, or a
            // directory with a sysroot/ inside, which only deployments have) in its etc/ostree/remotes.d
            bool physical = !Arbor.Deploy.Sysroot.Open(sysrootOption).IsRunningRoot() && !Directory.Exists(Path.Combine(sysrootOption, "sysroot"));
            return !physical
                ? RemoteStore.ForSysroot(repo, sysrootOption)
                : new RemoteStore(repo, null);
        }
        return RemoteStore.For(RepoLocator.Open(repoOption));
    }
}
