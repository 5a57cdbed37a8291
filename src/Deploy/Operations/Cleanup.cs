using Arbor.Repo.Checkout;
using Arbor.Deploy.IO;
using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Prune;

namespace Arbor.Deploy.Operations;

/// <summary>
/// Removes what the current deployment list does not use (sysroot.md §8.4): the other boot
/// version's loader directory and symlink farms, deployment directories and origins not in the
/// list (never the running one), kernel directories of unused boot checksums, unused overlay
/// initrds; then rewrites the <c>ostree/B/S/I</c> refs that keep deployed commits alive. Every
/// step is idempotent, so an interrupted cleanup is finished by the next one. With
/// <c>prune</c>, the system repo then loses every object that neither a ref nor a deployment
/// reaches (ostree_sysroot_cleanup_prune_repo: refs only, depth 0, deployments as extra roots).
/// </summary>
public static class Cleanup
{
    /// <param name="pruned">Told what the prune freed (ostree prints "Freed objects: SIZE" when it is not zero).</param>
    public static void Run(Sysroot sysroot, DeploymentSet set, bool prune = false, Action<PruneResult>? pruned = null)
    {
        Step("Cleaning bootversions", () => CleanOtherBootVersions(sysroot.Path, set.BootVersion));
        CrashPoint.Hit(CrashPoint.Names.CleanupBootVersions);
        Step("Cleaning deployments", () => CleanDeployments(sysroot, set));
        Step("Generating deployment refs", () => GenerateRefs(sysroot, set));
        CrashPoint.Hit(CrashPoint.Names.CleanupRefs);
        if (prune) Step("Pruning system repository", () =>
        {
            var result = PruneRepo(sysroot, set);
            pruned?.Invoke(result);
        });
    }

    /// <summary>Deletes the objects of the system repo that no ref and no deployment (staged included) reaches.</summary>
    public static PruneResult PruneRepo(Sysroot sysroot, DeploymentSet set)
    {
        var repo = sysroot.Repo;
        var reachable = Prune.ReachableFromRefs(repo, depth: 0);
        foreach (var d in set.Deployments) reachable.TraverseCommit(d.Commit, 0);
        if (set.Staged is { } staged) reachable.TraverseCommit(staged.Commit, 0);
        return Prune.FromReachable(repo, reachable);
    }

    private static void Step(string what, Action action)
    {
        try { action(); }
        catch (DeployException e) { throw new DeployException($"{what}: {e.Message}", e); }
        catch (IOException e) { throw new DeployException($"{what}: {e.Message}", e); }
        catch (RepoException e) { throw new DeployException($"{what}: {e.Message}", e); }
    }

    private static void CleanOtherBootVersions(string sysroot, BootLoader.BootVersion bv)
    {
        int other = bv.Other, otherSub = 1 - bv.SubVersion;
        TreeRemoval.RemoveTree(SysrootLayout.Full(sysroot, SysrootLayout.LoaderDir(other)));
        TreeRemoval.RemoveTree(SysrootLayout.Full(sysroot, SysrootLayout.BootLinkDir(other)));
        TreeRemoval.RemoveTree(SysrootLayout.Full(sysroot, SysrootLayout.SubBootDir(other, 0)));
        TreeRemoval.RemoveTree(SysrootLayout.Full(sysroot, SysrootLayout.SubBootDir(other, 1)));
        TreeRemoval.RemoveTree(SysrootLayout.Full(sysroot, SysrootLayout.SubBootDir(bv.Version, otherSub)));
        // leftovers of an interrupted swap
        FsUtil.EnsureUnlinked(SysrootLayout.Full(sysroot, SysrootLayout.BootLoaderTmpLink));
        FsUtil.EnsureUnlinked(SysrootLayout.Full(sysroot, SysrootLayout.BootLinkDir(bv.Version) + ".tmp"));
    }

    private static void CleanDeployments(Sysroot sysroot, DeploymentSet set)
    {
        var active = new HashSet<string>(set.Deployments.Select(d => d.RelativePath), StringComparer.Ordinal);
        var bootChecksums = new HashSet<string>(set.Deployments.Select(d => d.BootChecksum), StringComparer.Ordinal);
        var overlays = new HashSet<string>(set.Deployments.SelectMany(d => d.OverlayInitrds).Select(c => c + ".img"), StringComparer.Ordinal);

        RemoveInterruptedCheckouts(sysroot);
        foreach (var (stateroot, commit, serial) in ListDeploymentDirs(sysroot))
        {
            var rel = SysrootLayout.DeploymentDir(stateroot, commit, serial);
            if (active.Contains(rel)) continue;
            RemoveDeployment(sysroot, rel, SysrootLayout.OriginFile(stateroot, commit, serial));
            CrashPoint.Hit(CrashPoint.Names.CleanupDeployment);
        }

        var bootOstree = sysroot.FullPath(SysrootLayout.BootOstree);
        if (Directory.Exists(bootOstree))
        {
            foreach (var dir in Directory.EnumerateFileSystemEntries(bootOstree))
            {
                if (Files.TryLStat(dir) is not { IsDirectory: true }) continue;
                var name = Path.GetFileName(dir);
                int dash = name.LastIndexOf('-');
                if (dash < 0 || !IsLowerChecksum(name[(dash + 1)..])) continue;
                if (bootChecksums.Contains(name[(dash + 1)..])) continue;
                TreeRemoval.RemoveTree(dir);
                CrashPoint.Hit(CrashPoint.Names.CleanupBootDir);
            }
        }

        var overlayDir = sysroot.FullPath(SysrootLayout.InitramfsOverlays);
        if (Directory.Exists(overlayDir))
        {
            foreach (var f in Directory.EnumerateFileSystemEntries(overlayDir).ToList())
                if (Files.TryLStat(f) is { IsRegular: true } && !overlays.Contains(Path.GetFileName(f))) File.Delete(f);
        }
    }

