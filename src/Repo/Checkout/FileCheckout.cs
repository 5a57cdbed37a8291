using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Checkout;

/// <summary>
/// Checks out one file entry of a dirtree, deciding as ostree's <c>checkout_one_file_at</c>:
/// whiteouts first; then a hardlink to the object when the repository stores it with the
/// checkout's own semantics (bare in normal mode, bare-user(-only) in user mode), except for
/// empty files, user-mode unreadable files and bare-user symlinks; otherwise a copy. The hot path
/// (a hardlink) costs one fstatat and one linkat and allocates nothing.
/// </summary>
internal sealed class FileCheckout(CheckoutRun run)
{
    private static ReadOnlySpan<byte> DockerWhiteoutPrefix => ".wh."u8;
    private static ReadOnlySpan<byte> OverlayWhiteoutPrefix => ".ostree-wh."u8;
    private static ReadOnlySpan<byte> OstreeMetaZ => "user.ostreemeta\0"u8;

    private readonly FileCopier _copier = new(run);
    private readonly Whiteouts _whiteouts = new(run);

    private enum LinkResult { NotSupported, SkipExisted, Linked }

    /// <summary>What the checkout needs to know about an object before linking it.</summary>
    private readonly record struct ObjectInfo(uint Mode, long Size)
    {
        public bool IsSymlink => ObjectFormats.IsSymlink(Mode);
    }

    public void Checkout(WorkerState worker, DirectoryNode dir, ReadOnlySpan<byte> nameZ, Checksum checksum)
    {
        var options = run.Options;
        if (dir.FilterPath is not null && options.Skip is { } skip && skip(dir.FilterPath + CheckoutDirTree.Text(nameZ)))
        {
            worker.Skipped++;
            return;
        }
        var name = nameZ[..^1];
        bool dockerCandidate = options.ProcessDockerWhiteouts && name.StartsWith(DockerWhiteoutPrefix);
        bool overlayCandidate = options.ProcessWhiteouts && name.StartsWith(OverlayWhiteoutPrefix);
        if (dockerCandidate || overlayCandidate)
        {
            using var source = SourceFile.Open(run.Chain, checksum, wantXattrs: !run.UserMode);
            if (!source.IsSymlink)
            {
                if (dockerCandidate) _whiteouts.Docker(dir, name[DockerWhiteoutPrefix.Length..]);
                else _whiteouts.Overlay(dir, name[OverlayWhiteoutPrefix.Length..], source);
                worker.Whiteouts++;
                return;
            }
        }

        ObjectInfo? info = null;
        var cache = run.Cache;
        if (!options.ForceCopy && (cache is not null || AnyHardlinkableStore())) info = Probe(checksum);
        if (info is { } i && !options.ForceCopy)
        {
            bool zeroSized = !i.IsSymlink && i.Size == 0;
            bool userUnreadable = run.UserMode && !i.IsSymlink && (i.Mode & 0x100) == 0; // S_IRUSR
            if (!zeroSized && !userUnreadable)
            {
                // an archive repository's cache holds its regular files in bare form
                if (cache?.Directory is { } cached && !i.IsSymlink && Counted(worker, TryHardlinkCached(cached, dir, nameZ, checksum), i)) return;
                foreach (var store in run.Chain)
                {
                    bool hardlinkable = run.CanHardlinkFrom(store);
                    // bare-user objects of symlinks are regular files holding the target: never linked
                    bool userModeSymlink = store.IsUserMode && i.IsSymlink;
                    if (options.RequireHardlinks && !hardlinkable && !userModeSymlink)
                        throw new CheckoutException(store.IsUserMode
                            ? "User repository mode requires user checkout mode to hardlink"
                            : "Bare repository mode cannot hardlink in user checkout mode");
                    if (!hardlinkable || userModeSymlink) continue;
                    if (Counted(worker, TryHardlink(store, dir, nameZ, checksum), i)) return;
                }
                // not cached yet: inflate it into the cache, then link from there
                if (cache is not null && !i.IsSymlink)
                {
                    using var source = SourceFile.Open(run.Chain, checksum, wantXattrs: false);
                    Span<byte> loose = stackalloc byte[ObjectStore.LooseNameMax];
                    loose = ObjectStore.LooseName(checksum, ".file"u8, loose);
                    var filled = cache.Add(source, loose, worker.CopyBuffer);
                    if (Counted(worker, TryHardlink(filled, loose, dir, nameZ, checksum), i)) return;
                }
                // the object vanished from every store between the probe and the link
                if (options.RequireHardlinks && !(i.IsSymlink && run.Primary.IsUserMode))
                {
                    Span<byte> loose = stackalloc byte[ObjectStore.LooseNameMax];
                    throw LinkError(run.Primary.LooseName(checksum, loose), nameZ, Errno.ENOENT);
                }
            }
        }
        else if (options.RequireHardlinks && !options.ForceCopy)
        {
            // no store can hardlink: ostree fails here unless the file is one it always copies
            using var source = SourceFile.Open(run.Chain, checksum, wantXattrs: false);
            bool alwaysCopied = (source.IsRegular && source.Size == 0)
                || (run.UserMode && source.IsRegular && (source.Mode & 0x100) == 0)
                || (run.Primary.IsUserMode && source.IsSymlink);
            if (!alwaysCopied)
                throw new CheckoutException(run.Primary.IsUserMode
                    ? "User repository mode requires user checkout mode to hardlink"
                    : "Bare repository mode cannot hardlink in user checkout mode");
        }
        _copier.Copy(worker, dir, nameZ, checksum);
    }

