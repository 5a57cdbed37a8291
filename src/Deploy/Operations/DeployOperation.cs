using Arbor.Repo.Checkout;
using Arbor.Deploy.BootLoader;
using Arbor.Deploy.Etc;
using Arbor.Deploy.IO;
using Arbor.Deploy.Var;
using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Refs;

namespace Arbor.Deploy.Operations;

/// <summary>
/// <c>admin deploy</c> (sysroot.md §3, §8.1): check the commit out as
/// <c>ostree/deploy/OS/deploy/CSUM.SERIAL</c>, find its kernel, make its <c>/etc</c> from
/// <c>/usr/etc</c> and merge the local changes of the merge deployment into it, prepare
/// <c>/var</c>, write the origin, seal the directory, then write the new deployment list and clean up.
/// </summary>
public sealed class DeployOperation
{
    private readonly ITreeCheckout _checkout;

    /// <summary>Deploys with Repo's checkout engine.</summary>
    public DeployOperation() : this(new RepoTreeCheckout()) { }

    internal DeployOperation(ITreeCheckout checkout) => _checkout = checkout;

    /// <param name="journal">Receives ostree's progress lines (stdout).</param>
    /// <param name="notes">Receives the "note: …" lines (stderr).</param>
    /// <param name="pruned">Told what the final cleanup's repo prune freed.</param>
    public Deployment Run(Sysroot sysroot, DeployRequest request, Action<string>? journal = null, Action<string>? notes = null, Action? onLockWait = null,
        Action<Arbor.Repo.Prune.PruneResult>? pruned = null)
    {
        request.Validate();
        using var l = sysroot.Lock(onLockWait);
        var set = sysroot.Load();
        if (set.Booted is null && request.Stateroot is null)
            throw new DeployException("Looking for booted deployment: Not currently booted into an OSTree system and no --os= argument given");
        var stateroot = SysrootLayout.CheckName(request.Stateroot ?? set.Booted!.Stateroot, "stateroot");

        var origin = request.Origin ?? OriginFile.FromRefspec(request.Refspec);
        var commit = RevParser.Resolve(sysroot.Repo, request.Refspec);
        var merge = request.NoMerge ? null : set.MergeDeployment(stateroot);

        Cleanup.Run(sysroot, set);
        var kargs = request.ComputeKernelArgs(merge);

        var deployment = CreateDeployment(sysroot, set, stateroot, commit, origin, kargs, merge, journal, notes);

        var list = DeploymentList.AddDeployment(set, stateroot, deployment, merge, request.Retain,
            request.RetainPending, request.RetainRollback, request.NotAsDefault);
        var result = WriteDeployments.Run(sysroot, set, list, journal, cleanup: false);
        Cleanup.Run(sysroot, result?.Deployments ?? sysroot.Load(), prune: !request.NoPrune, pruned);
        return deployment;
    }

    private Deployment CreateDeployment(Sysroot sysroot, DeploymentSet set, string stateroot, Checksum commit, OriginFile origin,
        KernelArgs? kargs, Deployment? merge, Action<string>? journal, Action<string>? notes)
    {
        int serial = AllocateSerial(sysroot, stateroot, commit);
        var rel = SysrootLayout.DeploymentDir(stateroot, commit, serial);
        var dir = sysroot.FullPath(rel);

        try
        {
            FsUtil.EnsureDirectory(sysroot.FullPath(SysrootLayout.StaterootDeployDir(stateroot)), 0x1FD);
            if (Files.TryLStat(dir) is not null)
            {
                FileFlags.TrySetImmutable(dir, false);
                TreeRemoval.RemoveTree(dir);
            }
            _checkout.Checkout(sysroot.Repo, commit, dir);
        }
        catch (IOException e) { throw new DeployException($"Checking out deployment tree: {e.Message}", e); }
        CrashPoint.Hit(CrashPoint.Names.DeploymentCheckedOut);

        try { return Finish(sysroot, set, stateroot, commit, serial, dir, origin, kargs, merge, journal, notes); }
        catch (DeployException)
        {
            // a refused tree (no kernel, both /etc and /usr/etc, a failed merge) leaves nothing behind;
            // ostree leaves the directory for the next cleanup, which removes it just the same
            RemoveDeploymentDir(dir);
            throw;
        }
    }

