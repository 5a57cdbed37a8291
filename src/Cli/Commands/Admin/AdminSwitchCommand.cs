using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Deploy;
using Arbor.Deploy.Operations;
using Arbor.Repo.Core;

namespace Arbor.Cli.Commands.Admin;

/// <summary>
/// <c>arbor admin switch REF</c>: point the merge deployment's origin at another ref
/// (<c>REMOTE:REF</c>, or a bare ref on the same remote), pull it and deploy it.
/// </summary>
public static class AdminSwitchCommand
{
    public static Command Create(SysrootLocator locator)
    {
        var os = new Option<string?>("--os") { Description = "Use a different operating system root than the current one", HelpName = "OSNAME" };
        var reboot = new Option<bool>("--reboot", "-r") { Description = "Reboot after switching trees" };
        var target = new Argument<string?>("REF") { Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("switch", "Construct new tree from REF and deploy it") { os, reboot, target };
        cmd.SetAction(async (p, ct) =>
        {
            var refspec = p.GetValue(target) ?? throw new DeployException("REFSPEC must be specified");
            var output = CommandContext.Get().Out;
            var sysroot = locator.OpenForUpdate(p);
            var source = Upgrader.Source(sysroot, sysroot.Load(), p.GetValue(os), refspec);
            var terminal = TerminalProgress.ForCommand();
            // switching always allows an older commit: two refs need not be related in time
            var outcome = await UpgradePull.RunAsync(sysroot, source, allowOlder: true, deployOnly: false, terminal, ct);
            DeployRunner.Run(sysroot, new DeployRequest
            {
                Refspec = outcome.NewRevision.ToString(), Stateroot = source.Stateroot, Origin = outcome.Source.Origin,
            }, terminal);

            // the old ref is no longer wanted (its objects go with the next cleanup, as in ostree)
            if (source.Merge.Origin?.Refspec is { } old)
            {
                var (oldRemote, oldRef) = RefName.ParseRefspec(old);
                var refs = sysroot.Repo.Refs;
                // ostree prints "%s:%s" with the remote, which glibc shows as (null) for a local ref, whether or not the ref exists
                output.WriteLine($"Deleting ref '{oldRemote ?? "(null)"}:{oldRef}'");
                if (refs.TryRead(oldRemote, oldRef) is not null) refs.Write(oldRemote, oldRef, null);
            }
            return p.GetValue(reboot) ? SystemReboot.Run() : 0;
        });
        return cmd;
    }
}
