using System.Collections.Concurrent;
using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.Checkout;

/// <summary>
/// Loads the dirtree and dirmeta objects of one checkout, verifying each against its name (a few
/// MB of SHA-256 for a whole OS tree, so a truncated or altered object is refused instead of being
/// read as an empty tree). Dirmetas are few and shared by many directories, so they are cached;
/// dirtrees are read once each, except the empty one.
/// </summary>
internal sealed class MetadataCache(Repository repo)
{
    private readonly ConcurrentDictionary<Checksum, DirMetaObject> _dirMetas = new();

    public CheckoutDirTree LoadDirTree(Checksum checksum)
    {
        if (checksum == DirTreeObject.EmptyChecksum) return CheckoutDirTree.Empty;
        var bytes = LoadVerified(new ObjectName(checksum, ObjectType.DirTree));
        return CheckoutDirTree.Parse(bytes);
    }

    public DirMetaObject LoadDirMeta(Checksum checksum) =>
        _dirMetas.TryGetValue(checksum, out var meta)
            ? meta
            : _dirMetas.GetOrAdd(checksum, DirMetaObject.Parse(LoadVerified(new ObjectName(checksum, ObjectType.DirMeta))));

    public CommitObject LoadCommit(Checksum checksum) => CommitObject.Parse(LoadVerified(new ObjectName(checksum, ObjectType.Commit)));

    private byte[] LoadVerified(ObjectName name)
    {
        var bytes = repo.LoadMetadata(name);
        var actual = Checksum.Compute(bytes);
        if (actual != name.Checksum)
            throw new CorruptObjectException($"Corrupted {name.Type.DisplayName()} object {name.Checksum}: actual checksum is {actual}");
        return bytes;
    }
}