    /// <summary>Counts a link that was made or found already made; false when the caller must go on.</summary>
    private static bool Counted(WorkerState worker, LinkResult result, ObjectInfo info)
    {
        if (result == LinkResult.NotSupported) return false;
        if (result == LinkResult.Linked)
        {
            worker.Hardlinked++;
            if (info.IsSymlink) worker.Symlinks++; else worker.RegularFiles++;
        }
        else worker.Skipped++;
        return true;
    }

    private bool AnyHardlinkableStore()
    {
        foreach (var s in run.Chain)
            if (run.CanHardlinkFrom(s)) return true;
        return false;
    }

    /// <summary>Type, permissions and size of an object, from the first store that has it.</summary>
    private ObjectInfo Probe(Checksum checksum)
    {
        Span<byte> loose = stackalloc byte[ObjectStore.LooseNameMax];
        foreach (var store in run.Chain)
        {
            var name = store.LooseName(checksum, loose);
            if (store.Mode == RepoMode.Archive)
            {
                using var source = SourceFile.Open([store], checksum, wantXattrs: false);
                return new ObjectInfo(source.Mode, source.Size);
            }
            int e = AtFiles.TryStatAt(store.ObjectsDir, name, follow: false, out var st);
            if (e == Errno.ENOENT) continue;
            if (e != 0) throw Errno.Error("fstatat", ObjectStore.LoosePathText(name), e);
            if (store.Mode != RepoMode.BareUser) return new ObjectInfo(st.Mode, st.Size);
            // bare-user: the object is always a regular file; its real type and mode are in user.ostreemeta
            return new ObjectInfo(ReadOstreeMetaMode(store, name, checksum), st.Size);
        }
        throw new ObjectNotFoundException(new ObjectName(checksum, ObjectType.File), $"Couldn't find file object '{checksum}'");
    }

    private static uint ReadOstreeMetaMode(ObjectStore store, ReadOnlySpan<byte> looseZ, Checksum checksum)
    {
        const int Stack = 1024;
        Span<byte> path = store.AbsolutePathMax <= Stack ? stackalloc byte[Stack] : new byte[store.AbsolutePathMax];
        path = store.AbsolutePath(looseZ, path);
        Span<byte> value = stackalloc byte[Stack];
        int e = Native.Xattrs.TryGet(path, OstreeMetaZ, value, out int length);
        if (e == Errno.ERANGE)
        {
            var big = Native.Xattrs.Get(System.Text.Encoding.UTF8.GetString(path[..^1]), OstreeMetaZ[..^1]);
            if (big is null) e = Errno.ENODATA;
            else return SourceFile.ParseOstreeMeta(big, checksum).Mode;
        }
        if (e == Errno.ENODATA) throw new CorruptObjectException($"Corrupted file object {checksum}: missing user.ostreemeta xattr");
        if (e != 0) throw Errno.Error("lgetxattr", ObjectStore.LoosePathText(looseZ), e);
        return SourceFile.ParseOstreeMeta(value[..length], checksum).Mode;
    }

    private LinkResult TryHardlink(ObjectStore store, DirectoryNode dir, ReadOnlySpan<byte> nameZ, Checksum checksum)
    {
        Span<byte> loose = stackalloc byte[ObjectStore.LooseNameMax];
        return TryHardlink(store.ObjectsDir, store.LooseName(checksum, loose), dir, nameZ, checksum);
    }