    private static void RemoveDeploymentDir(string dir)
    {
        try
        {
            FileFlags.TrySetImmutable(dir, false);
            TreeRemoval.RemoveTree(dir);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static Deployment Finish(Sysroot sysroot, DeploymentSet set, string stateroot, Checksum commit, int serial, string dir,
        OriginFile origin, KernelArgs? kargs, Deployment? merge, Action<string>? journal, Action<string>? notes)
    {
        var layout = KernelLayout.Find(dir);
        var entry = new BootLoaderEntry();
        if (kargs is not null) entry.Options = kargs.ToString();
        Step("Preparing /etc", () => PrepareEtc(dir));
        CrashPoint.Hit(CrashPoint.Names.EtcPrepared);
        foreach (var note in VarSetup.IgnoredContentNotes(dir, commit.ToString())) notes?.Invoke(note);

        // finalize: kernel arguments and /etc from the merge deployment
        if (merge is not null && entry.Options is null && merge.BootConfig.Options is { } mergeOptions) entry.Options = mergeOptions;
        if (merge is not null)
        {
            var mergeDir = sysroot.DeploymentPath(merge);
            var diff = EtcDiff.Compute(Path.Join(mergeDir, "usr/etc"), Path.Join(mergeDir, "etc"));
            journal?.Invoke(EtcMerge.Summary(diff));
            Step("During /etc merge", () => EtcMerge.Apply(diff, Path.Join(mergeDir, "etc"), Path.Join(dir, "etc"), journal));
        }
        CrashPoint.Hit(CrashPoint.Names.EtcMerged);

        Step("Finalizing deployment", () =>
        {
            FsUtil.EnsureUnlinked(Path.Join(dir, "etc/.updated"));
            VarSetup.PrepareForDeployment(sysroot, set, stateroot, journal);
        });
        var originPath = sysroot.FullPath(SysrootLayout.OriginFile(stateroot, commit, serial));
        Step("Writing out origin file", () => FsUtil.ReplaceFile(originPath, origin.ToString()));
        FileFlags.TrySetImmutable(dir, true);
        CrashPoint.Hit(CrashPoint.Names.DeploymentSealed);

        return new Deployment
        {
            Stateroot = stateroot,
            Commit = commit,
            DeploySerial = serial,
            BootChecksum = layout.BootChecksum,
            BootConfig = entry,
            Origin = origin,
        };
    }

    /// <summary>Runs a step, naming it in any file-system error (one line, as ostree's prefixes do).</summary>
    private static void Step(string what, Action action)
    {
        try { action(); }
        catch (DeployException e) when (!e.Message.StartsWith(what, StringComparison.Ordinal)) { throw new DeployException($"{what}: {e.Message}", e); }
        catch (IOException e) { throw new DeployException($"{what}: {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new DeployException($"{what}: {e.Message}", e); }
    }

    /// <summary>One more than the highest serial of this commit among the stateroot's deployment directories, else 0.</summary>
    public static int AllocateSerial(Sysroot sysroot, string stateroot, Checksum commit)
    {
        int serial = 0;
        foreach (var (os, c, s) in Cleanup.ListDeploymentDirs(sysroot))
            if (os == stateroot && c == commit) serial = Math.Max(serial, s + 1);
        return serial;
    }

    /// <summary>
    /// prepare_deployment_etc: a tree with both <c>etc</c> and <c>usr/etc</c> is refused; a lone
    /// <c>etc</c> becomes <c>usr/etc</c>; then <c>etc</c> is made as a copy (never hardlinks) of <c>usr/etc</c>.
    /// </summary>
    private static void PrepareEtc(string dir)
    {
        var etc = Path.Join(dir, "etc");
        var usrEtc = Path.Join(dir, "usr/etc");
        bool hasEtc = Files.TryLStat(etc) is not null, hasUsrEtc = Files.TryLStat(usrEtc) is not null;
        if (hasEtc)
        {
            if (hasUsrEtc) throw new DeployException("Tree contains both /etc and /usr/etc");
            Rename.Replace(etc, usrEtc);
            hasUsrEtc = true;
        }
        if (hasUsrEtc) FileCopy.CopyTree(usrEtc, etc, keepMtime: false);
    }
}
