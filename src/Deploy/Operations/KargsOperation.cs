using Arbor.Deploy.IO;

namespace Arbor.Deploy.Operations;

/// <summary>
/// <c>admin kargs edit-in-place --append-if-missing=K=V</c>: rewrites the <c>options</c> of every
/// deployment's entry in the current <c>loader.N</c> directly — no new boot version, each entry
/// file replaced atomically but the set of them not (as ostree). A staged deployment has no entry
/// yet: its arguments go into <c>/run/ostree/staged-deployment</c> for finalize-staged to use, as
/// ostree_sysroot_deployment_set_kargs_in_place does (starting, like ostree, from the state's own
/// <c>kargs</c>, which are empty when staging did not override them).
/// </summary>
public static class KargsOperation
{
    public static void EditInPlace(Sysroot sysroot, DeploymentSet set, IReadOnlyList<string> appendIfMissing)
    {
        if (set.Count == 0) throw new DeployException("Unable to find a deployment in sysroot");
        foreach (var d in set.Deployments)
        {
            var kargs = d.KernelArgs;
            foreach (var a in appendIfMissing) kargs.AppendIfMissing(a);
            if (d.IsStaged)
            {
                (set.StagedState! with { Kargs = kargs.ToArray() }).WriteRewrittenInPlace(sysroot.Options.StagedDeploymentPath);
                continue;
            }
            var entry = d.BootConfig.Clone();
            entry.Options = kargs.ToString();
            var path = sysroot.FullPath($"{SysrootLayout.EntriesDir(set.BootVersion.Version)}/{SysrootLayout.EntryFileName(set.Count - d.Index, d.Stateroot)}");
            FsUtil.ReplaceFile(path, entry.Format());
        }
    }
}
