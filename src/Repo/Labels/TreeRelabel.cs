using Arbor.Repo.Core;
using Arbor.Repo.Native;

namespace Arbor.Repo.Labels;

/// <summary>
/// Relabels a directory tree from a policy as ostree's <c>selinux_relabel_dir</c> does (admin
/// <c>instutil selinux-ensure-labeled</c>, and <c>/var</c> on a stateroot's first deployment):
/// the directory itself, then each entry in directory order, directories before their contents.
/// Each entry is looked up as the path made by joining <c>PREFIX</c> and its names, each part
/// behind a "/" (so an empty prefix gives <c>/</c> for the root and <c>//usr</c> below it, as
/// in ostree; libselinux folds the double slash).
/// </summary>
public static class TreeRelabel
{
    /// <param name="keepExisting">Leave entries that already carry a label (instutil), else relabel all (deploy).</param>
    /// <param name="nameFailedPath">Prefix a failure with "Setting context of PATH: " (instutil's wording).</param>
    /// <param name="labeled">Told each entry labeled: its path, the path it was looked up as, the label.</param>
    public static void Run(SePolicy policy, string directory, string prefix, bool keepExisting, bool nameFailedPath,
        Action<string, string, string>? labeled = null)
    {
        var st = Files.TryLStat(directory) ?? throw new RepoException($"lstat({directory}): No such file or directory");
        var parts = new List<string> { prefix };
        try
        {
            Walk(policy, directory, st.Mode, st.IsDirectory, parts, keepExisting, nameFailedPath, labeled);
        }
        catch (RepoException e)
        {
            throw new RepoException($"Relabeling /{prefix}: {e.Message}", e);
        }
    }

    private static void Walk(SePolicy policy, string path, uint mode, bool isDirectory, List<string> parts,
        bool keepExisting, bool nameFailedPath, Action<string, string, string>? labeled)
    {
        One(policy, path, mode, parts, keepExisting, nameFailedPath, labeled);
        if (!isDirectory) return;
        IEnumerable<string> children;
        try
        {
            children = Directory.EnumerateFileSystemEntries(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepoException($"opendir({path}): {e.Message}");
        }
        foreach (var child in children)
        {
            var st = Files.TryLStat(child);
            if (st is null) continue; // removed while we walk
            parts.Add(Path.GetFileName(child));
            Walk(policy, child, st.Value.Mode, st.Value.IsDirectory, parts, keepExisting, nameFailedPath, labeled);
            parts.RemoveAt(parts.Count - 1);
        }
    }

    private static void One(SePolicy policy, string path, uint mode, List<string> parts, bool keepExisting, bool nameFailedPath,
        Action<string, string, string>? labeled)
    {
        var relpath = "/" + string.Join('/', parts);
        string? label;
        try
        {
            label = policy.Restorecon(relpath, path, mode, keepExisting);
        }
        catch (RepoException e) when (nameFailedPath)
        {
            throw new RepoException($"Setting context of {path}: {e.Message}", e);
        }
        if (label is not null) labeled?.Invoke(path, relpath, label);
    }
}
