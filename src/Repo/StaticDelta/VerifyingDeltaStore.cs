using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.StaticDelta;

/// <summary>
/// Where an executing part puts the objects it re-creates: a transaction, each object verified
/// first (metadata: checksum, normal form and shape; content: a valid header and, in the
/// transaction, its checksum). Read sources come from the repository.
/// </summary>
public sealed class VerifyingDeltaStore(Transaction tx, string part) : IDeltaObjectStore
{
    private long _contentBytes;

    /// <summary>Bytes of regular-file content written so far.</summary>
    public long ContentBytesWritten => Interlocked.Read(ref _contentBytes);

    public bool HasObject(ObjectName name) => tx.HasObject(name);

    public void WriteMetadata(ObjectName name, byte[] bytes)
    {
        var actual = Checksum.Compute(bytes);
        if (actual != name.Checksum) throw CorruptObjectException.ChecksumMismatch(name, actual);
        var type = name.Type switch
        {
            ObjectType.DirTree => ObjectFormats.DirTree,
            ObjectType.DirMeta => ObjectFormats.DirMeta,
            ObjectType.Commit => ObjectFormats.Commit,
            _ => throw new CorruptObjectException($"Invalid object type of {name}"),
        };
        if (!GVariantNormalForm.IsNormal(bytes, type)) throw new CorruptObjectException($"Invalid metadata object {name}: Not normal form");
        switch (name.Type)
        {
            case ObjectType.DirTree: DirTreeObject.Parse(bytes); break;
            case ObjectType.DirMeta: DirMetaObject.Parse(bytes); break;
            default: CommitObject.Parse(bytes); break;
        }
        tx.WriteMetadata(name.Type, bytes, name.Checksum);
    }

    public void WriteContent(Checksum expected, FileHeader header, byte[] content)
    {
        try { header.Validate(); }
        catch (CorruptObjectException e) { throw new CorruptObjectException($"Content object {expected}: {e.Message}"); }
        if (header.IsSymlink) tx.WriteContent(header, null, 0, expected);
        else
        {
            using var ms = new MemoryStream(content, writable: false);
            tx.WriteContent(header, ms, content.Length, expected);
            Interlocked.Add(ref _contentBytes, content.Length);
        }
    }

    public byte[] ReadContent(Checksum checksum)
    {
        var obj = tx.Repository.LoadContent(checksum);
        if (!obj.Header.IsRegular) throw new StaticDeltaException($"read source {checksum} is not a regular file");
        using var s = obj.OpenContent();
        var buf = new byte[obj.Size];
        s.ReadExactly(buf);
        return buf;
    }

    public override string ToString() => part;
}
