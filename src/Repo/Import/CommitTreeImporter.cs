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
        ImportDir(ctx, c.RootTree, c.RootMeta, root, ctx.Modifier.NeedsPaths ? "/" : null);
    }

    /// <summary><paramref name="path"/>: the directory's path from the root when the modifier needs paths, else null.</summary>
    private static void ImportDir(ImportContext ctx, Checksum tree, Checksum meta, MutableTree node, string? path)
    {
        var repo = ctx.Repository;
        var modifier = ctx.Modifier;
        bool reuse = modifier.IsIdentity && !ctx.RewritesAllContent;
        if (reuse)
        {
            if (node.TryFillEmptyFromDirTree(repo, tree, meta)) return;
            node.MetadataChecksum = meta;
        }
        else
        {
            var dirMeta = repo.LoadDirMeta(meta);
            if (modifier.SkipSourceXattrs) dirMeta = dirMeta with { Xattrs = XattrList.Empty };
            uint uid = dirMeta.Uid, gid = dirMeta.Gid, mode = dirMeta.Mode;
            if (!modifier.TryApply(path, ref uid, ref gid, ref mode)) return;
            var xattrs = modifier.Label(path, dirMeta.Mode, dirMeta.Xattrs);
            node.MetadataChecksum = ctx.WriteDirMeta(dirMeta with { Uid = uid, Gid = gid, Mode = mode, Xattrs = xattrs }, applyModifier: false);
        }

        var dirTree = repo.LoadDirTree(tree);
        foreach (var f in dirTree.Files)
        {
            if (reuse) node.ReplaceFile(f.Name, f.Checksum);
            else if (RewriteFile(ctx, f.Checksum, path is null ? null : CommitPathFilter.Join(path, f.Name)) is { } c)
                node.ReplaceFile(f.Name, c);
        }
        foreach (var d in dirTree.Dirs)
        {
            var childPath = path is null ? null : CommitPathFilter.Join(path, d.Name);
            if (childPath is not null)
            {
                // ostree filters a subdirectory when listing its parent too (for skipping; that mode is not used)
                var m = repo.LoadDirMeta(d.Meta);
                uint u = m.Uid, g = m.Gid, mode = m.Mode;
                if (!modifier.TryApply(childPath, ref u, ref g, ref mode)) continue;
            }
            ImportDir(ctx, d.Tree, d.Meta, node.EnsureDir(d.Name), childPath);
        }
    }

    /// <summary>The file with the modifier applied (null when filtered out): the same object when its header does not change.</summary>
    private static Checksum? RewriteFile(ImportContext ctx, Checksum checksum, string? path)
    {
        var content = ctx.Repository.LoadContent(checksum);
        var header = content.Header;
        if (ctx.Modifier.SkipSourceXattrs && header.Xattrs.Count > 0) header = header with { Xattrs = XattrList.Empty };
        uint uid = header.Uid, gid = header.Gid, mode = header.Mode;
        if (!ctx.Modifier.TryApply(path, ref uid, ref gid, ref mode)) return null;
        if (uid != header.Uid || gid != header.Gid || mode != header.Mode) header = header with { Uid = uid, Gid = gid, Mode = mode };
        var xattrs = ctx.Modifier.Label(path, header.Mode, header.Xattrs);
        if (!ReferenceEquals(xattrs, header.Xattrs)) header = header with { Xattrs = xattrs };
        if (header == content.Header && !ctx.RewritesAllContent) return checksum;
        if (header.IsSymlink) return ctx.WriteFile(header, null, 0);
        using var stream = content.OpenContent();
        return ctx.WriteFile(header, stream, content.Size);
    }
}
