using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Store;

namespace Arbor.Repo.Refs;

/// <summary>
/// The ref sets fsck and prune start from, as ostree lists them: <see cref="AllRefs"/> is
/// ostree_repo_list_refs (local refs by name, remote refs as <c>REMOTE:REF</c>);
/// <see cref="CollectionRefs"/> is ostree_repo_list_collection_refs without remotes (local refs
/// under the repository's collection ID, and <c>refs/mirrors/COLLECTION-ID/REF</c>).
/// </summary>
public static class RefRoots
{
    public static SortedDictionary<string, Checksum> AllRefs(Repository repo)
    {
        var all = new SortedDictionary<string, Checksum>(repo.Refs.ListHeads(), StringComparer.Ordinal);
        foreach (var (name, c) in repo.Refs.ListRemotes()) all[name] = c;
        return all;
    }

    public static List<(CollectionRef Ref, Checksum Commit)> CollectionRefs(Repository repo)
    {
        var result = new List<(CollectionRef, Checksum)>();
        if (repo.Config.CollectionId is { } own)
            foreach (var (name, c) in repo.Refs.ListHeads()) result.Add((new CollectionRef(own, name), c));
        var mirrors = repo.FullPath(RepoLayout.RefsMirrors);
        if (Directory.Exists(mirrors))
        {
            foreach (var dir in Directory.EnumerateDirectories(mirrors).Order(StringComparer.Ordinal))
            {
                var collection = Path.GetFileName(dir);
                foreach (var (name, c) in ListUnder(dir)) result.Add((new CollectionRef(collection, name), c));
            }
        }
        return result;
    }

    private static SortedDictionary<string, Checksum> ListUnder(string root)
    {
        var result = new SortedDictionary<string, Checksum>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var dir = stack.Pop();
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
            {
                if (Files.TryStat(entry) is not { } st) continue;
                if (st.IsDirectory) { stack.Push(entry); continue; }
                var name = Path.GetRelativePath(root, entry);
                if (!RefName.IsValid(name)) continue;
                string text;
                try { text = File.ReadAllText(entry).TrimEnd(); }
                catch (IOException) { continue; } // vanished while listing
                if (Checksum.TryParse(text, out var c)) result[name] = c;
            }
        }
        return result;
    }
}
