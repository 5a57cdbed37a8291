using Arbor.Deploy.IO;
using Arbor.Repo.Core;
using Arbor.Repo.Labels;

namespace Arbor.Deploy.Var;

/// <summary>
/// The stateroot's shared <c>/var</c> (sysroot.md §10). Upgrades never touch its contents: a new
/// deployment only removes <c>var/.updated</c> (so ConditionNeedsUpdate= units run) and, once per
/// stateroot, writes the SELinux relabel stamp <c>var/.ostree-selabeled</c>. As in ostree 2022.7,
/// content the commit itself has under <c>/var</c> is ignored, with a note per top-level entry.
/// </summary>
public static class VarSetup
{
    public const string RelabelStamp = "var/.ostree-selabeled";

    /// <summary>The "note: …" lines for top-level entries of the deployment's own <c>var/</c>.</summary>
    public static IEnumerable<string> IgnoredContentNotes(string deploymentDir, string commit)
    {
        var var = Path.Join(deploymentDir, "var");
        if (!Directory.Exists(var)) yield break;
        foreach (var entry in Directory.EnumerateFileSystemEntries(var))
            yield return $"note: Deploying commit {commit} which contains content in /var/{Path.GetFileName(entry)} that will be ignored.";
    }

    /// <summary>
    /// The <c>/var</c> a new deployment of <paramref name="stateroot"/> will see: the running
    /// system's when it booted from that stateroot, else the stateroot's own directory.
    /// </summary>
    public static string VarDirectory(Sysroot sysroot, DeploymentSet set, string stateroot) =>
        set.Booted is not null && set.Booted.Stateroot == stateroot
            ? Path.Join(sysroot.Options.RootPath, "var")
            : sysroot.FullPath(SysrootLayout.StaterootVar(stateroot));

    /// <summary>
    /// Removes <c>.updated</c>; when the stateroot has no relabel stamp yet, labels its
    /// <c>var</c> from <paramref name="policy"/> (the new deployment's, when it labels files) and
    /// writes the stamp.
    /// </summary>
    public static void PrepareForDeployment(Sysroot sysroot, DeploymentSet set, string stateroot, SePolicy? policy, Action<string>? journal)
    {
        var var = VarDirectory(sysroot, set, stateroot);
        if (!Directory.Exists(var)) throw new DeployException($"opendir(var): No such file or directory");
        FsUtil.EnsureUnlinked(Path.Join(var, ".updated"));
        var stamp = sysroot.FullPath($"{SysrootLayout.Stateroot(stateroot)}/{RelabelStamp}");
        if (!File.Exists(stamp))
        {
            journal?.Invoke($"Relabeling /var (no stamp file '{RelabelStamp}' found)");
            if (policy is { Enabled: true }) Relabel(policy, sysroot.FullPath(SysrootLayout.StaterootVar(stateroot)));
            FsUtil.ReplaceFile(stamp, [], 0x1A4, fsync: true);
        }
    }

    /// <summary>Every entry of the stateroot's <c>var</c> labeled as <c>/var/…</c> (existing labels replaced), as ostree.</summary>
    private static void Relabel(SePolicy policy, string var)
    {
        try
        {
            TreeRelabel.Run(policy, var, "var", keepExisting: false, nameFailedPath: false);
        }
        catch (RepoException e)
        {
            throw new DeployException($"Relabeling /var: {e.Message}", e);
        }
    }
}
