using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Deploy;
using Arbor.Deploy.BootLoader;
using Arbor.Deploy.Etc;
using Arbor.Deploy.Operations;

namespace Arbor.Cli.Commands.Admin;

/// <summary>
/// <c>arbor admin deploy REFSPEC</c>: check the revision out as the new default deployment, with
/// ostree 2022.7's flags, plus <c>--dry-run</c>, which prints the /etc merge plan and writes nothing.
/// </summary>
public static class AdminDeployCommand
{
    public static Command Create(SysrootLocator locator)
    {
        var refspec = new Argument<string?>("REFSPEC") { Arity = ArgumentArity.ZeroOrOne };
        var flags = new DeployFlags();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what the /etc merge would do per file, and change nothing" };
        var stage = new Option<bool>("--stage") { Description = "Complete deployment at OS shutdown" };
        var lockFinalization = new Option<bool>("--lock-finalization") { Description = "Prevent automatic deployment finalization on shutdown", Hidden = true };
        var overlayInitrd = new Option<string[]>("--overlay-initrd") { Description = "Overlay iniramfs file", HelpName = "FILE" };
        var cmd = new Command("deploy", "Checkout revision REFSPEC as the new default deployment") { refspec, stage, lockFinalization, overlayInitrd, dryRun };
        flags.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var rev = p.GetValue(refspec) ?? throw new DeployException("REF/REV must be specified");
            var output = CommandContext.Get().Out;
            var sysroot = locator.Open(p);
            var request = flags.ToRequest(p, rev) with { Stage = p.GetValue(stage), LockFinalization = p.GetValue(lockFinalization) };
            request.Validate();
            if (p.GetValue(overlayInitrd) is { Length: > 0 } initrds && !p.GetValue(dryRun))
                request = request with { OverlayInitrds = initrds.Select(f => OverlayInitrds.Stage(sysroot.Options, f)).ToList() };
            if (p.GetValue(dryRun))
            {
                PrintPlan(DeployDryRun.Run(sysroot, request), output);
                return 0;
            }
            DeployRunner.Run(sysroot, request, TerminalProgress.ForCommand());
            return 0;
        });
        return cmd;
    }

    private static void PrintPlan(DeployPlan plan, TextWriter output)
    {
        output.WriteLine($"Would deploy {plan.Commit} in stateroot {plan.Stateroot}");
        if (plan.Merge is null)
        {
            output.WriteLine("No merge deployment: /etc comes from the new commit's defaults");
            return;
        }
        output.WriteLine($"Merging /etc from deployment {plan.Merge.Name}");
        if (plan.Etc.Count == 0) output.WriteLine("No /etc changes");
        foreach (var item in plan.Etc) output.WriteLine(item.ToString());
        int Count(EtcPlanAction a) => plan.Etc.Count(i => i.Action == a);
        output.WriteLine($"{Count(EtcPlanAction.KeptLocal)} kept local, {Count(EtcPlanAction.NewDefault)} new default, {Count(EtcPlanAction.Added)} added, {Count(EtcPlanAction.Removed)} removed, {Count(EtcPlanAction.Conflict)} conflicts");
    }
}
