using Arbor.Deploy.IO;

namespace Arbor.Deploy.Operations;

/// <summary>
/// <c>admin kargs edit-in-place --append-if-missing=K=V</c>: rewrites the <c>options</c> of every
/// deployment's entry in the current <c>loader.N</c> directly — no new boot version, each entry
/// file replaced atomically but the set of them not (as ostree).
/// </summary>
public static class KargsOperation
{
    public static void EditInPlace(Sysroot sysroot, DeploymentSet set, IReadOnlyList<string> appendIfMissing)
    {
        if (set.Count == 0) throw new DeployException("Unable to find a deployment in sysroot");
        foreach (var d in set.Deployments)
        {
            if (d.IsStaged) throw new DeployException("Editing the kernel arguments of a staged deployment is not supported");
            var kargs = d.KernelArgs;
            foreach (var a in appendIfMissing) kargs.AppendIfMissing(a);
            var entry = d.BootConfig.Clone();
            entry.Options = kargs.ToString();
            var path = sysroot.FullPath($"{SysrootLayout.EntriesDir(set.BootVersion.Version)}/{SysrootLayout.EntryFileName(set.Count - d.Index, d.Stateroot)}");
            FsUtil.ReplaceFile(path, entry.Format());
        }
    }
}
