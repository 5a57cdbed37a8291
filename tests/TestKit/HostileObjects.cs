using Arbor.Repo.Core;
using Arbor.Repo.Objects;

namespace Arbor.TestKit;

/// <summary>
/// Hand-crafted metadata objects written straight into a repository's <c>objects/</c> under their
/// correct checksums, so that only their content is wrong: dirtrees with "..", "/" or "" names,
/// checksums of the wrong length, commits pointing at them.
/// </summary>
public static class HostileObjects
{
    /// <summary>Stores <paramref name="data"/> as a loose metadata object named by its SHA-256.</summary>
    public static Checksum WriteMetadata(string repo, ObjectType type, ReadOnlySpan<byte> data)
    {
        var checksum = Checksum.Compute(data);
        var hex = checksum.ToString();
        var dir = Path.Combine(repo, "objects", hex[..2]);
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, $"{hex[2..]}.{type.Extension()}"), data.ToArray());
        return checksum;
    }

    /// <summary>A commit whose root dirtree lists one file called <paramref name="name"/> (the file object exists), on ref <paramref name="refName"/>.</summary>
    public static (Checksum Commit, Checksum Tree) CommitWithFileName(string repo, string name, Checksum file, string refName = "hostile")
    {
        var tree = WriteMetadata(repo, ObjectType.DirTree, new DirTreeObject([new DirTreeFile(name, file)], []).Serialize());
        var commit = CommitOf(repo, tree, refName);
        return (commit, tree);
    }

    /// <summary>A commit of <paramref name="rootTree"/> with the default root dirmeta, on ref <paramref name="refName"/>.</summary>
    public static Checksum CommitOf(string repo, Checksum rootTree, string refName)
    {
        var commit = WriteMetadata(repo, ObjectType.Commit,
            new CommitObject { Subject = "hostile", Timestamp = 1609459200, RootTree = rootTree, RootMeta = DirMetaObject.DefaultChecksum }.Serialize());
        var refPath = Path.Combine(repo, "refs", "heads", refName);
        Directory.CreateDirectory(Path.GetDirectoryName(refPath)!);
        File.WriteAllText(refPath, commit + "\n");
        return commit;
    }
}
