using Arbor.Deploy.IO;
using Arbor.Repo.Core;
using Arbor.Repo.Remotes;

namespace Arbor.Deploy.Operations;

/// <summary>
/// <c>admin set-origin REMOTE URL [BRANCH]</c>: add the remote to the sysroot (left alone when it
/// exists), then make the deployment's origin track <c>REMOTE:BRANCH</c> (the current branch when
/// none is given). The origin file is replaced atomically; no boot configuration changes.
/// </summary>
public static class SetOriginOperation
{
    public static void Run(Sysroot sysroot, Deployment target, string remote, string url, string? branch, IReadOnlyList<RemoteOption> options)
    {
        if (target.IsStaged) throw new DeployException("Cannot change the origin of a staged deployment");
        var repo = sysroot.Repo;
        RemoteStore.For(repo).Add(remote, url, options, ifNotExists: true);

        var origin = target.Origin?.Clone() ?? OriginFile.Parse("");
        var current = origin.Refspec;
        string? currentRef = current is null ? null : RefName.ParseRefspec(current).Ref;
        var name = branch ?? currentRef ?? throw new DeployException("No origin/refspec in current deployment origin; cannot change via ostree");
        origin.Refspec = $"{remote}:{name}";
        FsUtil.ReplaceFile(sysroot.FullPath(target.OriginRelativePath), origin.ToString(), fsync: true);
        FsUtil.Touch(sysroot.FullPath(SysrootLayout.Deploy));
    }
}
