using Arbor.Repo.Core;
using Arbor.Repo.GLib;
using Arbor.Repo.Native;
using Arbor.Repo.Store;

namespace Arbor.Repo.Refs;

/// <summary>A collection–ref: a ref name qualified by the collection ID it belongs to.</summary>
public readonly record struct CollectionRef(string CollectionId, string RefName)
{
    /// <summary><c>ostree_collection_ref_hash</c>.</summary>
    public static uint Hash(CollectionRef r) => GStrHash.Hash(r.CollectionId) ^ GStrHash.Hash(r.RefName);

    public override string ToString() => $"({CollectionId}, {RefName})";
}

/// <summary>
/// <c>ostree_repo_list_collection_refs</c>: refs/heads under the repository's own collection ID,
/// then refs/mirrors/COLLECTION/ and refs/remotes/REMOTE/ for remotes configured with a valid
/// collection-id, in readdir order, gathered into a hash table keyed by <see cref="CollectionRef.Hash"/>.
/// </summary>
public static class CollectionRefListing
{
    /// <param name="excludeRemotes">Leave out <c>refs/remotes</c> (OSTREE_REPO_LIST_REFS_EXT_EXCLUDE_REMOTES).</param>
    public static GHashTable<CollectionRef, string> List(Repository repo, string? matchCollectionId, bool excludeRemotes = false)
    {
        if (matchCollectionId is not null) ValidateCollectionId(matchCollectionId);
        var refs = new GHashTable<CollectionRef, string>(CollectionRef.Hash, EqualityComparer<CollectionRef>.Default);
        try
        {
            var main = repo.Config.CollectionId;
            if (main is not null && (matchCollectionId is null || matchCollectionId == main))
                Recurse(repo.FullPath(RepoLayout.RefsHeads), "", main, refs);
            foreach (var refsDir in excludeRemotes ? [RepoLayout.RefsMirrors] : new[] { RepoLayout.RefsMirrors, RepoLayout.RefsRemotes })
            {
                var root = repo.FullPath(refsDir);
                if (!Directory.Exists(root)) continue;
                foreach (var sub in Directory.EnumerateFileSystemEntries(root))
                {
                    if (Files.TryLStat(sub) is not { IsDirectory: true }) continue;
                    var name = Path.GetFileName(sub);
                    string? collectionId = refsDir == RepoLayout.RefsMirrors ? name : RemoteCollectionId(repo, name);
                    if (collectionId is null) continue;
                    if (matchCollectionId is not null && matchCollectionId != collectionId) continue;
                    Recurse(sub, "", collectionId, refs);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepoException($"Listing refs: {e.Message}", e);
        }
        return refs;
    }

    /// <summary>Writes (or deletes) a collection–ref: refs/heads when it is the repository's own collection, refs/mirrors otherwise.</summary>
    public static void Set(Repository repo, string collectionId, string refName, Checksum? target, bool inTransaction = false)
    {
        ValidateCollectionId(collectionId);
        if (collectionId == repo.Config.CollectionId)
        {
            RefWriter.Set(repo, null, refName, target, inTransaction);
            return;
        }
        if (!RefName.IsValid(refName)) throw new RepoException($"Invalid ref name {refName}");
        var dir = repo.FullPath(Path.Combine(RepoLayout.RefsMirrors, collectionId));
        var path = Path.Combine(dir, refName);
        if (target is null)
        {
            if (File.Exists(path)) File.Delete(path);
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.WriteAllText(path, target.Value + "\n", 0x1A4);
        }
        if (!inTransaction) Summary.SummaryWriter.MaybeRegenerate(repo);
    }

    /// <summary><c>ostree_validate_collection_id</c>: a D-Bus interface name (at least two '.'-separated elements).</summary>
    public static void ValidateCollectionId(string? id)
    {
        if (id is null || !IsInterfaceName(id)) throw new RepoException($"Invalid collection ID {id}");
    }

    public static bool IsValidCollectionId(string id) => IsInterfaceName(id);

    private static bool IsInterfaceName(string s)
    {
        if (s.Length == 0 || s.Length > 255) return false;
        var elements = s.Split('.');
        if (elements.Length < 2) return false;
        foreach (var e in elements)
        {
            if (e.Length == 0 || char.IsAsciiDigit(e[0])) return false;
            foreach (char c in e)
                if (!(char.IsAsciiLetterOrDigit(c) || c == '_')) return false;
        }
        return true;
    }

    private static string? RemoteCollectionId(Repository repo, string remote)
    {
        var id = repo.Config.KeyFile.GetString($"remote \"{remote}\"", "collection-id");
        if (id is null) return null;
        try { ValidateCollectionId(id); }
        catch (RepoException) { return null; }
        return id;
    }

    private static void Recurse(string dir, string basePath, string collectionId, GHashTable<CollectionRef, string> refs)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
        {
            var name = Path.GetFileName(entry);
            if (!RefName.IsValidRemote(name)) continue;
            var st = Files.TryLStat(entry);
            if (st is null) continue;
            if (st.Value.IsDirectory) Recurse(entry, basePath + name + "/", collectionId, refs);
            else if (st.Value.IsRegular || st.Value.IsSymlink)
                refs.Insert(new CollectionRef(collectionId, basePath + name), File.ReadAllText(entry).TrimEnd());
        }
    }
}
