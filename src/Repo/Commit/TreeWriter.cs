using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.Commit;

/// <summary>
/// Writes the dirtree objects of a <see cref="MutableTree"/> bottom-up (ostree_repo_write_mtree):
/// children first, then each directory from its sorted entries. Untouched nodes that stand for an
/// existing dirtree are not written again. <see cref="Seal"/> writes one finished directory ahead
/// of the rest, with the same bytes the final <see cref="Write"/> would give it.
/// </summary>
public static class TreeWriter
{
    /// <summary>Returns the root (dirtree, dirmeta) checksums.</summary>
    public static (Checksum Tree, Checksum Meta) Write(Transaction tx, MutableTree root)
    {
        var meta = root.MetadataChecksum ?? throw new RepoException("Can't commit an empty tree");
        return (WriteContents(tx, root), meta);
    }

    /// <summary>
    /// Writes the dirtree of a directory that will not change any more (and of any of its
    /// subdirectories not written yet), then collapses the node to its checksums.
    /// </summary>
    public static Checksum Seal(Transaction tx, MutableTree node)
    {
        var contents = WriteContents(tx, node);
        node.Seal(contents);
        return contents;
    }

    private static Checksum WriteContents(Transaction tx, MutableTree node)
    {
        if (node.ContentsChecksum is { } known) return known;
        var (files, dirs) = node.Snapshot();
        var fileEntries = new DirTreeFile[files.Count];
        for (int i = 0; i < files.Count; i++) fileEntries[i] = new DirTreeFile(files[i].Key, files[i].Value);
        var dirEntries = new DirTreeDir[dirs.Count];
        for (int i = 0; i < dirs.Count; i++)
        {
            var (name, child) = (dirs[i].Key, dirs[i].Value);
            var childMeta = child.MetadataChecksum ?? throw new RepoException("Can't commit an empty tree");
            dirEntries[i] = new DirTreeDir(name, WriteContents(tx, child), childMeta);
        }
        var checksum = tx.WriteMetadata(ObjectType.DirTree, new DirTreeObject(fileEntries, dirEntries).Serialize());
        node.SetWrittenContents(checksum);
        return checksum;
    }
}
