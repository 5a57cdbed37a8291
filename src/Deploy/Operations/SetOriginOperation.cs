using Arbor.Deploy.IO;
using Arbor.Repo.Core;
using Arbor.Repo.Remotes;

namespace Arbor.Deploy.Operations;

/// <summary>
/// <c>admin set-origin REMOTE URL [BRANCH]</c>: add the remote to the sysroot (left alone when it
/// exists), then give the deployment a new origin that tracks <c>REMOTE:BRANCH</c> (the current
/// branch when none is given). As ostree (ostree_sysroot_origin_new_from_refspec) the new origin
/// holds the refspec only: pins, unlocked=, override-commit= and other groups are dropped. The
/// origin file is replaced atomically; no boot configuration changes. A staged deployment's origin
/// file exists already (written when staging), so it is replaced the same way, and finalize-staged
/// carries the new one on, as ostree's does.
/// </summary>
public static class SetOriginOperation
{
    public static void Run(Sysroot sysroot, Deployment target, string remote, string url, string? branch, IReadOnlyList<RemoteOption> options)
    {
        Remotes(sysroot).Add(remote, url, options, ifNotExists: true);

        var current = target.Origin?.Refspec;
        string? currentRef = current is null ? null : RefName.ParseRefspec(current).Ref;
        var name = branch ?? currentRef ?? throw new DeployException("No origin/refspec in current deployment origin; cannot change via ostree");
        var origin = OriginFile.FromRefspec($"{remote}:{name}");
        FsUtil.ReplaceFile(sysroot.FullPath(target.OriginRelativePath), origin.ToString(), fsync: true);
        FsUtil.Touch(sysroot.FullPath(SysrootLayout.Deploy));
    }

    /// <summary>
    /// Where ostree's remote add puts a remote of the sysroot repo (get_remotes_d_dir): on the
    /// running system seen through "/" (not the physical root), the booted deployment's
    /// <c>/etc/ostree/remotes.d/NAME.conf</c>; otherwise the repo's own config.
    /// </summary>
    private static RemoteStore Remotes(Sysroot sysroot) =>
        sysroot.IsRunningRoot() ? RemoteStore.ForSysroot(sysroot.Repo, sysroot.Path) : new RemoteStore(sysroot.Repo, null);
}
