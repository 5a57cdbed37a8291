using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.TestKit;

/// <summary>
/// Writes object bytes straight into a repository, bypassing every check: for hostile objects
/// (names like ".." or "a/b", duplicate entries) and for truncated or corrupted ones.
/// </summary>
public static class RawObjects
{
    /// <summary>Stores <paramref name="bytes"/> as a loose metadata object named by their SHA-256.</summary>
    public static Checksum Write(string repoPath, ObjectType type, byte[] bytes)
    {
        var repo = Repository.Open(repoPath);
        var checksum = Checksum.Compute(bytes);
        var path = repo.ObjectPath(new ObjectName(checksum, type));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return checksum;
    }

    /// <summary>A commit whose root is <paramref name="root"/> (names unchecked), on ref <paramref name="refName"/>.</summary>
    public static Checksum CommitTree(string repoPath, string refName, DirTreeObject root, Checksum rootMeta)
    {
        var tree = Write(repoPath, ObjectType.DirTree, root.Serialize());
        var commit = new CommitObject { Subject = "crafted", Timestamp = 1_600_000_000, RootTree = tree, RootMeta = rootMeta };
        var checksum = Write(repoPath, ObjectType.Commit, commit.Serialize());
        SetRef(repoPath, refName, checksum);
        return checksum;
    }

    public static void SetRef(string repoPath, string refName, Checksum commit)
    {
        var path = Path.Combine(repoPath, "refs", "heads", refName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, commit + "\n");
    }

    /// <summary>Replaces an existing loose object's bytes (e.g. with a truncated copy), keeping its name.</summary>
    public static void Overwrite(string repoPath, ObjectName name, Func<byte[], byte[]> change)
    {
        var repo = Repository.Open(repoPath);
        var path = repo.ObjectPath(name);
        var bytes = change(File.ReadAllBytes(path));
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("repositories need Linux");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.WriteAllBytes(path, bytes);
    }
}
