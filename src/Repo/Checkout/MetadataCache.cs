using System.Collections.Concurrent;
using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.Checkout;

/// <summary>
/// Loads the dirtree and dirmeta objects of one checkout, verifying each against its name (a few
/// MB of SHA-256 for a whole OS tree, so a truncated or altered object is refused instead of being
/// read as an empty tree). Dirmetas are few and shared by many directories, so they are cached;
/// dirtrees are read once each, the empty one once per checkout.
/// </summary>
internal sealed class MetadataCache(Repository repo, ObjectStore? store = null)
{
    private readonly ConcurrentDictionary<Checksum, DirMetaObject> _dirMetas = new();

    private CheckoutDirTree? _empty;

    public CheckoutDirTree LoadDirTree(Checksum checksum)
    {
        // the empty dirtree is read once, so a repository without it fails as ostree's checkout does
        if (checksum == DirTreeObject.EmptyChecksum) return _empty ??= Load(checksum);
        return Load(checksum);
    }

    private CheckoutDirTree Load(Checksum checksum) =>
        CheckoutDirTree.Parse(LoadVerified(new ObjectName(checksum, ObjectType.DirTree)));

    public DirMetaObject LoadDirMeta(Checksum checksum) =>
        _dirMetas.TryGetValue(checksum, out var meta)
            ? meta
            : _dirMetas.GetOrAdd(checksum, DirMetaObject.Parse(LoadVerified(new ObjectName(checksum, ObjectType.DirMeta))));

    public CommitObject LoadCommit(Checksum checksum) => CommitObject.Parse(LoadVerified(new ObjectName(checksum, ObjectType.Commit)));

    private byte[] LoadVerified(ObjectName name)
    {
        var bytes = (store is null ? null : TryReadLoose(store, name)) ?? repo.LoadMetadata(name);
        var actual = Checksum.Compute(bytes);
        if (actual != name.Checksum)
            throw new CorruptObjectException($"Corrupted {name.Type.DisplayName()} object {name.Checksum}: actual checksum is {actual}");
        return bytes;
    }

    /// <summary>Reads a loose metadata object relative to the objects fd (open, fstat, read, close);
    /// null when absent, so the repository's own reader can try <c>core.parent</c>.</summary>
    private static byte[]? TryReadLoose(ObjectStore store, ObjectName name)
    {
        Span<byte> loose = stackalloc byte[ObjectStore.LooseNameMax + 8];
        var ext = name.Type switch
        {
            ObjectType.DirTree => ".dirtree"u8,
            ObjectType.DirMeta => ".dirmeta"u8,
            ObjectType.Commit => ".commit"u8,
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        loose = ObjectStore.LooseName(name.Checksum, ext, loose);
        int e = AtFiles.TryOpenForRead(store.ObjectsDir, loose, out var handle);
        if (e == Errno.ENOENT) return null;
        if (e != 0) throw Errno.Error("openat", ObjectStore.LoosePathText(loose), e);
        using (handle)
        {
            long length = RandomAccess.GetLength(handle!);
            if (length > ObjectFormats.MaxMetadataSize)
                throw new CorruptObjectException($"Metadata object {name} is {length} bytes, over the {ObjectFormats.MaxMetadataSize} byte limit");
            var bytes = new byte[length];
            int read = 0;
            while (read < length)
            {
                int n = RandomAccess.Read(handle!, bytes.AsSpan(read), read);
                if (n <= 0) throw new CorruptObjectException($"Metadata object {name} was truncated while reading");
                read += n;
            }
            return bytes;
        }
    }
}
