using System.Collections.Concurrent;
using System.IO.Enumeration;
using System.Runtime.ExceptionServices;
using Arbor.Repo.Commit;
using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.Import;

/// <summary>
/// Overlays a directory of the file system into a <see cref="MutableTree"/>
/// (ostree_repo_write_dfd_to_mtree). One thread walks the directories (dirmeta from each real
/// directory: owner, mode, xattrs); regular files and symlinks are hashed and written by
/// <see cref="ImportContext.Parallelism"/> workers, streaming, as the walk produces them.
/// Devices, fifos and sockets are refused, as ostree refuses them. When nothing will be overlaid
/// after this tree, each directory is sealed as soon as all of it is committed (its dirtree
/// written, its entries dropped: <see cref="OpenDirectory"/>), so memory follows the directories
/// still open rather than the size of the tree.
/// </summary>
public static class DirectoryImporter
{
    // RelPath: the entry's path from the committed root, only when the modifier needs paths (a path filter, a labeling policy)
    private readonly record struct FileJob(OpenDirectory Dir, string Name, string Path, FileStatus Status, string? RelPath);

    /// <summary>
    /// Overlays <paramref name="path"/> into <paramref name="root"/>. <paramref name="seal"/>: no
    /// later tree will be overlaid, so every directory of the walk (root included) is sealed once
    /// complete; its dirtree is then already in the transaction.
    /// </summary>
    public static void Import(ImportContext ctx, string path, MutableTree root, bool seal = false)
    {
        var st = Files.TryLStat(path) ?? throw new RepoException($"opendir({path}): No such file or directory");
        if (st.IsSymlink) st = Files.TryStat(path) ?? throw new RepoException($"opendir({path}): No such file or directory");
        if (!st.IsDirectory) throw new RepoException($"opendir({path}): Not a directory");

        var jobs = Walk(ctx, path, OpenDirectory.Root(ctx, root, seal), st);
        var options = new ParallelOptions { MaxDegreeOfParallelism = ctx.Parallelism };
        try
        {
            // NoBuffering: workers take one file at a time, so the walk never runs far ahead (flat memory)
            Parallel.ForEach(Partitioner.Create(jobs, EnumerablePartitionerOptions.NoBuffering), options, job =>
            {
                CommitFile(ctx, job);
                job.Dir.FileDone();
            });
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private static IEnumerable<FileJob> Walk(ImportContext ctx, string rootPath, OpenDirectory root, FileStatus rootStatus)
    {
        bool paths = ctx.Modifier.NeedsPaths;
        var pending = new Stack<(string Path, OpenDirectory Dir, FileStatus Status, string? RelPath)>();
        pending.Push((rootPath, root, rootStatus, paths ? "/" : null));
        while (pending.Count > 0)
        {
            var (dir, open, st, rel) = pending.Pop();
            var node = open.Node;
            if (!paths)
            {
                var xattrs = ctx.Modifier.SkipSourceXattrs ? XattrList.Empty : ReadXattrs(dir);
                node.MetadataChecksum = ctx.WriteDirMeta(new DirMetaObject(st.Uid, st.Gid, st.Mode, xattrs));
            }
            else
            {
                uint uid = st.Uid, gid = st.Gid, mode = st.Mode;
                if (!ctx.Modifier.TryApply(rel, ref uid, ref gid, ref mode))
                {
                    // only the root gets here skipped (a subdirectory is skipped from its parent's listing)
                    if (node.MetadataChecksum is null) throw new RepoException("Can't commit an empty tree");
                    open.ListingDone();
                    continue;
                }
                var xattrs = ctx.Modifier.Label(rel, mode, ctx.Modifier.SkipSourceXattrs ? XattrList.Empty : ReadXattrs(dir));
                node.MetadataChecksum = ctx.WriteDirMeta(new DirMetaObject(uid, gid, mode, xattrs), applyModifier: false);
            }

            foreach (var name in EnumerateNames(dir))
            {
                var childPath = dir.EndsWith('/') ? dir + name : dir + "/" + name;
                // a name that is not UTF-8 comes back with U+FFFD in it and cannot be found again under that name
                var child = name.Contains('\uFFFD')
                    ? Files.TryLStat(childPath) ?? throw new RepoException($"Invalid UTF-8 in filename {name}")
                    : Files.LStat(childPath);
                var childRel = rel is null ? null : CommitPathFilter.Join(rel, name);
                if (child.IsDirectory)
                {
                    // ostree filters a subdirectory here too (for skipping; the mode it gives is not used)
                    if (childRel is not null)
                    {
                        uint u = child.Uid, g = child.Gid, m = child.Mode;
                        if (!ctx.Modifier.TryApply(childRel, ref u, ref g, ref m)) continue;
                    }
                    pending.Push((childPath, open.Subdirectory(node.EnsureDir(name)), child, childRel));
                }
                else if (child.IsRegular || child.IsSymlink)
                {
                    open.FileStarted();
                    yield return new FileJob(open, name, childPath, child, childRel);
                }
                else
                    throw new RepoException($"Not a regular file or symlink: {name}");
            }
            open.ListingDone();
        }
    }

    private static FileSystemEnumerable<string> EnumerateNames(string dir) =>
        new(dir, static (ref FileSystemEntry e) => e.FileName.ToString(), new EnumerationOptions
        {
            RecurseSubdirectories = false,
            AttributesToSkip = 0,
            IgnoreInaccessible = false,
            ReturnSpecialDirectories = false,
        });

    private static void CommitFile(ImportContext ctx, FileJob job)
    {
        var st = job.Status;
        var modifier = ctx.Modifier;
        Checksum? hit = null;
        // looked up whatever happens to xattrs, as ostree does: -I takes the object as it is, and a bare-user
        // object gives the real owner and mode even when the commit cannot take the fast path below
        if (ctx.LinkCache is { } cache && cache.TryGet(st.Device, st.Inode, out var existing))
        {
            if (ctx.DevInoCanonical)
            {
                // --devino-canonical: a hardlink into the repository is the object, unfiltered (as ostree)
                job.Dir.Node.ReplaceFile(job.Name, existing);
                ctx.CountDevInoHit();
                return;
            }
            hit = existing;
        }

        uint uid = st.Uid, gid = st.Gid, mode = st.Mode;
        // in bare-user repositories the real metadata of a hit is the object's user.ostreemeta
        if (hit is { } h && ctx.Repository.Mode == RepoMode.BareUser)
        {
            var header = ctx.Repository.LoadContent(h).Header;
            (uid, gid, mode) = (header.Uid, header.Gid, header.Mode);
        }
        var source = (uid, gid, mode);
        if (!modifier.TryApply(job.RelPath, ref uid, ref gid, ref mode)) return;
        // a devino hit counts only when the modifier leaves the metadata as it is (ostree's "modified_file_meta",
        // which xattrs not read from the file make true)
        if (hit is { } unmodified && UnmodifiedMetadata(modifier, (uid, gid, mode), source))
        {
            job.Dir.Node.ReplaceFile(job.Name, unmodified);
            ctx.CountDevInoHit();
            return;
        }
        // a path filter or a policy can treat two names of one inode differently: no sharing then
        bool shareLinks = st.Nlink > 1 && !modifier.NeedsPaths;
        if (shareLinks && ctx.TryGetInputHardlink(st.Device, st.Inode, out var linked))
        {
            job.Dir.Node.ReplaceFile(job.Name, linked);
            ctx.Transaction.CountReused(ObjectType.File, linked, st.Size);
            return;
        }

        var xattrs = modifier.Label(job.RelPath, mode, modifier.SkipSourceXattrs ? XattrList.Empty : ReadXattrs(job.Path));
        Checksum checksum;
        if (st.IsSymlink)
        {
            checksum = ctx.WriteFile(new FileHeader(uid, gid, mode, Files.ReadLink(job.Path), xattrs), null, 0);
        }
        else if (ctx.MayAdopt(st.Device) && (ctx.Repository.Mode == RepoMode.BareUserOnly || UnmodifiedMetadata(modifier, (uid, gid, mode), source)))
        {
            // ostree's can_adopt: a bare repository takes the file as it is only when the commit keeps its metadata
            checksum = ctx.Transaction.AdoptContent(new FileHeader(uid, gid, mode, "", xattrs), job.Path);
        }
        else
        {
            using var stream = HandleReadStream.Open(job.Path);
            checksum = ctx.WriteFile(new FileHeader(uid, gid, mode, "", xattrs), stream, st.Size);
        }
        if (shareLinks) ctx.AddInputHardlink(st.Device, st.Inode, checksum);
        job.Dir.Node.ReplaceFile(job.Name, checksum);
    }

    /// <summary>The modifier left the file's owner, mode and xattrs as they are on disk.</summary>
    private static bool UnmodifiedMetadata(CommitModifier modifier, (uint, uint, uint) committed, (uint, uint, uint) source) =>
        committed == source && !modifier.SkipSourceXattrs && modifier.SePolicy is not { Enabled: true };

    internal static XattrList ReadXattrs(string path)
    {
        var all = Native.Xattrs.GetAll(path);
        if (all.Count == 0) return XattrList.Empty;
        return XattrList.Canonical(all.Select(x => new Xattr(x.Name, x.Value)));
    }
}
