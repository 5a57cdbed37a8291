using System.Buffers.Binary;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;

namespace Arbor.Repo.Objects;

/// <summary>
/// A dirmeta <c>(uuua(ayay))</c>: uid, gid and mode are stored big-endian (the OSTree quirk
/// lives here, not in GVariant/); mode includes S_IFDIR (repo-format.md §4.3).
/// </summary>
public sealed record DirMetaObject(uint Uid, uint Gid, uint Mode, XattrList Xattrs)
{
    public static readonly Checksum DefaultChecksum = Checksum.Parse("446a0ef11b7cc167f3b603e585c7eeeeb675faa412d5ec73f62988eb0b6c5488");

    public byte[] Serialize()
    {
        using var w = new GVariantWriter(ObjectFormats.DirMeta, 64);
        w.BeginTuple();
        w.WriteUInt32(BinaryPrimitives.ReverseEndianness(Uid));
        w.WriteUInt32(BinaryPrimitives.ReverseEndianness(Gid));
        w.WriteUInt32(BinaryPrimitives.ReverseEndianness(Mode));
        Xattrs.WriteTo(w);
        w.End();
        return w.ToArray();
    }

    public Checksum ComputeChecksum() => Checksum.Compute(Serialize());

    public static DirMetaObject Parse(ReadOnlySpan<byte> data)
    {
        try
        {
            var r = new GVariantReader(data, ObjectFormats.DirMeta);
            uint mode = BinaryPrimitives.ReverseEndianness(r.Member(2).GetUInt32());
            if (!ObjectFormats.IsDirectory(mode) || (mode & ~(ObjectFormats.S_IFMT | ObjectFormats.PermissionMask)) != 0)
                throw new CorruptObjectException($"Invalid directory metadata mode {Convert.ToString(mode, 8)}");
            return new DirMetaObject(
                BinaryPrimitives.ReverseEndianness(r.Member(0).GetUInt32()),
                BinaryPrimitives.ReverseEndianness(r.Member(1).GetUInt32()),
                mode,
                XattrList.Read(r.Member(3)));
        }
        catch (GVariantFormatException e)
        {
            throw new CorruptObjectException($"Invalid dirmeta object: {e.Message}");
        }
    }
}
