using Arbor.Repo.Checkout;
using Arbor.Deploy.IO;
using Arbor.Repo.Native;

namespace Arbor.Deploy.Etc;

/// <summary>
/// Applies an <see cref="EtcDiff"/> onto a new deployment's <c>etc</c> exactly as ostree's
/// merge_configuration_from does (sysroot.md §6 step 2): removed paths are deleted, then every
/// modified and every added path is copied from the old <c>etc</c> (owner, mode, xattrs, mtime),
/// creating missing parents from the old <c>etc</c>'s directories. Local changes always win;
/// a directory's own metadata change is not carried over when the new tree has that directory.
/// </summary>
public static class EtcMerge
{
    /// <summary>The line ostree logs before merging.</summary>
    public static string Summary(EtcDiff diff) =>
        $"Copying /etc changes: {diff.Modified.Count} modified, {diff.Removed.Count} removed, {diff.Added.Count} added";

    /// <param name="diff">The local changes of the merge deployment.</param>
    /// <param name="oldEtc">The merge deployment's <c>etc</c> (the source of the changes).</param>
    /// <param name="newEtc">The new deployment's <c>etc</c>, a fresh copy of its <c>usr/etc</c>.</param>
    /// <param name="log">Told about skipped special files.</param>
    /// <param name="xattrs">Copy extended attributes (not with ostree's <c>OSTREE_SYSROOT_DEBUG=no-xattrs</c>).</param>
    public static void Apply(EtcDiff diff, string oldEtc, string newEtc, Action<string>? log = null, bool xattrs = true)
    {
        try
        {
            foreach (var path in diff.Removed) TreeRemoval.RemoveTree(Path.Join(newEtc, path));
            foreach (var path in diff.Modified) CopyModified(oldEtc, newEtc, path, log, xattrs);
            foreach (var path in diff.Added) CopyModified(oldEtc, newEtc, path, log, xattrs);
        }
        catch (DeployException e) { throw new DeployException("During /etc merge: " + e.Message, e); }
        catch (IOException e) { throw new DeployException("During /etc merge: " + e.Message, e); }
    }

    private static void CopyModified(string oldEtc, string newEtc, string path, Action<string>? log, bool xattrs)
    {
        var source = Path.Join(oldEtc, path);
        var st = Files.TryLStat(source) ?? throw new DeployException($"Reading modified config file: fstatat({path}): No such file or directory");

        int slash = path.LastIndexOf('/');
        if (slash > 0) EnsureDirectoryFromTemplate(oldEtc, newEtc, path[..slash], xattrs);

        var target = Path.Join(newEtc, path);
        var existing = Files.TryLStat(target);
        if (existing is { IsDirectory: true })
        {
            if (!st.IsDirectory) throw new DeployException($"Modified config file newly defaults to directory '{path}', cannot merge");
            return; // the directory (or its parent) was already copied; directory metadata is not merged
        }
        if (existing is not null) Files.Unlink(target);

        if (st.IsDirectory) FileCopy.CopyTree(source, target, xattrs: xattrs);
        else if (st.IsRegular || st.IsSymlink) FileCopy.CopyEntry(source, target, overwrite: true, xattrs: xattrs);
        else log?.Invoke($"Ignoring non-regular/non-symlink file found during /etc merge: {path}");
    }

    /// <summary>
    /// ensure_directory_from_template: makes <paramref name="path"/> (and missing parents) in the new
    /// etc, then gives it the owner, mode and xattrs of the same directory in the old etc — also
    /// when it already existed.
    /// </summary>
    private static void EnsureDirectoryFromTemplate(string oldEtc, string newEtc, string path, bool xattrs)
    {
        var source = Path.Join(oldEtc, path);
        if (Files.TryStat(source) is not { IsDirectory: true }) throw new DeployException($"opendir({path}): Not a directory");
        var target = Path.Join(newEtc, path);
        while (true)
        {
            try
            {
                Files.TryMkdir(target, 0x1C0);
                break;
            }
            catch (NativeIOException e) when (e.Errno == Errno.ENOENT)
            {
                int slash = path.LastIndexOf('/');
                if (slash <= 0) throw;
                EnsureDirectoryFromTemplate(oldEtc, newEtc, path[..slash], xattrs);
            }
        }
        if (Files.TryStat(target) is not { IsDirectory: true }) throw new DeployException($"opendir({path}): Not a directory");
        FileCopy.CopyDirectoryAttributes(source, target, xattrs);
    }
}
