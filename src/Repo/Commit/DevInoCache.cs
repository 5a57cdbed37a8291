using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Store;

namespace Arbor.Repo.Commit;

/// <summary>
/// (device, inode) → checksum of the loose <c>.file</c> objects of a repository (and its
/// <c>core.parent</c>), for <c>--link-checkout-speedup</c>: a file hardlinked from a bare-mode
/// checkout has the object's inode, so it need not be read again (ostree_repo_scan_hardlinks).
/// Archive repositories store <c>.filez</c> and so never match, as in ostree.
/// </summary>
public sealed class DevInoCache
{
    private readonly Dictionary<(ulong Dev, ulong Ino), Checksum> _map = new();

    public int Count => _map.Count;

    public static DevInoCache Scan(Repository repo)
    {
        var cache = new DevInoCache();
        cache.Add(repo);
        return cache;
    }

    private void Add(Repository repo)
    {
        if (repo.Config.ParentRepo is { } parent) Add(Repository.Open(parent));
        var objects = repo.FullPath(RepoLayout.Objects);
        if (!Directory.Exists(objects)) return;
        foreach (var dir in Directory.EnumerateDirectories(objects))
        {
            var prefix = Path.GetFileName(dir);
            if (prefix.Length != 2) continue;
            foreach (var file in Directory.EnumerateFiles(dir, "*.file"))
            {
                var name = Path.GetFileName(file.AsSpan());
                if (name.Length != 62 + ".file".Length) continue;
                if (!Checksum.TryParse(string.Concat(prefix, name[..62]), out var checksum)) continue;
                if (Files.TryLStat(file) is { } st) _map[(st.Device, st.Inode)] = checksum;
            }
        }
    }

    public bool TryGet(ulong device, ulong inode, out Checksum checksum) => _map.TryGetValue((device, inode), out checksum);
}
