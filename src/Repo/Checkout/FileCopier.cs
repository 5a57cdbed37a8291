using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Checkout;

/// <summary>
/// Writes a file entry as a copy of its object (ostree's <c>create_file_copy_from_input_at</c>):
/// content by copy_file_range or inflation, then owner and xattrs (normal mode only), then the
/// mode, in that order so chown cannot clear setuid bits. User mode masks setuid/setgid and makes
/// unreadable files owner-readable. Existing destinations are handled per overwrite mode.
/// </summary>
internal sealed class FileCopier(CheckoutRun run)
{
    private const uint S_ISUID = 0x800, S_ISGID = 0x400, S_IRUSR = 0x100;

    public void Copy(WorkerState worker, DirectoryNode dir, ReadOnlySpan<byte> nameZ, Checksum checksum)
    {
        using var source = SourceFile.Open(run.Chain, checksum, wantXattrs: !run.UserMode);
        try
        {
            bool wrote = source.IsSymlink ? CopySymlink(dir, nameZ, source) : CopyRegular(worker, dir, nameZ, source);
            if (!wrote)
            {
                worker.Skipped++;
                return;
            }
            worker.Copied++;
            if (source.IsSymlink) worker.Symlinks++; else worker.RegularFiles++;
        }
        catch (Exception e) when (e is ArborException or IOException)
        {
            throw new CheckoutException($"Copy checkout of {checksum} to {CheckoutDirTree.Text(nameZ)}: {e.Message}", e);
        }
    }

    private bool CopySymlink(DirectoryNode dir, ReadOnlySpan<byte> nameZ, SourceFile source)
    {
        var target = source.SymlinkTargetZ!;
        int e = AtFiles.TrySymlinkAt(target, dir.Handle, nameZ);
        if (e == Errno.EEXIST)
        {
            switch (run.Options.Overwrite)
            {
                case CheckoutOverwriteMode.None:
                    throw Failed("symlinkat", e);
                case CheckoutOverwriteMode.UnionFiles:
                    if (run.Options.ProcessDockerWhiteouts) TreeRemoval.RemoveAt(dir, nameZ);
                    else
                    {
                        int u = AtFiles.TryUnlinkAt(dir.Handle, nameZ, directory: false);
                        if (u != 0 && u != Errno.ENOENT) throw new CheckoutException($"unlinkat({CheckoutDirTree.Text(nameZ)}): {Errno.Describe(u)}");
                    }
                    e = AtFiles.TrySymlinkAt(target, dir.Handle, nameZ);
                    if (e != 0) throw Failed("symlinkat", e);
                    // ostree returns here without applying owner and xattrs to a replaced symlink
                    return true;
                case CheckoutOverwriteMode.AddFiles:
                    return false;
                case CheckoutOverwriteMode.UnionIdentical:
                    int se = AtFiles.TryStatAt(dir.Handle, nameZ, follow: false, out var st);
                    if (se != 0) throw Failed("fstatat", se);
                    if (st.IsSymlink && AtFiles.TryReadLinkAt(dir.Handle, nameZ, out var existing) == 0
                        && existing.AsSpan().SequenceEqual(target.AsSpan(0, target.Length - 1)))
                        return false;
                    throw Failed("symlinkat", Errno.EEXIST);
            }
        }
        else if (e != 0) throw Failed("symlinkat", e);

        if (run.LabelsDirectoriesAndSymlinks) run.SetLabel(dir.ChildPath(nameZ), run.LabelPath(dir, nameZ), source.Mode);
        if (!run.UserMode)
        {
            e = AtFiles.TryChownAt(dir.Handle, nameZ, source.Uid, source.Gid);
            if (e != 0) throw Failed("fchownat", e);
            var xattrs = run.XattrsToApply(source.Xattrs);
            if (xattrs.Count > 0)
            {
                var path = dir.ChildPath(nameZ);
                foreach (var x in xattrs.Items) Native.Xattrs.Set(path, x.Name, x.Value);
            }
        }
        return true;
    }

