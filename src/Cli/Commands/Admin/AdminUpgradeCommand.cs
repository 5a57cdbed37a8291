using System.CommandLine;
using Arbor.Cli.Common;
using Arbor.Deploy;
using Arbor.Deploy.Operations;
using Arbor.Repo.Core;
using Arbor.Repo.Pull;
using Arbor.Repo.Refs;
using Arbor.Repo.Remotes;

namespace Arbor.Cli.Commands.Admin;

/// <summary>
/// <c>arbor admin upgrade</c>: pull the merge deployment's origin refspec from its remote, then
/// deploy it if it moved (ostree's flags; <c>--check</c>, as rpm-ostree's, exits 77 when nothing is new).
/// <c>arbor admin switch REF</c>: the same, after pointing the origin at another ref.
/// </summary>
public static class AdminUpgradeCommand
{
    public static Command Create(SysrootLocator locator)
    {
        var flags = new AdminDeployCommand.DeployFlags();
        var pullOnly = new Option<bool>("--pull-only") { Description = "Do not create a new deployment, just download" };
        var deployOnly = new Option<bool>("--deploy-only") { Description = "Do not download latest ostree and deployment data" };
        var check = new Option<bool>("--check") { Description = "Only check whether an update is available: exit 77 when there is none (arbor)" };
        var allowDowngrade = new Option<bool>("--allow-downgrade") { Description = "Permit deployment of chronologically older trees" };
        var overrideCommit = new Option<string?>("--override-commit") { Description = "Deploy CHECKSUM instead of the latest tree", HelpName = "CHECKSUM" };
        var cmd = new Command("upgrade", "Construct new tree from current origin and deploy it, if it changed")
        {
            pullOnly, deployOnly, check, allowDowngrade, overrideCommit,
        };
        flags.AddTo(cmd);
        cmd.SetAction(async (p, ct) =>
        {
            if (p.GetValue(pullOnly) && p.GetValue(deployOnly))
                throw new DeployException("Cannot simultaneously specify --pull-only and --deploy-only");
            var sysroot = locator.Open(p);
            var (merge, origin) = MergeAndOrigin(sysroot, p.GetValue(flags.Os));
            if (p.GetValue(overrideCommit) is { } c) origin.OverrideCommit = c;
            return await UpgradeAsync(sysroot, merge, origin, flags, p, new UpgradeMode(p.GetValue(pullOnly), p.GetValue(deployOnly), p.GetValue(check), p.GetValue(allowDowngrade)), ct);
        });
        return cmd;
    }

    public static Command CreateSwitch(SysrootLocator locator)
    {
        var flags = new AdminDeployCommand.DeployFlags();
        var target = new Argument<string?>("REF") { Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("switch", "Construct new tree from REF and deploy it") { target };
        flags.AddTo(cmd);
        cmd.SetAction(async (p, ct) =>
        {
            var newRef = p.GetValue(target) ?? throw new DeployException("REF must be specified");
            var sysroot = locator.Open(p);
            var (merge, origin) = MergeAndOrigin(sysroot, p.GetValue(flags.Os));
            var (oldRemote, _) = Split(origin.Refspec!);
            var (newRemote, branch) = Split(newRef);
            newRemote ??= oldRemote;
            var refspec = newRemote is null ? branch : $"{newRemote}:{branch}";
            if (refspec == origin.Refspec) throw new DeployException($"Old and new refs are equal: {refspec}");
            origin.Refspec = refspec;
            origin.OverrideCommit = null;
            return await UpgradeAsync(sysroot, merge, origin, flags, p, new UpgradeMode(false, false, false, AllowDowngrade: true), ct);
        });
        return cmd;
    }

    private sealed record UpgradeMode(bool PullOnly, bool DeployOnly, bool Check, bool AllowDowngrade);

    private static (Deployment Merge, OriginFile Origin) MergeAndOrigin(Sysroot sysroot, string? os)
    {
        var set = sysroot.Load();
        if (set.Booted is null && os is null)
            throw new DeployException("Looking for booted deployment: Not currently booted into an OSTree system and no --os= argument given");
        var stateroot = os ?? set.Booted!.Stateroot;
        var merge = set.MergeDeployment(stateroot) ?? throw new DeployException($"No previous deployment for OS '{stateroot}'");
        var origin = merge.Origin?.Clone() ?? throw new DeployException($"No origin known for deployment {merge.Commit}.{merge.DeploySerial}");
        if (string.IsNullOrEmpty(origin.Refspec)) throw new DeployException("No origin/refspec in current deployment origin; cannot upgrade via ostree");
        return (merge, origin);
    }

    private static (string? Remote, string Ref) Split(string refspec)
    {
        int colon = refspec.IndexOf(':');
        return colon < 0 ? (null, refspec) : (refspec[..colon], refspec[(colon + 1)..]);
    }

    private static async Task<int> UpgradeAsync(Sysroot sysroot, Deployment merge, OriginFile origin, AdminDeployCommand.DeployFlags flags,
        ParseResult p, UpgradeMode mode, CancellationToken ct)
    {
        var output = CommandContext.Get().Out;
        var (remote, branch) = Split(origin.Refspec!);
        var repo = sysroot.Repo;
        if (!mode.DeployOnly && remote is not null)
        {
            var options = new PullOptions
            {
                Refs = [origin.OverrideCommit is { } oc ? $"{branch}@{oc}" : branch],
                CommitMetadataOnly = mode.Check,
                TimestampCheck = !mode.AllowDowngrade,
            };
            await PullRunner.RunAsync(options, json: false, o => Puller.PullAsync(repo, RemoteStore.ForSysroot(repo, sysroot.Path), remote, o, ct));
        }
        var target = origin.OverrideCommit is { } pinned ? Checksum.Parse(pinned) : RevParser.Resolve(repo, origin.Refspec!);

        if (mode.Check)
        {
            if (target == merge.Commit)
            {
                output.WriteLine("No update available.");
                return ExitCodes.NoChanges;
            }
            output.WriteLine($"Update available: {target}");
            return 0;
        }
        if (mode.PullOnly) return 0;
        if (target == merge.Commit && origin.ToString() == merge.Origin!.ToString())
        {
            output.WriteLine("No update available.");
            return 0;
        }
        AdminDeployCommand.Run(sysroot, new DeployRequest
        {
            Refspec = target.ToString(),
            Stateroot = merge.Stateroot,
            Origin = origin,
            Retain = p.GetValue(flags.Retain),
            RetainPending = p.GetValue(flags.RetainPending),
            RetainRollback = p.GetValue(flags.RetainRollback),
        });
        return 0;
    }
}
