using Arbor.Repo.Core;
using Arbor.Repo.GVariant;

namespace Arbor.Repo.Objects;

/// <summary>One <c>ostree.sizes</c> entry: an object's checksum, type and its archived and unpacked sizes.</summary>
public readonly record struct CommitSizeEntry(Checksum Checksum, ObjectType Type, ulong Archived, ulong Unpacked);

/// <summary>
/// The <c>ostree.sizes</c> commit metadata (<c>aay</c>): each entry is 32 checksum bytes, two
/// LEB128 varints (archived, then unpacked size) and, in newer commits, one object-type byte
/// (ostree-core.c <c>read_sizes_entry</c>).
/// </summary>
public static class CommitSizes
{
    public const string MetadataKey = "ostree.sizes";

    public static IReadOnlyList<CommitSizeEntry> Read(CommitObject commit)
    {
        var v = commit.Metadata[MetadataKey];
        if (v is null || v.Type.Signature != "aay") throw new RepoException("No metadata key ostree.sizes in commit");
        var result = new List<CommitSizeEntry>(v.ChildCount);
        foreach (var e in v.Children)
        {
            ReadOnlySpan<byte> data = e.AsBytes();
            if (data.Length < Checksum.ByteLength + 2) throw new CorruptObjectException("Could not read ostree.sizes metadata entry");
            var checksum = Checksum.FromBytes(data[..Checksum.ByteLength]);
            data = data[Checksum.ByteLength..];
            ulong archived = ReadVarUInt64(ref data);
            ulong unpacked = ReadVarUInt64(ref data);
            var type = ObjectType.File;
            if (data.Length > 0)
            {
                byte t = data[0];
                if (t < (byte)ObjectType.File || t > (byte)ObjectType.CommitMeta + 3)
                    throw new CorruptObjectException($"Unexpected ostree.sizes object type {t}");
                type = (ObjectType)t;
            }
            result.Add(new CommitSizeEntry(checksum, type, archived, unpacked));
        }
        return result;
    }

    private static ulong ReadVarUInt64(ref ReadOnlySpan<byte> data)
    {
        int position = 0;
        if (!Varint.TryRead(data, ref position, out ulong value))
            throw new CorruptObjectException("Unexpected EOF reading ostree.sizes varint");
        data = data[position..];
        return value;
    }
}