    /// <summary>The temporary name under which older arbor builds made a deployment's checkout (now built under its final name).</summary>
    internal const string InterruptedCheckoutPrefix = ".arbor-checkout-";

    /// <summary>
    /// Removes <c>.arbor-checkout-*</c> directories from the deploy directories: checkouts that older
    /// arbor builds killed before they were renamed to <c>CHECKSUM.SERIAL</c>. ostree refuses any such
    /// name ("Invalid deploy name"), so a sysroot that holds one is unusable until they are gone.
    /// </summary>
    private static void RemoveInterruptedCheckouts(Sysroot sysroot)
    {
        var deploy = sysroot.FullPath(SysrootLayout.Deploy);
        if (!Directory.Exists(deploy)) return;
        foreach (var osDir in Directory.EnumerateFileSystemEntries(deploy).ToList())
        {
            var dir = Path.Join(osDir, "deploy");
            if (Files.TryLStat(osDir) is not { IsDirectory: true } || Files.TryLStat(dir) is not { IsDirectory: true }) continue;
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir, InterruptedCheckoutPrefix + "*").ToList())
            {
                if (Files.TryLStat(entry) is not { IsDirectory: true }) continue;
                FileFlags.TrySetImmutable(entry, false);
                TreeRemoval.RemoveTree(entry);
            }
        }
    }

    /// <summary>Every <c>ostree/deploy/*/deploy/CSUM.SERIAL</c> directory; another name there is an error, as in ostree
    /// (except an interrupted checkout of an older arbor, which cleanup removes first).</summary>
    public static IEnumerable<(string Stateroot, Checksum Commit, int Serial)> ListDeploymentDirs(Sysroot sysroot)
    {
        var deploy = sysroot.FullPath(SysrootLayout.Deploy);
        if (!Directory.Exists(deploy)) yield break;
        foreach (var osDir in Directory.EnumerateFileSystemEntries(deploy).ToList())
        {
            if (Files.TryLStat(osDir) is not { IsDirectory: true }) continue;
            var stateroot = Path.GetFileName(osDir);
            var dir = Path.Join(osDir, "deploy");
            if (Files.TryLStat(dir) is not { IsDirectory: true }) continue;
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir).ToList())
            {
                if (Files.TryLStat(entry) is not { IsDirectory: true }) continue;
                var name = Path.GetFileName(entry);
                if (name.StartsWith(InterruptedCheckoutPrefix, StringComparison.Ordinal)) continue;
                if (!SysrootLoader.TryParseDeployName(name, out var commit, out int serial))
                    throw new DeployException($"Invalid deploy name '{name}', expected CHECKSUM.TREESERIAL");
                yield return (stateroot, commit, serial);
            }
        }
    }

    /// <summary>Removes a deployment directory and its origin, clearing the immutable flag first; never the running root.</summary>
    public static void RemoveDeployment(Sysroot sysroot, string relativeDir, string relativeOrigin)
    {
        var dir = sysroot.FullPath(relativeDir);
        var st = Files.Stat(dir);
        var root = Files.TryStat(sysroot.Options.RootPath);
        if (root is { } r && st.SameFileAs(r)) return;
        FileFlags.TrySetImmutable(dir, false);
        TreeRemoval.RemoveTree(sysroot.FullPath(relativeOrigin));
        TreeRemoval.RemoveTree(dir);
    }

    private static void GenerateRefs(Sysroot sysroot, DeploymentSet set)
    {
        var repo = sysroot.Repo;
        var bv = set.BootVersion;
        using var repoLock = repo.Lock(exclusive: false);
        foreach (var (v, s) in new[] { (bv.Other, 0), (bv.Other, 1), (bv.Version, 1 - bv.SubVersion) })
        {
            var prefix = $"ostree/{v}/{s}";
            foreach (var name in repo.Refs.ListHeads(prefix).Keys) repo.Refs.Write(null, name, null);
        }
        // the new ones in one repository transaction, as ostree sets them
        using var transaction = repo.BeginTransaction();
        for (int i = 0; i < set.Count; i++)
            transaction.SetRef(null, SysrootLayout.DeploymentRef(bv.Version, bv.SubVersion, i), set[i].Commit);
        transaction.Commit();
    }

    private static bool IsLowerChecksum(string s) => s.Length == Checksum.HexLength && s.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
