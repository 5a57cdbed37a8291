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

    /// <summary>
    /// <c>admin instutil set-kargs</c> (ostree_sysroot_deployment_set_kargs): the first deployment gets
    /// exactly these kernel arguments (<c>ostree=</c> is added back when the entries are written) and the
    /// deployments are written out as a new boot version, then cleaned up.
    /// </summary>
    public static WriteDeployments.Result? SetKargs(Sysroot sysroot, DeploymentSet set, IReadOnlyList<string> kargs, Action<string>? journal = null)
    {
        if (set.Count == 0) throw new DeployException("Unable to find a deployment in sysroot");
        var first = set[0];
        // ostree asserts here ("For now; instead of this do a redeployment")
        if (first.IsStaged) throw new DeployException("Cannot set the kernel arguments of a staged deployment");
        var entry = first.BootConfig.Clone();
        entry.Options = string.Join(' ', kargs);
        var list = set.Deployments.Select((d, i) => i == 0 ? d with { BootConfig = entry } : d).ToList();
        return WriteDeployments.Run(sysroot, set, list, journal);
    }

    /// <summary>
    /// The command line <c>set-kargs</c> builds (ot-admin-instutil-builtin-set-kargs.c): /proc/cmdline
    /// (less <c>BOOT_IMAGE=</c> and <c>initrd=</c>) or, with <c>--merge</c>, the first deployment's
    /// options; then every <c>--replace</c>, every <c>--append</c>, then the arguments, appended.
    /// </summary>
    public static IReadOnlyList<string> BuildSetKargs(Deployment? first, string? procCmdline, bool merge,
        IReadOnlyList<string> replace, IReadOnlyList<string> append, IReadOnlyList<string> args)
    {
        var kargs = new KernelArgs();
        if (procCmdline is not null)
        {
            foreach (var a in procCmdline.TrimEnd(' ', '\t', '\n', '\r').Split(' ', StringSplitOptions.RemoveEmptyEntries))
                if (!a.StartsWith("BOOT_IMAGE=", StringComparison.Ordinal) && !a.StartsWith("initrd=", StringComparison.Ordinal)) kargs.Append(a);
        }
        else if (merge && first?.BootConfig.Options is { } options)
        {
            foreach (var a in options.Split(' ', StringSplitOptions.RemoveEmptyEntries)) kargs.Append(a);
        }
        foreach (var a in replace) kargs.Replace(a);
        foreach (var a in append) kargs.Append(a);
        foreach (var a in args) kargs.Append(a);
        return kargs.ToArray();
    }
}
