using Arbor.Repo.Commit;
using Arbor.Repo.Core;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Import;

/// <summary>
/// Overlays the tree of an existing commit (<c>--tree=ref=REV</c>, ostree_repo_write_directory_to_mtree
/// on a repo file). Without a modifier, untouched directories are reused as they are; with one,
/// every entry's metadata is modified and files whose header changes are written again.
/// </summary>
public static class CommitTreeImporter
{
    public static void Import(ImportContext ctx, Checksum commit, MutableTree root)
    {
        var c = ctx.Repository.LoadCommit(commit);
        ImportDir(ctx, c.RootTree, c.RootMeta, root);
    }

    private static void ImportDir(ImportContext ctx, Checksum tree, Checksum meta, MutableTree node)
    {
        var repo = ctx.Repository;
        var modifier = ctx.Modifier;
        if (modifier.IsIdentity)
        {
            if (node.TryFillEmptyFromDirTree(repo, tree, meta)) return;
            node.MetadataChecksum = meta;
        }
        else
        {
            var dirMeta = repo.LoadDirMeta(meta);
            if (modifier.SkipSourceXattrs) dirMeta = dirMeta with { Xattrs = XattrList.Empty };
            node.MetadataChecksum = ctx.WriteDirMeta(dirMeta);
        }

        var dirTree = repo.LoadDirTree(tree);
        foreach (var f in dirTree.Files)
            node.ReplaceFile(f.Name, modifier.IsIdentity ? f.Checksum : RewriteFile(ctx, f.Checksum));
        foreach (var d in dirTree.Dirs)
            ImportDir(ctx, d.Tree, d.Meta, node.EnsureDir(d.Name));
    }

    /// <summary>The file with the modifier applied: the same object when its header does not change.</summary>
    private static Checksum RewriteFile(ImportContext ctx, Checksum checksum)
    {
        var content = ctx.Repository.LoadContent(checksum);
        var header = content.Header;
        if (ctx.Modifier.SkipSourceXattrs && header.Xattrs.Count > 0) header = header with { Xattrs = XattrList.Empty };
        header = ctx.Modifier.Apply(header);
        if (header == content.Header) return checksum;
        if (header.IsSymlink) return ctx.WriteFile(header, null, 0);
        using var stream = content.OpenContent();
        return ctx.WriteFile(header, stream, content.Size);
    }
}
