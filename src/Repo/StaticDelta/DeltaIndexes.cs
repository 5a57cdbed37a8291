using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;
using Arbor.Repo.Summary;

namespace Arbor.Repo.StaticDelta;

/// <summary>
/// The delta indexes, <c>delta-indexes/XX/REST.index</c>: for each TO commit an <c>a{sv}</c>
/// <c>{'ostree.static-deltas': {NAME: &lt;ay superblock SHA-256&gt;}}</c> of the deltas leading to it
/// (pull-protocol.md §6). <see cref="Reindex"/> is ostree's <c>ostree_repo_static_delta_reindex</c>,
/// which <c>summary -u</c> also runs: it sets <c>core.indexed-deltas=true</c>, rewrites the
/// index of every TO that has deltas (only when its bytes change) and removes indexes whose deltas
/// are gone.
/// </summary>
public static class DeltaIndexes
{
    /// <summary>The TO checksum of every index file, in directory order.</summary>
    public static IEnumerable<Checksum> List(Repository repo)
    {
        var root = repo.FullPath(RepoLayout.DeltaIndexes);
        if (!Directory.Exists(root)) yield break;
        foreach (var d1 in Directory.EnumerateDirectories(root))
            foreach (var f in Directory.EnumerateFiles(d1))
                if (StaticDeltaNames.DecodeIndexName(Path.GetFileName(d1), Path.GetFileName(f)) is { } c && !IsSymlink(f))
                    yield return c;
    }

    /// <summary>Rewrites the indexes (all, or only <paramref name="onlyTo"/>'s).</summary>
    public static void Reindex(Repository repo, Checksum? onlyTo = null)
    {
        using var _ = repo.Lock(exclusive: false);
        if (!repo.Config.KeyFile.GetBoolean(RepoConfig.CoreGroup, "indexed-deltas", false))
        {
            repo.Config.KeyFile.SetBoolean(RepoConfig.CoreGroup, "indexed-deltas", true);
            repo.Config.Save();
        }
        // TO → the FROMs of its deltas (null: an index with no delta left, to remove)
        var byTo = new Dictionary<Checksum, List<Checksum?>?>();
        if (onlyTo is { } only) byTo[only] = null;
        else foreach (var old in List(repo)) byTo[old] = null;
        foreach (var name in StaticDeltaStore.ListNames(repo))
        {
            var (from, to) = StaticDeltaStore.ParseName(name);
            if (onlyTo is { } o && to != o) continue;
            if (byTo.GetValueOrDefault(to) is not { } froms) byTo[to] = froms = [];
            froms.Add(from);
        }
        foreach (var (to, froms) in byTo)
        {
            var path = repo.FullPath(StaticDeltaNames.RelativeIndexPath(to));
            if (froms is null)
            {
                if (File.Exists(path)) File.Delete(path);
                continue;
            }
            var bytes = Build(repo, to, froms);
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.WriteAllBytes(path, bytes, 0x1A4, repo.Config.Fsync);
        }
    }

    /// <summary>The index bytes: the FROMs sorted (a scratch delta first), in GLib's dictionary order as ostree writes them.</summary>
    private static byte[] Build(Repository repo, Checksum to, List<Checksum?> froms)
    {
        froms.Sort((a, b) => a is null ? (b is null ? 0 : -1) : b is null ? 1 : a.Value.CompareTo(b.Value));
        var deltas = new GVariantDict();
        foreach (var from in froms)
        {
            var superblock = repo.FullPath(StaticDeltaStore.SuperblockPath(from, to));
            var digest = System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(superblock));
            deltas.Insert(DeltaSuperblock.Name(from, to), GVariantValue.Bytes(digest));
        }
        var index = new GVariantDict();
        index.Insert(SummaryFile.StaticDeltasKey, SummaryWriter.ToAsv(deltas.End()));
        using var w = new GVariantWriter(ObjectFormats.Metadata);
        VariantDictionary.WriteAsv(w, index.End());
        return w.ToArray();
    }

    private static bool IsSymlink(string path) => new FileInfo(path).LinkTarget is not null;
}