    private bool CopyRegular(WorkerState worker, DirectoryNode dir, ReadOnlySpan<byte> nameZ, SourceFile source)
    {
        var overwrite = run.Options.Overwrite;
        if (overwrite == CheckoutOverwriteMode.UnionIdentical)
        {
            int s = AtFiles.TryStatAt(dir.Handle, nameZ, follow: false, out var st);
            if (s == 0)
            {
                if (ExistingFile.Checksum(run, dir, nameZ, st) == source.Checksum) return false;
                throw Failed("linkat", Errno.EEXIST);
            }
            if (s != Errno.ENOENT) throw Failed("fstatat", s);
        }
        if (overwrite == CheckoutOverwriteMode.UnionFiles && run.Options.ProcessDockerWhiteouts) TreeRemoval.RemoveAt(dir, nameZ);

        var plan = Plan(dir, source) with { LabelPath = run.Labeling is null ? null : run.LabelPath(dir, nameZ) };
        int e = AtFiles.TryCreateExclusive(dir.Handle, nameZ, plan.ModeAtCreation ? plan.Mode : 0x180 /* 0600 */, out var handle);
        if (e == Errno.EEXIST)
        {
            if (overwrite == CheckoutOverwriteMode.AddFiles) return false;
            if (overwrite == CheckoutOverwriteMode.UnionFiles)
            {
                WriteToTempAndReplace(worker, dir, nameZ, source, plan with { ModeAtCreation = false });
                return true;
            }
        }
        if (e != 0) throw Failed("openat", e);
        WriteAndClose(worker, dir, nameZ, handle!, source, plan);
        return true;
    }

    /// <summary>The file's final mode, and which of chown/chmod it still needs after creation.</summary>
    private readonly record struct WritePlan(uint Mode, bool Chown, bool ModeAtCreation)
    {
        /// <summary>The path the file is labeled as (its final name, also when written under a temporary one), or null.</summary>
        public string? LabelPath { get; init; }
    }

    private WritePlan Plan(DirectoryNode dir, SourceFile source)
    {
        uint mode = source.Mode & 0xFFF;
        if (run.UserMode)
        {
            mode &= ~(S_ISUID | S_ISGID);
            if ((mode & S_IRUSR) == 0) mode |= S_IRUSR; // ostree's override for user-unreadable files
        }
        // a new file in a directory this checkout created already belongs to the effective ids
        bool chown = !run.UserMode && !(dir.Clean && run.IsOwnIdentity(source.Uid, source.Gid));
        bool atCreation = dir.Clean && !chown && (run.UserMode || source.Xattrs.Count == 0) && run.CanCreateWith(mode);
        return new WritePlan(mode, chown, atCreation);
    }

    private void WriteToTempAndReplace(WorkerState worker, DirectoryNode dir, ReadOnlySpan<byte> nameZ, SourceFile source, WritePlan plan)
    {
        Span<byte> buffer = stackalloc byte[TempName.MaxLength];
        Span<byte> tmp = buffer;
        SafeFileHandle? handle;
        for (int attempt = 0; ; attempt++)
        {
            tmp = TempName.Fill(buffer, ".arbor-union-"u8);
            int e = AtFiles.TryCreateExclusive(dir.Handle, tmp, 0x180, out handle);
            if (e == 0) break;
            if (e != Errno.EEXIST || attempt >= 128) throw Failed("openat", e);
        }
        WriteAndClose(worker, dir, tmp, handle!, source, plan);
        int r = AtFiles.TryRenameAt(dir.Handle, tmp, dir.Handle, nameZ, 0);
        if (r != 0)
        {
            _ = AtFiles.TryUnlinkAt(dir.Handle, tmp, directory: false); // best effort: report the rename error
            throw Failed("renameat", r);
        }
    }

    private void WriteAndClose(WorkerState worker, DirectoryNode dir, ReadOnlySpan<byte> nameZ, SafeFileHandle handle, SourceFile source, WritePlan plan)
    {
        bool ok = false;
        try
        {
            // no path for errors: the caller's "Copy checkout of ... to NAME" prefix names the file
            // ostree labels a regular file before writing it, outside user mode only
            if (!run.UserMode && plan.LabelPath is { } labelPath) run.SetLabel(handle, labelPath, source.Mode, dir.ChildPath(nameZ));
            worker.BytesCopied += source.CopyContentTo(handle, worker.CopyBuffer, null);
            if (plan.Chown) Files.FChown(handle, source.Uid, source.Gid);
            if (!run.UserMode)
                foreach (var x in run.XattrsToApply(source.Xattrs).Items) Native.Xattrs.Set(handle, x.Name, x.Value);
            // after chown, which clears setuid and setgid
            if (!plan.ModeAtCreation) Files.FChmod(handle, plan.Mode);
            if (run.Options.Fsync) Sync.FSync(handle);
            ok = true;
        }
        finally
        {
            handle.Dispose();
            if (!ok) _ = AtFiles.TryUnlinkAt(dir.Handle, nameZ, directory: false); // best effort: the write error is the one to report
        }
    }

    private static CheckoutException Failed(string operation, int errno) => new($"{operation}: {Errno.Describe(errno)}");
}
