namespace Arbor.Repo.Pull;

/// <summary>
/// Which tree entries a <c>pull --subpath</c> fetches (ostree's <c>matches_pull_dir</c>): an entry
/// whose path equals a subpath, lies under it, or (for a directory) leads to it. Paths are spelled as
/// the walk builds them: the root is "/", a directory's path ends with "/", so <c>--subpath=/usr/bin</c>
/// takes <c>/usr</c>, <c>/usr/bin</c> and everything below, but not <c>/usr/binx</c>. Pure.
/// </summary>
public static class SubpathFilter
{
    /// <param name="subpaths">The requested subpaths; empty takes everything.</param>
    /// <param name="parent">The directory's path as the walk spells it ("/", "/usr/").</param>
    public static bool Matches(IReadOnlyList<string> subpaths, string parent, string name, bool isDirectory)
    {
        if (subpaths.Count == 0) return true;
        var path = parent + name;
        foreach (var s in subpaths)
            if (Matches(path, s, isDirectory)) return true;
        return false;
    }

    private static bool Matches(string path, string subpath, bool isDirectory)
    {
        if (subpath.StartsWith(path, StringComparison.Ordinal))
        {
            // the entry itself (even a file), or a directory on the way to the subpath
            if (subpath.Length == path.Length) return true;
            return subpath[path.Length] == '/' && isDirectory;
        }
        // below the subpath, on a whole component
        return path.StartsWith(subpath, StringComparison.Ordinal) && path.Length > subpath.Length && path[subpath.Length] == '/';
    }
}
