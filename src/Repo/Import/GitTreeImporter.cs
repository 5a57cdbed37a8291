using System.Text;
using Arbor.Repo.Commit;
using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using LibGit2Sharp;

namespace Arbor.Repo.Import;

/// <summary>
/// Overlays a git tree (<c>--tree=git=REPO:REV</c>, an Arbor extension) into a
/// <see cref="MutableTree"/>: blobs become regular files (0755 when git records them executable,
/// 0644 otherwise), symlink entries become symlinks, directories get 0755; everything is owned
/// by 0:0 before the overrides. Submodules cannot be represented and are refused.
/// </summary>
public static class GitTreeImporter
{
    private const uint DirMode = ObjectFormats.S_IFDIR | 0x1ED;

    public static void Import(ImportContext ctx, string repoPath, string rev, MutableTree root)
    {
        LibGit2Sharp.Repository git;
        try
        {
            git = new LibGit2Sharp.Repository(repoPath);
        }
        catch (RepositoryNotFoundException)
        {
            throw new RepoException($"Not a git repository: '{repoPath}'");
        }
        catch (LibGit2SharpException e)
        {
            throw new RepoException($"Opening git repository '{repoPath}': {e.Message}");
        }
        using (git)
        {
            Tree tree;
            try
            {
                tree = Peel(git.Lookup(rev), rev, repoPath);
            }
            catch (LibGit2SharpException e)
            {
                throw new RepoException($"Revision '{rev}' not found in git repository '{repoPath}': {e.Message}");
            }
            ImportTree(ctx, tree, root, "");
        }
    }

    private static Tree Peel(GitObject? obj, string rev, string repoPath) => obj switch
    {
        Tree t => t,
        LibGit2Sharp.Commit c => c.Tree,
        TagAnnotation tag => Peel(tag.Target, rev, repoPath),
        null => throw new RepoException($"Revision '{rev}' not found in git repository '{repoPath}'"),
        _ => throw new RepoException($"Revision '{rev}' in git repository '{repoPath}' is not a commit or tree"),
    };

    private static void ImportTree(ImportContext ctx, Tree tree, MutableTree node, string path)
    {
        var modifier = ctx.Modifier;
        node.MetadataChecksum = ctx.WriteDirMeta(new DirMetaObject(0, 0, DirMode, XattrList.Empty));
        foreach (var entry in tree)
        {
            var name = entry.Name;
            var entryPath = path.Length == 0 ? name : path + "/" + name;
            if (!TreeEntryName.IsValid(name))
                throw new RepoException($"Invalid filename '{TreeEntryName.Escape(entryPath)}' in git tree");
            switch (entry.Mode)
            {
                case Mode.Directory:
                    ImportTree(ctx, (Tree)entry.Target, node.EnsureDir(name), entryPath);
                    break;
                case Mode.NonExecutableFile:
                case Mode.NonExecutableGroupWritableFile:
                case Mode.ExecutableFile:
                {
                    var blob = (Blob)entry.Target;
                    uint perms = entry.Mode == Mode.ExecutableFile ? 0x1EDu : 0x1A4u;
                    var (uid, gid, mode) = modifier.Apply(0, 0, ObjectFormats.S_IFREG | perms);
                    using var content = blob.GetContentStream();
                    node.ReplaceFile(name, ctx.WriteFile(new FileHeader(uid, gid, mode, "", XattrList.Empty), content, blob.Size));
                    break;
                }
                case Mode.SymbolicLink:
                {
                    var blob = (Blob)entry.Target;
                    var target = blob.GetContentText(Encoding.UTF8);
                    if (target.Length == 0 || target.Contains('\0'))
                        throw new RepoException($"Invalid symlink target for '{entryPath}' in git tree");
                    var (uid, gid, mode) = modifier.Apply(0, 0, ObjectFormats.S_IFLNK | 0x1FF);
                    node.ReplaceFile(name, ctx.WriteFile(new FileHeader(uid, gid, mode, target, XattrList.Empty), null, 0));
                    break;
                }
                case Mode.GitLink:
                    throw new RepoException($"Submodules are not supported: '{entryPath}' in git tree");
                default:
                    throw new RepoException($"Unsupported git tree entry mode {Convert.ToString((int)entry.Mode, 8)} for '{entryPath}'");
            }
        }
    }
}
