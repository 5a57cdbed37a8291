using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Store;

/// <summary>
/// Removes loose objects as ostree_repo_delete_object does: a commit takes its detached metadata
/// with it, and when <c>core.tombstone-commits</c> is true a <c>.tombstone-commit</c> object
/// (<c>{'commit': &lt;b"HEX"&gt;}</c>, named by the deleted commit) is left in its place so pulls
/// do not fetch it again. Callers hold the repository lock.
/// </summary>
public static class ObjectDeleter
{
    public static void Delete(Repository repo, ObjectName name)
    {
        if (name.Type == ObjectType.Commit)
        {
            var meta = repo.FullPath(RepoLayout.CommitMetaPath(name.Checksum));
            if (Files.TryLStat(meta) is not null) File.Delete(meta);
        }
        var path = repo.ObjectPath(name);
        if (Files.TryLStat(path) is null)
            throw new ObjectNotFoundException(name, $"Deleting object {name.Checksum}.{name.Type.DisplayName()}: unlinkat({RepoLayout.ObjectPath(name, repo.Mode)[(RepoLayout.Objects.Length + 1)..]}): No such file or directory");
        File.Delete(path);
        if (name.Type == ObjectType.Commit && repo.Config.TombstoneCommits) WriteTombstone(repo, name.Checksum);
    }

    /// <summary>The tombstone object's bytes: a{sv} with 'commit' → the checksum as a NUL-terminated bytestring.</summary>
    public static byte[] TombstoneBytes(Checksum commit)
    {
        var dict = new VariantDictionary();
        dict.Set("commit", GVariantValue.Bytes(System.Text.Encoding.ASCII.GetBytes(commit + "\0")));
        return dict.Serialize();
    }

    public static void WriteTombstone(Repository repo, Checksum commit)
    {
        var path = repo.ObjectPath(new ObjectName(commit, ObjectType.TombstoneCommit));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllBytes(path, TombstoneBytes(commit), 0x1A4, repo.Config.Fsync);
    }

    /// <summary>
    /// Removes the tombstone of a commit being written again (ostree's write_metadata_object: "we may
    /// have deleted the commit and now we are trying to pull it again"); none is fine.
    /// </summary>
    public static void RemoveTombstone(Repository repo, Checksum commit)
    {
        var path = repo.ObjectPath(new ObjectName(commit, ObjectType.TombstoneCommit));
        if (Files.TryLStat(path) is not null) File.Delete(path);
    }

    /// <summary>Turns on <c>core.tombstone-commits</c> (as ostree does before deleting a commit on request).</summary>
    public static void EnableTombstones(Repository repo)
    {
        if (repo.Config.TombstoneCommits) return;
        repo.Config.KeyFile.SetBoolean(RepoConfig.CoreGroup, "tombstone-commits", true);
        repo.Config.Save();
    }
}
