using Arbor.Repo.Native;

namespace Arbor.Deploy.IO;

/// <summary>
/// Resolves a path inside a deployment tree the way the tree itself would see it once booted:
/// symlinks are followed, absolute targets and ".." stay inside <c>root</c> (systemd's chase).
/// A tree's <c>/usr/lib/os-release -&gt; /etc/…</c> can then never reach the host's files.
/// </summary>
internal static class RootedPath
{
    private const int MaxSymlinks = 40;

    /// <summary>The resolved host path, or null when a component is missing.</summary>
    public static string? Resolve(string root, string relative)
    {
        var pending = new Stack<string>(Split(relative).Reverse());
        var done = new List<string>();
        int hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == "..")
            {
                if (done.Count > 0) done.RemoveAt(done.Count - 1);
                continue;
            }
            var candidate = Path.Join(root, string.Join('/', done), part);
            var st = Files.TryLStat(candidate);
            if (st is null) return null;
            if (!st.Value.IsSymlink)
            {
                done.Add(part);
                continue;
            }
            if (++hops > MaxSymlinks) throw new DeployException($"Too many levels of symbolic links resolving {relative}");
            var target = Files.ReadLink(candidate);
            if (target.StartsWith('/')) done.Clear();
            foreach (var p in Split(target).Reverse()) pending.Push(p);
        }
        return Path.Join(root, string.Join('/', done));
    }

    private static IEnumerable<string> Split(string path) => path.Split('/').Where(p => p.Length > 0 && p != ".");
}
