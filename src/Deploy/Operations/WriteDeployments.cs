using Arbor.Deploy.BootLoader;
using Arbor.Deploy.IO;
using Arbor.Repo.Native;

namespace Arbor.Deploy.Operations;

/// <summary>
/// The one transaction that replaces a sysroot's deployment list (sysroot.md §7). Every
/// deployment must already be on disk. When only the deployments behind unchanged boot entries
/// differ, a new symlink farm is built and <c>ostree/boot.B</c> is renamed onto it; otherwise the
/// other boot version's entries, kernels, farm and boot loader configuration (syslinux.cfg,
/// uEnv.txt, grub.cfg, zipl's stamp: <see cref="BootLoaderDetection"/>) are written, everything is
/// synced, <c>boot/loader</c> is renamed onto <c>loader.B'</c>, and the backend acts on it (zipl).
/// Either rename is the commit point, so a crash leaves the old or the new configuration, never a
/// mix; <see cref="Cleanup"/> removes leftovers.
/// </summary>
public static class WriteDeployments
{
    public sealed record Result(DeploymentSet Deployments, bool BootConfigSwapped, string SubBootDir);

    /// <param name="journal">Receives the lines ostree prints ("Bootloader updated; …").</param>
    /// <param name="cleanup">Run <see cref="Cleanup"/> afterwards (without repo prune).</param>
    public static Result? Run(Sysroot sysroot, DeploymentSet current, IReadOnlyList<Deployment> newList, Action<string>? journal = null, bool cleanup = true)
    {
        // the staged deployment survives only as the first of the new list; anywhere else is an
        // error, and a list without it discards it (ostree_sysroot_write_deployments_with_options)
        bool keepsStaged = current.Staged is { } staged && newList.Count > 0 && newList[0].IsStaged && newList[0].SameAs(staged);
        for (int i = keepsStaged ? 1 : 0; i < newList.Count; i++)
            if (newList[i].IsStaged) throw new DeployException("Staged deployment is not at index 0");
        if (current.Staged is not null && !keepsStaged) DiscardStaged(sysroot, current.Staged);

        var list = BootLinks.AssignBootSerials(newList.Where(d => !d.IsStaged));
        var currentList = current.NonStaged.ToList();
        var repo = sysroot.Repo;

        bool requiresNewBootVersion = list.Count != currentList.Count;
        if (!requiresNewBootVersion)
        {
            bool noop = true;
            for (int i = 0; i < list.Count; i++)
            {
                if (!BootConfigsEqual(sysroot, currentList[i], list[i])) { requiresNewBootVersion = true; noop = false; break; }
                if (!currentList[i].SameAs(list[i])) noop = false;
            }
            if (noop)
            {
                // nothing for the boot loader, but a discarded staged deployment still leaves refs to regenerate
                if (cleanup) Cleanup.Run(sysroot, sysroot.Load(), prune: true);
                return null;
            }
        }

        bool foundBooted = false;
        for (int i = 0; i < list.Count; i++)
        {
            var d = list[i];
            if (d.SameAs(current.Booted)) foundBooted = true;
            var dir = sysroot.DeploymentPath(d);
            if (Files.TryStat(dir) is not { IsDirectory: true }) throw new DeployException($"Unable to find expected deployment root: {dir}");
            list[i] = d with { Index = i };
        }
        if (current.Booted is not null && !foundBooted) throw new DeployException("Attempting to remove booted deployment");

        var bv = current.BootVersion;
        string subBootDir;
        bool atomic;
        if (!requiresNewBootVersion)
        {
            int newSub = 1 - bv.SubVersion;
            BootLinks.Create(sysroot.Path, bv.Version, newSub, list);
            CrashPoint.Hit(CrashPoint.Names.BootLinksCreated);
            SysrootSync.Full(sysroot);
            BootLinks.Swap(sysroot.Path, bv.Version, newSub);
            CrashPoint.Hit(CrashPoint.Names.BootLinksSwapped);
            subBootDir = SysrootLayout.SubBootDirName(bv.Version, newSub);
            atomic = true;
        }
        else
        {
            var config = BootLoaderConfig.Read(repo);
            var backend = BootLoaderDetection.Query(sysroot, config);
            int newBv = bv.Other;
            BootLoaderEntries.Write(sysroot, newBv, list, config);
            CrashPoint.Hit(CrashPoint.Names.EntriesWritten);
            int newSub = 1 - BootVersion.ReadSubVersion(sysroot.Path, newBv);
            BootLinks.Create(sysroot.Path, newBv, newSub, list);
            CrashPoint.Hit(CrashPoint.Names.BootLinksCreated);
            BootLinks.Swap(sysroot.Path, newBv, newSub);
            CrashPoint.Hit(CrashPoint.Names.BootLinksSwapped);
            var write = new BootLoaderWrite(sysroot, newBv, list, current.Booted is not null);
            if (backend is not null)
            {
                WriteBootLoaderConfig(backend, write);
                CrashPoint.Hit(CrashPoint.Names.BootLoaderConfigWritten);
            }
            PrepareLoaderLink(sysroot, newBv);
            CrashPoint.Hit(CrashPoint.Names.LoaderLinkPrepared);
            SysrootSync.Full(sysroot);
            CrashPoint.Hit(CrashPoint.Names.BeforeLoaderSwap);
            SwapLoader(sysroot);
            CrashPoint.Hit(CrashPoint.Names.LoaderSwapped);
            if (backend is not null) PostBlsSync(backend, write);
            subBootDir = SysrootLayout.SubBootDirName(newBv, newSub);
            atomic = backend is { IsAtomic: true };
        }

        journal?.Invoke($"{(atomic ? "Transaction complete" : "Bootloader updated")}; bootconfig swap: {(requiresNewBootVersion ? "yes" : "no")}; " +
                        $"bootversion: {subBootDir}, deployment count change: {list.Count - currentList.Count}");

        FsUtil.Touch(sysroot.FullPath(SysrootLayout.Deploy));
        DeploymentSet reloaded;
        try { reloaded = sysroot.Load(); }
        catch (DeployException e) { throw new DeployException($"Reloading deployments after commit: {e.Message}", e); }
        foreach (var stateroot in reloaded.Deployments.Select(d => d.Stateroot).Distinct())
            FsUtil.EnsureUnlinked(sysroot.FullPath($"{SysrootLayout.Stateroot(stateroot)}/current"));
        CrashPoint.Hit(CrashPoint.Names.DeploymentsWritten);
        if (cleanup)
        {
            try { Cleanup.Run(sysroot, reloaded, prune: true); }
            catch (DeployException e) { throw new DeployException($"Performing final cleanup: {e.Message}", e); }
        }
        return new Result(reloaded, requiresNewBootVersion, subBootDir);
    }