    private LinkResult TryHardlinkCached(SafeFileHandle cache, DirectoryNode dir, ReadOnlySpan<byte> nameZ, Checksum checksum)
    {
        Span<byte> loose = stackalloc byte[ObjectStore.LooseNameMax];
        return TryHardlink(cache, ObjectStore.LooseName(checksum, ".file"u8, loose), dir, nameZ, checksum);
    }

    /// <summary>ostree's <c>checkout_file_hardlink</c>: links <paramref name="loose"/> of <paramref name="objects"/> (a store's
    /// <c>objects/</c>, or the uncompressed cache) as <paramref name="nameZ"/>.</summary>
    private LinkResult TryHardlink(SafeFileHandle objects, ReadOnlySpan<byte> loose, DirectoryNode dir, ReadOnlySpan<byte> nameZ, Checksum checksum)
    {
        int e = AtFiles.TryLinkAt(objects, loose, dir.Handle, nameZ);
        if (e == 0) return LinkResult.Linked;
        var options = run.Options;
        // EMLINK, EXDEV and EPERM only cost the optimization: copy instead
        if (!options.RequireHardlinks && e is Errno.EMLINK or Errno.EXDEV or Errno.EPERM) return LinkResult.NotSupported;
        if (e == Errno.ENOENT) return LinkResult.NotSupported; // not in this store: try the next one
        if (e != Errno.EEXIST) throw LinkError(loose, nameZ, e);
        switch (options.Overwrite)
        {
            case CheckoutOverwriteMode.None:
                throw LinkError(loose, nameZ, e);
            case CheckoutOverwriteMode.AddFiles:
                return LinkResult.SkipExisted;
        }
        // union and union-identical: done when the destination already is this object
        if (IsSameObject(objects, loose, dir, nameZ, checksum)) return LinkResult.SkipExisted;
        if (options.Overwrite == CheckoutOverwriteMode.UnionIdentical) throw LinkError(loose, nameZ, Errno.EEXIST);
        ReplaceWithLink(objects, loose, dir, nameZ);
        return LinkResult.Linked;
    }

    private bool IsSameObject(SafeFileHandle objects, ReadOnlySpan<byte> loose, DirectoryNode dir, ReadOnlySpan<byte> nameZ, Checksum checksum)
    {
        int e = AtFiles.TryStatAt(objects, loose, follow: false, out var src);
        if (e != 0) throw Errno.Error("fstatat", ObjectStore.LoosePathText(loose), e);
        e = AtFiles.TryStatAt(dir.Handle, nameZ, follow: false, out var dst);
        if (e != 0) throw Errno.Error("fstatat", dir.ChildPath(nameZ), e);
        if (src.SameFileAs(dst)) return true;
        // same mode, size and owner: compare content checksums as a last resort
        bool statEqual = src.Mode == dst.Mode && (!src.IsRegular || src.Size == dst.Size) && src.Uid == dst.Uid && src.Gid == dst.Gid;
        return statEqual && ExistingFile.Checksum(run, dir, nameZ, dst) == checksum;
    }

    private void ReplaceWithLink(SafeFileHandle objects, ReadOnlySpan<byte> loose, DirectoryNode dir, ReadOnlySpan<byte> nameZ)
    {
        Span<byte> buffer = stackalloc byte[TempName.MaxLength];
        Span<byte> tmp = buffer;
        for (int attempt = 0; ; attempt++)
        {
            tmp = TempName.Fill(buffer, "checkout-union-"u8);
            int e = AtFiles.TryLinkAt(objects, loose, dir.Handle, tmp);
            if (e == 0) break;
            if (e != Errno.EEXIST || attempt >= 128) throw Errno.Error("linkat", dir.ChildPath(tmp), e);
        }
        if (run.Options.ProcessDockerWhiteouts) TreeRemoval.RemoveAt(dir, nameZ);
        int r = AtFiles.TryRenameAt(dir.Handle, tmp, dir.Handle, nameZ, 0);
        if (r != 0)
        {
            _ = AtFiles.TryUnlinkAt(dir.Handle, tmp, directory: false); // best effort: the rename error is the one to report
            throw Errno.Error("renameat", dir.ChildPath(nameZ), r);
        }
    }

    private static CheckoutException LinkError(ReadOnlySpan<byte> loose, ReadOnlySpan<byte> nameZ, int errno) =>
        new($"Hardlinking {ObjectStore.LoosePathText(loose)} to {CheckoutDirTree.Text(nameZ)}: {Errno.Describe(errno)}");
}
