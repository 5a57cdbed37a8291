using Arbor.Repo.Checkout;
using Arbor.Deploy.BootLoader;
using Arbor.Deploy.Etc;
using Arbor.Deploy.IO;
using Arbor.Deploy.Var;
using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Labels;
using Arbor.Repo.Refs;
using Arbor.Repo.Store;

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

    /// <summary>Deploys with Repo's checkout engine; <paramref name="checkoutProgress"/> is told how far the tree's checkout is.</summary>
    public DeployOperation(IProgress<CheckoutProgress>? checkoutProgress = null) : this(new RepoTreeCheckout(checkoutProgress)) { }

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

        InitialCleanup(sysroot, set);
        var kargs = request.ComputeKernelArgs(merge);
        if (request.Stage) return StageDeployment(sysroot, set, stateroot, commit, origin, kargs, merge, request, notes);

        var deployment = CreateDeployment(sysroot, set, stateroot, commit, origin, kargs, merge, request.OverlayInitrds, journal, notes);

        var list = DeploymentList.AddDeployment(set, stateroot, deployment, merge, request.Retain,
            request.RetainPending, request.RetainRollback, request.NotAsDefault);
        var result = WriteDeployments.Run(sysroot, set, list, journal, cleanup: false);
        Cleanup.Run(sysroot, result?.Deployments ?? sysroot.Load(), prune: !request.NoPrune, pruned);
        return deployment;
    }

    /// <summary>
    /// clone_deployment (for <c>admin unlock --hotfix</c>), under the caller's lock: a fresh
    /// deployment of <paramref name="target"/>'s commit and origin, with the merge deployment's /etc
    /// changes and kernel arguments, placed after the booted one so that it becomes the rollback.
    /// </summary>
    internal Deployment CloneAsRollback(Sysroot sysroot, DeploymentSet set, Deployment target, Deployment merge, Action<string>? journal)
    {
        InitialCleanup(sysroot, set);
        var origin = target.Origin?.Clone() ?? OriginFile.Parse("");
        var deployment = CreateDeployment(sysroot, set, target.Stateroot, target.Commit, origin, kargs: null, merge, [], journal, notes: null);
        var list = DeploymentList.AddDeployment(set, target.Stateroot, deployment, merge, notAsDefault: true);
        var result = WriteDeployments.Run(sysroot, set, list, journal, cleanup: false);
        Cleanup.Run(sysroot, result?.Deployments ?? sysroot.Load(), prune: true);
        return deployment;
    }

    /// <summary>ostree_sysroot_prepare_cleanup before a deployment is made: leftovers of an interrupted one go first.</summary>
    private static void InitialCleanup(Sysroot sysroot, DeploymentSet set)
    {
        try { Cleanup.Run(sysroot, set); }
        catch (DeployException e) { throw new DeployException($"Performing initial cleanup: {e.Message}", e); }
    }

    /// <summary>
    /// <c>deploy --stage</c> (ostree_sysroot_stage_tree, sysroot.md §9): only on the running
    /// system. The tree is checked out and its origin written now; the /etc merge, the boot
    /// entries and the seal wait for <c>finalize-staged</c> at shutdown, so that /etc changes made
    /// until then are kept. The state goes to <c>/run/ostree/staged-deployment</c>; a deployment
    /// staged before is replaced.
    /// </summary>
    private Deployment StageDeployment(Sysroot sysroot, DeploymentSet set, string stateroot, Checksum commit, OriginFile origin,
        KernelArgs? kargs, Deployment? merge, DeployRequest request, Action<string>? notes)
    {
        if (set.Booted is null) throw new DeployException("Cannot stage deployment: Not currently booted into an OSTree system");
        var deployment = InitializeDeployment(sysroot, stateroot, commit, origin, kargs, request.OverlayInitrds, notes) with { IsStaged = true };
        try
        {
            FsUtil.ReplaceFile(sysroot.FullPath(deployment.OriginRelativePath), origin.ToString());
            var state = new Staged.StagedDeploymentFile
            {
                Target = Staged.StagedDeploymentName.Of(deployment),
                Merge = merge is null ? null : Staged.StagedDeploymentName.Of(merge),
                Kargs = kargs?.Entries.Select(e => e.ToString()).ToList(),
                OverlayInitrds = request.OverlayInitrds.Count > 0 ? request.OverlayInitrds : null,
            };
            var options = sysroot.Options;
            if (request.LockFinalization)
            {
                FsUtil.EnsureDirectory(Path.GetDirectoryName(options.StagedLockedPath)!);
                FsUtil.ReplaceFile(options.StagedLockedPath, ReadOnlySpan<byte>.Empty, 0x1A0);
            }
            else FsUtil.EnsureUnlinked(options.StagedLockedPath);
            state.Write(options.StagedDeploymentPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RemoveDeploymentDir(sysroot.DeploymentPath(deployment));
            throw new DeployException($"Writing staged deployment: {e.Message}", e);
        }
        CrashPoint.Hit(CrashPoint.Names.DeploymentStaged);

        FsUtil.Touch(sysroot.FullPath(SysrootLayout.Deploy));
        // as ostree: the deployment refs now count the staged deployment (index 0), so a prune keeps
        // its commit; a deployment staged before this one is no longer listed, so it goes too
        Cleanup.Run(sysroot, sysroot.Load());
        return deployment;
    }

    private Deployment CreateDeployment(Sysroot sysroot, DeploymentSet set, string stateroot, Checksum commit, OriginFile origin,
        KernelArgs? kargs, Deployment? merge, IReadOnlyList<string> overlayInitrds, Action<string>? journal, Action<string>? notes)
    {
        var deployment = InitializeDeployment(sysroot, stateroot, commit, origin, kargs, overlayInitrds, notes);
        try { return FinalizeDeployment(sysroot, set, deployment, merge, journal, notes); }
        catch (DeployException)
        {
            // a refused merge leaves nothing behind; ostree leaves the directory for the next
            // cleanup, which removes it just the same
            RemoveDeploymentDir(sysroot.DeploymentPath(deployment));
            throw;
        }
    }

    /// <summary>
    /// The first half of a deployment (sysroot_initialize_deployment, sysroot.md §3.1 steps 1–5):
    /// a serial, the hardlinked checkout, its kernel (the boot checksum), <c>/etc</c> made from
    /// <c>/usr/etc</c>. No merge, no origin, not sealed: a staged deployment stays like this until
    /// <c>finalize-staged</c>.
    /// </summary>
    internal Deployment InitializeDeployment(Sysroot sysroot, string stateroot, Checksum commit, OriginFile origin, KernelArgs? kargs,
        IReadOnlyList<string> overlayInitrds, Action<string>? notes)
    {
        // a stateroot os-init never made: ostree's error (which it meets only after the checkout), with nothing written
        if (!Directory.Exists(sysroot.FullPath(SysrootLayout.StaterootVar(stateroot))))
            throw new DeployException("opendir(var): No such file or directory");
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

        try
        {
            var layout = KernelLayout.Find(dir, sysroot.Options.Debug.NoDtb);
            var entry = new BootLoaderEntry();
            if (kargs is not null) entry.Options = kargs.ToString();
            Step("Preparing /etc", () => PrepareEtc(sysroot.Repo, commit, dir));
            CrashPoint.Hit(CrashPoint.Names.EtcPrepared);
            foreach (var note in VarSetup.IgnoredContentNotes(dir, commit.ToString())) notes?.Invoke(note);
            return new Deployment
            {
                Stateroot = stateroot,
                Commit = commit,
                DeploySerial = serial,
                BootChecksum = layout.BootChecksum,
                BootConfig = entry,
                Origin = origin,
                OverlayInitrds = overlayInitrds,
            };
        }
        catch (DeployException)
        {
            // a refused tree (no kernel, both /etc and /usr/etc) leaves nothing behind
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

    /// <summary>
    /// The second half (sysroot_finalize_deployment, sysroot.md §3.1 step 6): kernel arguments
    /// and the local /etc changes from the merge deployment, <c>/var</c>, the origin file, the
    /// immutable flag. Run at deploy time, or by <c>finalize-staged</c> at shutdown. After a merge,
    /// <see cref="SelinuxPolicyRebuild"/> runs the deployment's semodule; its lines go to
    /// <paramref name="journal"/> (stdout) and <paramref name="notes"/> (stderr).
    /// </summary>
    internal static Deployment FinalizeDeployment(Sysroot sysroot, DeploymentSet set, Deployment deployment, Deployment? merge,
        Action<string>? journal, Action<string>? notes)
    {
        var dir = sysroot.DeploymentPath(deployment);
        var entry = deployment.BootConfig.Clone();
        if (merge is not null && entry.Options is null && merge.BootConfig.Options is { } mergeOptions) entry.Options = mergeOptions;
        if (merge is not null)
        {
            var mergeDir = sysroot.DeploymentPath(merge);
            var diff = EtcDiff.Compute(Path.Join(mergeDir, "usr/etc"), Path.Join(mergeDir, "etc"));
            journal?.Invoke(EtcMerge.Summary(diff));
            // no log: ostree only journals the files it skips (a fifo...), its output stays the same
            Step("During /etc merge", () => EtcMerge.Apply(diff, Path.Join(mergeDir, "etc"), Path.Join(dir, "etc"), xattrs: !sysroot.Options.Debug.NoXattrs));
            SelinuxPolicyRebuild.Run(dir, journal, notes);
        }
        CrashPoint.Hit(CrashPoint.Names.EtcMerged);

        Step("Finalizing deployment", () =>
        {
            FsUtil.EnsureUnlinked(Path.Join(dir, "etc/.updated"));
            using var policy = OpenPolicy(dir);
            VarSetup.PrepareForDeployment(sysroot, set, deployment.Stateroot, policy, journal);
        });
        var origin = deployment.Origin ?? OriginFile.Parse("");
        Step("Writing out origin file", () => FsUtil.ReplaceFile(sysroot.FullPath(deployment.OriginRelativePath), origin.ToString()));
        if (!sysroot.Options.Debug.MutableDeployments) FileFlags.TrySetImmutable(dir, true);
        CrashPoint.Hit(CrashPoint.Names.DeploymentSealed);
        return deployment with { BootConfig = entry, IsStaged = false };
    }

    /// <summary>Runs a step, naming it in any file-system error (one line, as ostree's prefixes do).</summary>
    internal static void Step(string what, Action action)
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
    /// <c>etc</c> becomes <c>usr/etc</c>; then <c>etc</c> is made as a copy (never hardlinks) of
    /// <c>usr/etc</c>. When the tree's policy (its <c>usr/etc/selinux</c>) labels files, the copy
    /// is checked out from the commit with that policy's labels for <c>/etc</c>, as ostree does.
    /// </summary>
    private void PrepareEtc(Repository repo, Checksum commit, string dir)
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
        if (!hasUsrEtc) return;
        using var policy = OpenPolicy(dir);
        if (policy.Enabled) _checkout.CheckoutLabeledEtc(repo, commit, hasEtc ? "/etc" : "/usr/etc", etc, policy);
        else FileCopy.CopyTree(usrEtc, etc, keepMtime: false);
    }

    /// <summary>The SELinux policy of a deployment's tree (ostree_sepolicy_new_at on it).</summary>
    private static SePolicy OpenPolicy(string dir)
    {
        try { return SePolicy.Open(dir); }
        catch (RepoException e) { throw new DeployException(e.Message, e); }
    }
}