    /// <summary>Forgets a staged deployment: its state file first (so it is never finalized), then its directory.</summary>
    private static void DiscardStaged(Sysroot sysroot, Deployment staged)
    {
        try
        {
            FsUtil.EnsureUnlinked(sysroot.Options.StagedDeploymentPath);
            CrashPoint.Hit(CrashPoint.Names.StagedStateRemoved);
            Cleanup.RemoveDeployment(sysroot, staged.RelativePath, staged.OriginRelativePath);
        }
        catch (IOException e) { throw new DeployException($"Removing staged deployment: {e.Message}", e); }
    }

    /// <summary>
    /// deployment_bootconfigs_equal: same boot checksum, overlay initrds, kernel arguments other
    /// than <c>ostree=</c>, commit version (the latter only shows in the entry title) and
    /// stateroot. ostree 2022.7 does not compare stateroots (ostree 2024.6 does, commit cb70e406):
    /// two deployments of different stateroots with the same kernel, version and kernel arguments
    /// trading places then keep the old entries, whose <c>ostree=</c> paths name links the new
    /// farm no longer has, and the sysroot no longer loads nor boots.
    /// </summary>
    public static bool BootConfigsEqual(Sysroot sysroot, Deployment a, Deployment b)
    {
        if (a.BootChecksum != b.BootChecksum) return false;
        if (!a.OverlayInitrds.SequenceEqual(b.OverlayInitrds)) return false;
        if (NonOstreeKargs(a) != NonOstreeKargs(b)) return false;
        if (BootLoaderEntries.CommitVersion(sysroot.Repo, a.Commit) != BootLoaderEntries.CommitVersion(sysroot.Repo, b.Commit)) return false;
        return a.Stateroot == b.Stateroot;
    }

    private static string NonOstreeKargs(Deployment d)
    {
        var k = d.KernelArgs;
        k.Replace("ostree");
        return k.ToString();
    }

    /// <summary>The backend's own configuration for the new boot version, written and synced before the swap.</summary>
    private static void WriteBootLoaderConfig(BootLoaderBackend backend, BootLoaderWrite write)
    {
        try { backend.WriteConfig(write); }
        catch (DeployException e) { throw new DeployException($"Bootloader write config: {e.Message}", e); }
        catch (IOException e) { throw new DeployException($"Bootloader write config: {e.Message}", e); }
    }

    /// <summary>The backend's step after the swap (zipl); its failures belong to the swap, as in ostree.</summary>
    private static void PostBlsSync(BootLoaderBackend backend, BootLoaderWrite write)
    {
        try { backend.PostBlsSync(write); }
        catch (DeployException e) { throw new DeployException($"Final bootloader swap: {e.Message}", e); }
        catch (IOException e) { throw new DeployException($"Final bootloader swap: {e.Message}", e); }
    }

    /// <summary><c>boot/boot -&gt; .</c> (so "/boot/…" paths work with or without a separate /boot) and <c>boot/loader.tmp -&gt; loader.B'</c>.</summary>
    private static void PrepareLoaderLink(Sysroot sysroot, int newBootVersion)
    {
        try
        {
            var self = sysroot.FullPath(SysrootLayout.BootSelfLink);
            if (Files.TryLStat(self) is null) Files.Symlink(".", self);
            FsUtil.ReplaceSymlink(SysrootLayout.LoaderLinkTarget(newBootVersion), sysroot.FullPath(SysrootLayout.BootLoaderTmpLink));
        }
        catch (IOException e) { throw new DeployException($"Preparing final bootloader swap: {e.Message}", e); }
    }

    /// <summary>The commit point: rename <c>boot/loader.tmp</c> over <c>boot/loader</c>, then fsync <c>boot/</c>.</summary>
    private static void SwapLoader(Sysroot sysroot)
    {
        try
        {
            Rename.Replace(sysroot.FullPath(SysrootLayout.BootLoaderTmpLink), sysroot.FullPath(SysrootLayout.BootLoaderLink));
            DirSync.FSync(sysroot.FullPath(SysrootLayout.Boot));
        }
        catch (IOException e) { throw new DeployException($"Final bootloader swap: {e.Message}", e); }
    }
}
