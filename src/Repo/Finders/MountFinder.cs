using Arbor.Repo.Core;
using Arbor.Repo.GLib;
using Arbor.Repo.Native;
using Arbor.Repo.Refs;
using Arbor.Repo.Remotes;
using Arbor.Repo.Store;

namespace Arbor.Repo.Finders;

/// <summary>
/// <c>OstreeRepoFinderMount</c>: repositories on mounted removable file systems (priority 50). On each
/// mount (<see cref="UserMounts"/>) it opens the entries of <c>.ostree/repos.d/</c> in name order, then
/// <c>.ostree/repo</c>, <c>ostree/repo</c> and <c>var/lib/flatpak/repo</c>, keeping those on the mount's
/// file system that are not the local repository; each requested ref comes from the first of them that
/// has it (local and mirrored collection–refs), provided a configured remote of its collection gives a
/// keyring. Results are keyed by the repository's canonical <c>file://</c> URL and that keyring.
/// </summary>
public static class MountFinder
{
    public const string Name = "OstreeRepoFinderMount";
    public const int Priority = 50;
    private static readonly string[] WellKnownRepos = [".ostree/repo", "ostree/repo", "var/lib/flatpak/repo"];

    public static List<FinderResult> Resolve(RemoteStore remotes, IReadOnlyList<CollectionRef> refs, IEnumerable<string> mountPoints)
    {
        var parent = Files.Stat(remotes.Repository.Path);
        var results = new List<FinderResult>();
        foreach (var mount in mountPoints)
        {
            if (Files.TryStat(mount) is not { IsDirectory: true } mountStat) continue;
            var repos = ScanMount(mount, mountStat, parent);
            // (URL, keyring) → refs, in GHashTable order as ostree aggregates them
            var byRepo = new GHashTable<(string Url, string Keyring), (string KeyringRemote, GHashTable<CollectionRef, string?> Refs)>(
                k => GStrHash.Hash(k.Url) ^ GStrHash.Hash(k.Keyring), EqualityComparer<(string, string)>.Default);
            foreach (var r in refs)
            {
                foreach (var (repo, repoRefs) in repos)
                {
                    if (!repoRefs.TryGetValue(r, out var checksum)) continue;
                    var keyringRemote = KeyringRemotes.For(remotes, r.CollectionId);
                    if (keyringRemote is null) continue;
                    var key = ("file://" + RealPath.Resolve(repo.Path), KeyringRemotes.Keyring(keyringRemote));
                    if (!byRepo.TryGetValue(key, out var entry))
                    {
                        entry = (keyringRemote, FinderResult.NewRefTable());
                        byRepo.Insert(key, entry);
                    }
                    entry.Refs.Insert(r, checksum);
                    break;
                }
            }
            foreach (var (key, value) in byRepo.Entries)
                results.Add(new FinderResult
                {
                    RemoteName = DynamicRemoteName(key.Url, key.Keyring), Url = key.Url, Finder = Name, Keyring = key.Keyring,
                    KeyringRemote = value.KeyringRemote, Priority = Priority, RefToChecksum = value.Refs,
                });
        }
        return FinderResult.Sort(results);
    }

    /// <summary>The repositories of one mount with their collection–refs: repos.d entries sorted by name, then the well-known paths.</summary>
    private static List<(Repository Repo, GHashTable<CollectionRef, string> Refs)> ScanMount(string mount, FileStatus mountStat, FileStatus parent)
    {
        var found = new List<(string Name, Repository Repo, GHashTable<CollectionRef, string> Refs)>();
        var reposDir = Path.Combine(mount, ".ostree/repos.d");
        if (Files.TryStat(reposDir) is { IsDirectory: true })
        {
            try
            {
                foreach (var entry in Directory.EnumerateFileSystemEntries(reposDir))
                    if (TryScan(entry, mountStat, parent) is { } scanned) found.Add((Path.GetFileName(entry), scanned.Repo, scanned.Refs));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* ostree moves on to the well-known paths */ }
        }
        var result = found.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => (f.Repo, f.Refs)).ToList();
        foreach (var wellKnown in WellKnownRepos)
            if (TryScan(Path.Combine(mount, wellKnown), mountStat, parent) is { } scanned) result.Add(scanned);
        return result;
    }

    private static (Repository Repo, GHashTable<CollectionRef, string> Refs)? TryScan(string path, FileStatus mountStat, FileStatus parent)
    {
        try
        {
            if (Files.TryStat(path) is not { IsDirectory: true } st) return null;
            if (st.Device != mountStat.Device) return null;
            if (st.SameFileAs(parent)) return null;
            var repo = Repository.Open(path);
            return (repo, CollectionRefListing.List(repo, null, excludeRemotes: true));
        }
        catch (Exception e) when (e is ArborException or IOException or UnauthorizedAccessException)
        {
            return null; // ostree ignores a repository it cannot open or list
        }
    }

    /// <summary><c>uri_and_keyring_to_name</c>: both URI-escaped, joined by '_', every '%' turned into '_'.</summary>
    public static string DynamicRemoteName(string url, string keyring) =>
        (Uri.EscapeDataString(url) + "_" + Uri.EscapeDataString(keyring)).Replace('%', '_');
}
