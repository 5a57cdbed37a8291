namespace Arbor.Repo.Core;

/// <summary>OSTree object types with their libostree enum values (repo-format.md §1).</summary>
public enum ObjectType : byte
{
    File = 1,
    DirTree = 2,
    DirMeta = 3,
    Commit = 4,
    TombstoneCommit = 5,
    CommitMeta = 6,
}

public static class ObjectTypeExtensions
{
    public static bool IsMetadata(this ObjectType type) => type != ObjectType.File;

    /// <summary>Loose-object file extension, without the dot. File objects are "file" or "filez" by repo mode.</summary>
    public static string Extension(this ObjectType type, bool archive = false) => type switch
    {
        ObjectType.File => archive ? "filez" : "file",
        ObjectType.DirTree => "dirtree",
        ObjectType.DirMeta => "dirmeta",
        ObjectType.Commit => "commit",
        ObjectType.TombstoneCommit => "tombstone-commit",
        ObjectType.CommitMeta => "commitmeta",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The name ostree prints for the type (fsck, ls-objects).</summary>
    public static string DisplayName(this ObjectType type) => type switch
    {
        ObjectType.File => "file",
        ObjectType.DirTree => "dirtree",
        ObjectType.DirMeta => "dirmeta",
        ObjectType.Commit => "commit",
        ObjectType.TombstoneCommit => "tombstone-commit",
        ObjectType.CommitMeta => "commitmeta",
        _ => type.ToString(),
    };

    public static bool TryParseExtension(ReadOnlySpan<char> extension, out ObjectType type)
    {
        switch (extension)
        {
            case "file": case "filez": type = ObjectType.File; return true;
            case "dirtree": type = ObjectType.DirTree; return true;
            case "dirmeta": type = ObjectType.DirMeta; return true;
            case "commit": type = ObjectType.Commit; return true;
            case "tombstone-commit": type = ObjectType.TombstoneCommit; return true;
            case "commitmeta": type = ObjectType.CommitMeta; return true;
            default: type = default; return false;
        }
    }
}
