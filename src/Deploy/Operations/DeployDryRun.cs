using Arbor.Deploy.Etc;
using Arbor.Deploy.IO;
using Arbor.Repo.Checkout;
using Arbor.Repo.Core;
using Arbor.Repo.Refs;

namespace Arbor.Deploy.Operations;

/// <summary>What <c>admin deploy --dry-run</c> reports: the commit, the merge deployment and the /etc merge plan.</summary>
public sealed record DeployPlan(string Stateroot, Checksum Commit, Deployment? Merge, IReadOnlyList<EtcPlanItem> Etc);

/// <summary>
/// <c>admin deploy --dry-run</c> (beyond ostree): resolves the revision and predicts the /etc
/// merge against the merge deployment without writing to the sysroot. Only the new commit's
/// default configuration (<c>usr/etc</c>, or <c>etc</c> in an old-style tree) is checked out,
/// in user mode, to a private temporary directory that is removed afterwards.
/// </summary>
public static class DeployDryRun
{
    public static DeployPlan Run(Sysroot sysroot, DeployRequest request)
    {
        request.Validate();
        var set = sysroot.Load();
        if (set.Booted is null && request.Stateroot is null)
            throw new DeployException("Looking for booted deployment: Not currently booted into an OSTree system and no --os= argument given");
        var stateroot = SysrootLayout.CheckName(request.Stateroot ?? set.Booted!.Stateroot, "stateroot");
        // os-init makes only ostree/deploy/OS/var; deploy/ comes with the first deployment
        if (!Directory.Exists(sysroot.FullPath(SysrootLayout.Stateroot(stateroot))))
            throw new DeployException($"No such stateroot: {stateroot}");
        var commit = RevParser.Resolve(sysroot.Repo, request.Refspec);
        var merge = request.NoMerge ? null : set.MergeDeployment(stateroot);
        if (merge is null) return new DeployPlan(stateroot, commit, null, []);

        var temp = Directory.CreateTempSubdirectory("arbor-dry-run-").FullName;
        try
        {
            var newDefaults = Path.Join(temp, "etc");
            if (!TryCheckoutSubpath(sysroot, commit, "/usr/etc", newDefaults) && !TryCheckoutSubpath(sysroot, commit, "/etc", newDefaults))
                Directory.CreateDirectory(newDefaults);
            var mergeDir = sysroot.DeploymentPath(merge);
            var oldDefaults = Path.Join(mergeDir, "usr/etc");
            var local = EtcDiff.Compute(oldDefaults, Path.Join(mergeDir, "etc"));
            return new DeployPlan(stateroot, commit, merge, EtcMergePlan.Compute(local, oldDefaults, newDefaults));
        }
        finally { TreeRemoval.RemoveTree(temp); }
    }

    private static bool TryCheckoutSubpath(Sysroot sysroot, Checksum commit, string subpath, string destination)
    {
        try
        {
            TreeCheckout.Run(sysroot.Repo, commit, destination, new CheckoutOptions { Mode = CheckoutMode.User, ForceCopy = true, Subpath = subpath });
            return true;
        }
        catch (CheckoutPathNotFoundException) { return false; }
    }
}
