using System.Buffers.Binary;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Traverse;

/// <summary>What a commit points at, as the traversal needs it.</summary>
public readonly record struct CommitLinks(Checksum? Parent, Checksum RootTree, Checksum RootMeta, ulong Timestamp);

/// <summary>
/// Reads only the references out of commit and dirtree objects, the way ostree's traversal does:
/// names are not validated here (fsck reports bad names when it checks the object itself), and
/// a checksum that is not 32 bytes stops the traversal with ostree's message. Structurally broken
/// objects either throw (<c>strict</c>, used by prune: never delete on a guess) or contribute no
/// links (used by fsck, which then reports the object as corrupt).
/// </summary>
public static class ObjectLinks
{
    public static CommitLinks? ReadCommit(ObjectName name, ReadOnlySpan<byte> data, bool strict)
    {
        try
        {
            var r = new GVariantReader(data, ObjectFormats.Commit);
            var parent = r.Member(1).GetBytes();
            var tree = RequireChecksum(r.Member(6).GetBytes());
            var meta = RequireChecksum(r.Member(7).GetBytes());
            ulong ts = BinaryPrimitives.ReverseEndianness(r.Member(5).GetUInt64());
            return new CommitLinks(parent.Length == Checksum.ByteLength ? Checksum.FromBytes(parent) : null, tree, meta, ts);
        }
        catch (GVariantFormatException e)
        {
            if (strict) throw new CorruptObjectException($"Corrupted commit object {name}: {e.Message}");
            return null;
        }
    }

    /// <summary>Calls back for each file checksum, then each (dirtree, dirmeta) pair, in stored order.</summary>
    public static void ReadDirTree(ObjectName name, ReadOnlySpan<byte> data, bool strict,
        Action<Checksum> onFile, Action<Checksum, Checksum> onDir)
    {
        var files = new List<Checksum>();
        var dirs = new List<(Checksum, Checksum)>();
        try
        {
            var r = new GVariantReader(data, ObjectFormats.DirTree);
            foreach (var e in r.Member(0).EnumerateArray())
                files.Add(RequireChecksum(e.Member(1).GetBytes()));
            foreach (var e in r.Member(1).EnumerateArray())
                dirs.Add((RequireChecksum(e.Member(1).GetBytes()), RequireChecksum(e.Member(2).GetBytes())));
        }
        catch (GVariantFormatException e)
        {
            if (strict) throw new CorruptObjectException($"Corrupted dirtree object {name}: {e.Message}");
            return;
        }
        foreach (var f in files) onFile(f);
        foreach (var (t, m) in dirs) onDir(t, m);
    }

    private static Checksum RequireChecksum(ReadOnlySpan<byte> bytes) => bytes.Length == Checksum.ByteLength
        ? Checksum.FromBytes(bytes)
        : throw new CorruptObjectException($"Invalid checksum of length {bytes.Length} expected 32");
}
