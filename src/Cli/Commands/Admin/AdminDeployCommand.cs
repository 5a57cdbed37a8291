using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Deploy;
using Arbor.Deploy.Etc;
using Arbor.Deploy.Operations;

namespace Arbor.Cli.Commands.Admin;

/// <summary>
/// <c>arbor admin deploy REFSPEC</c>: a new deployment of a ref or checksum from the sysroot's
/// repository, with ostree 2022.7's flags; <c>--dry-run</c> (beyond ostree) prints the /etc merge
/// plan per path and writes nothing.
/// </summary>
public static class AdminDeployCommand
{
    /// <summary>The flags <c>deploy</c>, <c>upgrade</c> and <c>switch</c> share.</summary>
    internal sealed class DeployFlags
    {
        public Option<string?> Os { get; } = new("--os", "--stateroot") { Description = "Use a different operating system root than the current one", HelpName = "OSNAME" };
        public Option<bool> Retain { get; } = new("--retain") { Description = "Do not delete previous deployments" };
        public Option<bool> RetainPending { get; } = new("--retain-pending") { Description = "Do not delete pending deployments" };
        public Option<bool> RetainRollback { get; } = new("--retain-rollback") { Description = "Do not delete rollback deployments" };

        public void AddTo(Command cmd)
        {
            cmd.Add(Os);
            cmd.Add(Retain);
            cmd.Add(RetainPending);
            cmd.Add(RetainRollback);
        }
    }

    public static Command Create(SysrootLocator locator)
    {
        var refspec = new Argument<string?>("REFSPEC") { Arity = ArgumentArity.ZeroOrOne };
        var flags = new DeployFlags();
        var originFile = new Option<string?>("--origin-file") { Description = "Specify origin file", HelpName = "FILENAME" };
        var noPrune = new Option<bool>("--no-prune") { Description = "Don't prune the repo when done" };
        var noMerge = new Option<bool>("--no-merge") { Description = "Do not apply configuration (/etc and kernel arguments) from booted deployment" };
        var notAsDefault = new Option<bool>("--not-as-default") { Description = "Append rather than prepend new deployment" };
        var procCmdline = new Option<bool>("--karg-proc-cmdline") { Description = "Import current /proc/cmdline" };
        var karg = new Option<string[]>("--karg") { Description = "Set kernel argument, like root=/dev/sda1; this overrides any earlier argument with the same name", HelpName = "NAME=VALUE" };
        var kargAppend = new Option<string[]>("--karg-append") { Description = "Append kernel argument; useful with e.g. console= that can be used multiple times", HelpName = "NAME=VALUE" };
        var kargNone = new Option<bool>("--karg-none") { Description = "Do not import kernel arguments" };
        var kargDelete = new Option<string?>("--karg-delete") { Description = "Delete kernel argument if exists", HelpName = "NAME=VALUE" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what the /etc merge would do per file, and write nothing (arbor)" };
        var cmd = new Command("deploy", "Checkout revision REFSPEC as the new default deployment")
        {
            refspec, originFile, noPrune, noMerge, notAsDefault, procCmdline, karg, kargAppend, kargNone, kargDelete, dryRun,
        };
        flags.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var rev = p.GetValue(refspec) ?? throw new DeployException("REF/REV must be specified");
            OriginFile? origin = null;
            if (p.GetValue(originFile) is { } path)
            {
                string text;
                try { text = File.ReadAllText(path); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new DeployException($"Failed to load keyfile: {path}: {e.Message}"); }
                origin = OriginFile.Parse(text, path);
            }
            var request = new DeployRequest
            {
                Refspec = rev,
                Stateroot = p.GetValue(flags.Os),
                Origin = origin,
                NoMerge = p.GetValue(noMerge),
                Retain = p.GetValue(flags.Retain),
                RetainPending = p.GetValue(flags.RetainPending),
                RetainRollback = p.GetValue(flags.RetainRollback),
                NotAsDefault = p.GetValue(notAsDefault),
                KargsNone = p.GetValue(kargNone),
                ProcCmdline = p.GetValue(procCmdline) ? ReadProcCmdline() : null,
                Kargs = p.GetValue(karg) ?? [],
                KargsAppend = p.GetValue(kargAppend) ?? [],
                KargDelete = p.GetValue(kargDelete),
            };
            var sysroot = locator.Open(p);
            if (p.GetValue(dryRun)) return PrintPlan(DeployDryRun.Run(sysroot, request, Path.GetTempPath()));
            Run(sysroot, request);
            return 0;
        });
        return cmd;
    }

    /// <summary>Deploys, with ostree's progress lines on stdout and its notes on stderr.</summary>
    internal static Deployment Run(Sysroot sysroot, DeployRequest request)
    {
        var ctx = CommandContext.Get();
        return new DeployOperation().Run(sysroot, request, ctx.Out.WriteLine, ctx.Error.WriteLine, SysrootLocator.OnLockWait);
    }

    internal static string ReadProcCmdline()
    {
        try { return File.ReadAllText("/proc/cmdline"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new DeployException($"Reading /proc/cmdline: {e.Message}"); }
    }

    private static int PrintPlan(DeployPlan plan)
    {
        var o = CommandContext.Get().Out;
        o.WriteLine($"Would deploy {plan.Commit} for stateroot {plan.Stateroot}");
        if (plan.Merge is null)
        {
            o.WriteLine("No merge deployment: /etc is the new tree's defaults.");
            return 0;
        }
        o.WriteLine($"/etc merge from {plan.Merge.Name}:");
        if (plan.Etc.Count == 0) o.WriteLine("  nothing to merge: no local changes and no new defaults");
        foreach (var item in plan.Etc) o.WriteLine("  " + item);
        var counts = plan.Etc.GroupBy(i => i.Action).OrderBy(g => g.Key).Select(g => $"{g.Count()} {EtcPlanItem.Label(g.Key)}");
        if (plan.Etc.Count > 0) o.WriteLine($"Summary: {string.Join(", ", counts)}");
        return 0;
    }
}
