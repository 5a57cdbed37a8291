using System.Buffers.Binary;
using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.Fsck;

/// <summary>
/// Checks one metadata object as ostree's fsck does (repo-format.md §5.3, §9): SHA-256 of the
/// stored bytes, then normal form, then the type's structure rules. Failures throw
/// <see cref="CorruptObjectException"/> worded as ostree words them
/// (<c>fsck C.dirtree: C.dirtree: Invalid path uplink filename '..'</c>); a missing object throws
/// <see cref="ObjectNotFoundException"/>.
/// </summary>
internal static class MetadataVerifier
{
    public static void Verify(Repository repo, ObjectName name)
    {
        var type = name.Type.DisplayName();
        var prefix = $"fsck {name.Checksum}.{type}: ";
        byte[]? bytes;
        try
        {
            bytes = repo.TryLoadMetadata(name);
        }
        catch (CorruptObjectException e)
        {
            throw new CorruptObjectException(prefix + e.Message);
        }
        if (bytes is null)
            throw new ObjectNotFoundException(name, $"{prefix}No such metadata object {name.Checksum}.{type}");
        var actual = Checksum.Compute(bytes);
        if (actual != name.Checksum)
            throw new CorruptObjectException($"{prefix}Corrupted {type} object; checksum expected='{name.Checksum}' actual='{actual}'");
        var problem = StructureProblem(name.Type, bytes);
        if (problem is not null)
            throw new CorruptObjectException($"{prefix}{name.Checksum}.{type}: {problem}");
    }

    /// <summary>The first structural problem of a metadata object, or null when it is valid.</summary>
    public static string? StructureProblem(ObjectType type, ReadOnlySpan<byte> data)
    {
        var format = type switch
        {
            ObjectType.Commit => ObjectFormats.Commit,
            ObjectType.DirTree => ObjectFormats.DirTree,
            ObjectType.DirMeta => ObjectFormats.DirMeta,
            _ => null, // tombstones and detached metadata have no structure rules in ostree
        };
        if (format is null) return null;
        if (!GVariantNormalForm.IsNormal(data, format)) return "Not normal form";
        var r = new GVariantReader(data, format);
        return type switch
        {
            ObjectType.Commit => CommitProblem(r),
            ObjectType.DirTree => DirTreeProblem(r),
            _ => DirMetaProblem(r),
        };
    }

    private static string? CommitProblem(GVariantReader commit)
    {
        foreach (var entry in commit.Member(0).EnumerateArray())
            if (entry.Member(0).GetStringBytes().IsEmpty) return "Empty metadata key";
        int parent = commit.Member(1).GetBytes().Length;
        if (parent > 0 && parent != Checksum.ByteLength) return ChecksumLength(parent);
        return ChecksumProblem(commit.Member(6)) ?? ChecksumProblem(commit.Member(7));
    }

    private static string? DirTreeProblem(GVariantReader tree)
    {
        foreach (var file in tree.Member(0).EnumerateArray())
        {
            var problem = FileNameProblem(file.Member(0).GetStringBytes()) ?? ChecksumProblem(file.Member(1));
            if (problem is not null) return problem;
        }
        foreach (var dir in tree.Member(1).EnumerateArray())
        {
            var problem = FileNameProblem(dir.Member(0).GetStringBytes())
                ?? ChecksumProblem(dir.Member(1)) ?? ChecksumProblem(dir.Member(2));
            if (problem is not null) return problem;
        }
        return null;
    }

    private static string? DirMetaProblem(GVariantReader meta)
    {
        uint mode = BinaryPrimitives.ReverseEndianness(meta.Member(2).GetUInt32());
        if (!ObjectFormats.IsDirectory(mode)) return $"Invalid directory metadata mode {mode}; not a directory";
        return ModeBitsProblem(mode);
    }

    /// <summary>ostree's filename rule, plus one Arbor adds: an empty name is rejected too (ostree 2022.7 accepts it).</summary>
    internal static string? FileNameProblem(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty) return "Invalid empty filename";
        if (name.SequenceEqual("."u8)) return "Invalid self-referential filename '.'";
        if (name.SequenceEqual(".."u8)) return "Invalid path uplink filename '..'";
        if (name.IndexOf((byte)'/') >= 0) return $"Invalid / in filename {Encoding.UTF8.GetString(name)}";
        if (!System.Text.Unicode.Utf8.IsValid(name)) return $"Invalid UTF-8 in filename {Encoding.UTF8.GetString(name)}";
        return null;
    }

    /// <summary>Permission bits outside S_IFMT | 07777 (shared with file modes).</summary>
    internal static string? ModeBitsProblem(uint mode) =>
        (mode & ~(ObjectFormats.S_IFMT | ObjectFormats.PermissionMask)) != 0 ? $"Invalid mode {mode}; invalid bits in mode" : null;

    private static string? ChecksumProblem(GVariantReader bytes)
    {
        int n = bytes.GetBytes().Length;
        return n == Checksum.ByteLength ? null : ChecksumLength(n);
    }

    private static string ChecksumLength(int n) => $"Invalid checksum of length {n} expected 32";
}
