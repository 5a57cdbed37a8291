using Arbor.Deploy.Etc;
using Arbor.Repo.Checkout;
using Arbor.Repo.Core;
using Arbor.Repo.Refs;

namespace Arbor.Deploy.Operations;

/// <summary>What <c>admin deploy --dry-run</c> reports: the deployment that would be made and the /etc merge per path.</summary>
public sealed record DeployPlan(string Stateroot, Checksum Commit, Deployment? Merge, KernelArgs? KernelArgs, IReadOnlyList<EtcPlanItem> Etc);

/// <summary>
/// <c>admin deploy --dry-run</c> (beyond ostree): resolves the revision and the merge deployment as
/// the deploy would, checks the new tree's <c>/usr/etc</c> out to a scratch directory outside the
/// sysroot, and predicts the three-way merge with <see cref="EtcMergePlan"/>. Writes nothing to the sysroot.
/// </summary>
public static class DeployDryRun
{
    public static DeployPlan Run(Sysroot sysroot, DeployRequest request, string scratchParent)
    {
        request.Validate();
        var set = sysroot.Load();
        if (set.Booted is null && request.Stateroot is null)
            throw new DeployException("Looking for booted deployment: Not currently booted into an OSTree system and no --os= argument given");
        var stateroot = SysrootLayout.CheckName(request.Stateroot ?? set.Booted!.Stateroot, "stateroot");
        var commit = RevParser.Resolve(sysroot.Repo, request.Refspec);
        var merge = request.NoMerge ? null : set.MergeDeployment(stateroot);
        var kargs = request.ComputeKernelArgs(merge);
        if (merge is null) return new DeployPlan(stateroot, commit, null, kargs, []);

        var scratch = Path.Join(scratchParent, $"arbor-dry-run-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var newDefaults = Path.Join(scratch, "etc");
            Directory.CreateDirectory(scratch);
            if (!TryCheckout(sysroot, commit, "/usr/etc", newDefaults) && !TryCheckout(sysroot, commit, "/etc", newDefaults))
                Directory.CreateDirectory(newDefaults);
            var mergeDir = sysroot.DeploymentPath(merge);
            var oldDefaults = Path.Join(mergeDir, "usr/etc");
            var local = EtcDiff.Compute(oldDefaults, Path.Join(mergeDir, "etc"));
            return new DeployPlan(stateroot, commit, merge, kargs, EtcMergePlan.Compute(local, oldDefaults, newDefaults));
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }

    private static bool TryCheckout(Sysroot sysroot, Checksum commit, string subpath, string destination)
    {
        try
        {
            TreeCheckout.Run(sysroot.Repo, commit, destination, new CheckoutOptions { Subpath = subpath, Mode = CheckoutMode.User, ForceCopy = true });
            return true;
        }
        catch (CheckoutException) when (!Directory.Exists(destination))
        {
            return false;
        }
    }
}
