using Arbor.Repo.GVariant;

namespace Arbor.Repo.Objects;

/// <summary>Every OSTree object's GVariant type, in one place (repo-format.md §4–§6, §8).</summary>
public static class ObjectFormats
{
    /// <summary>§5.1 commit: metadata, parent, related, subject, body, timestamp (BE), root tree, root meta.</summary>
    public static readonly GVariantType Commit = GVariantType.Parse("(a{sv}aya(say)sstayay)");
    /// <summary>§4.3 dirtree: files (name, checksum), dirs (name, tree, meta).</summary>
    public static readonly GVariantType DirTree = GVariantType.Parse("(a(say)a(sayay))");
    /// <summary>§4.3 dirmeta: uid, gid, mode (all BE), xattrs.</summary>
    public static readonly GVariantType DirMeta = GVariantType.Parse("(uuua(ayay))");
    /// <summary>§4.2 content-checksum header: uid, gid, mode, rdev (BE), symlink target, xattrs.</summary>
    public static readonly GVariantType FileHeader = GVariantType.Parse("(uuuusa(ayay))");
    /// <summary>§6.1 archive header: size (BE) then the checksum header's fields.</summary>
    public static readonly GVariantType ArchiveFileHeader = GVariantType.Parse("(tuuuusa(ayay))");
    /// <summary>§5.2 detached metadata, also commit metadata and the tombstone.</summary>
    public static readonly GVariantType Metadata = GVariantType.VarDict;
    /// <summary>The xattr list used in dirmeta and file headers.</summary>
    public static readonly GVariantType Xattrs = GVariantType.Parse("a(ayay)");
    /// <summary>§8 summary.</summary>
    public static readonly GVariantType Summary = GVariantType.Parse("(a(s(taya{sv}))a{sv})");

    /// <summary>Maximum size of a metadata object (OSTREE_MAX_METADATA_SIZE).</summary>
    public const int MaxMetadataSize = 10 * 1024 * 1024;

    public const uint S_IFMT = 0xF000;
    public const uint S_IFDIR = 0x4000;
    public const uint S_IFREG = 0x8000;
    public const uint S_IFLNK = 0xA000;
    public const uint PermissionMask = 0xFFF; // 07777

    public static bool IsDirectory(uint mode) => (mode & S_IFMT) == S_IFDIR;
    public static bool IsRegular(uint mode) => (mode & S_IFMT) == S_IFREG;
    public static bool IsSymlink(uint mode) => (mode & S_IFMT) == S_IFLNK;
}
