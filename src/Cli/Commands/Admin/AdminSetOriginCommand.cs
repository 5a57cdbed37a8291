using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Deploy;
using Arbor.Deploy.Operations;
using Arbor.Repo.Remotes;

namespace Arbor.Cli.Commands.Admin;

/// <summary><c>arbor admin set-origin REMOTENAME URL [BRANCH]</c>: track another remote (and branch) from now on.</summary>
public static class AdminSetOriginCommand
{
    public static Command Create(SysrootLocator locator)
    {
        var set = new Option<string[]>("--set", "-s") { Description = "Set config option KEY=VALUE for remote", HelpName = "KEY=VALUE" };
        var index = new Option<string?>("--index") { Description = "Operate on the deployment INDEX, starting from zero", HelpName = "INDEX" };
        var args = new Argument<string[]>("REMOTENAME URL [BRANCH]") { Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("set-origin", "Set Origin and create a new remote if it doesn't exist") { set, index, args };
        cmd.SetAction(p =>
        {
            // a G_OPTION_ARG_INT, -1 (the default) naming the booted deployment
            int targetIndex = p.GetValue(index) is { } text ? GOptionInt.Parse(text, "--index") : -1;
            // as ostree: arguments after BRANCH are ignored
            var a = p.GetValue(args) ?? [];
            if (a.Length < 2) throw new DeployException("REMOTENAME and URL must be specified");
            var options = new List<RemoteOption>();
            foreach (var kv in p.GetValue(set) ?? [])
            {
                int eq = kv.IndexOf('=');
                if (eq < 0) throw new DeployException("Missing '=' in KEY=VALUE for --set");
                options.Add(RemoteOption.String(kv[..eq], kv[(eq + 1)..]));
            }
            var (sysroot, lk, deployments) = locator.OpenLocked(p);
            using var _ = lk;
            var target = targetIndex != -1
                ? deployments.At(targetIndex)
                : deployments.Booted ?? throw new DeployException("Not currently booted into an OSTree system");
            SetOriginOperation.Run(sysroot, target, a[0], a[1], a.Length > 2 ? a[2] : null, options);
            return 0;
        });
        return cmd;
    }
}
