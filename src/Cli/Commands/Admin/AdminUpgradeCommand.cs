using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Deploy;
using Arbor.Deploy.Operations;

namespace Arbor.Cli.Commands.Admin;

/// <summary>
/// <c>arbor admin upgrade</c>: pull the merge deployment's origin refspec from its remote and
/// deploy it when it changed (ostree 2022.7's flags), plus <c>--check</c>: look without storing
/// anything, exit 77 when there is nothing new.
/// </summary>
public static class AdminUpgradeCommand
{
    public static Command Create(SysrootLocator locator)
    {
        var os = new Option<string?>("--os") { Description = "Use a different operating system root than the current one", HelpName = "OSNAME" };
        var allowDowngrade = new Option<bool>("--allow-downgrade") { Description = "Permit deployment of chronologically older trees" };
        var overrideCommit = new Option<string?>("--override-commit") { Description = "Deploy CHECKSUM instead of the latest tree", HelpName = "CHECKSUM" };
        var pullOnly = new Option<bool>("--pull-only") { Description = "Do not create a deployment, just download" };
        var deployOnly = new Option<bool>("--deploy-only") { Description = "Do not pull, only deploy" };
        var reboot = new Option<bool>("--reboot", "-r") { Description = "Reboot after a successful upgrade" };
        var stage = new Option<bool>("--stage") { Description = "Enable staging (finalization at reboot time)" };
        var check = new Option<bool>("--check") { Description = "Only check whether an update is available (exit 77 if not); download nothing" };
        var cmd = new Command("upgrade", "Construct new tree from current origin and deploy it, if it changed")
        {
            os, reboot, allowDowngrade, overrideCommit, pullOnly, deployOnly, stage, check,
        };
        cmd.SetAction(async (p, ct) =>
        {
            if (p.GetValue(pullOnly) && p.GetValue(deployOnly))
                throw new DeployException("Cannot simultaneously specify --pull-only and --deploy-only");
            if (p.GetValue(pullOnly) && p.GetValue(reboot))
                throw new DeployException("Cannot simultaneously specify --pull-only and --reboot");
            var output = CommandContext.Get().Out;
            var sysroot = locator.OpenForUpdate(p);
            var source = Upgrader.Source(sysroot, sysroot.Load(), p.GetValue(os));
            var terminal = TerminalProgress.ForCommand();

            if (p.GetValue(check))
            {
                var dry = await UpgradePull.RunDryAsync(sysroot, source, terminal, ct);
                var latest = p.GetValue(overrideCommit)
                    ?? (dry is not null ? dry.Refs[0].Commit.ToString() : Arbor.Repo.Refs.RevParser.Resolve(sysroot.Repo, source.Refspec).ToString());
                if (latest == source.Merge.Commit.ToString())
                {
                    output.WriteLine("No update available.");
                    return ExitCodes.NoChanges;
                }
                output.WriteLine($"Update available: {latest}");
                return 0;
            }

            if (p.GetValue(overrideCommit) is { } oc)
            {
                // ostree_sysroot_upgrader_set_origin validates it
                Arbor.Repo.Refs.RevParser.ParseChecksum(oc);
                source.Origin.OverrideCommit = oc;
            }
            var outcome = await UpgradePull.RunAsync(sysroot, source, p.GetValue(allowDowngrade), p.GetValue(deployOnly), terminal, ct);
            if (!outcome.Changed)
            {
                output.WriteLine("No update available.");
                return 0;
            }
            if (p.GetValue(pullOnly)) return 0;
            var request = new DeployRequest
            {
                Refspec = outcome.NewRevision.ToString(), Stateroot = source.Stateroot, Origin = outcome.Source.Origin, Stage = p.GetValue(stage),
            };
            DeployRunner.Run(sysroot, request, terminal);
            return p.GetValue(reboot) ? SystemReboot.Run() : 0;
        });
        return cmd;
    }
}
