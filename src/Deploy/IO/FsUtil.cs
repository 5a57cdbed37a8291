using Arbor.Repo.Native;

namespace Arbor.Deploy.IO;

/// <summary>Small file-system steps the sysroot code repeats (rm -rf is Repo's TreeRemoval): mkdir -p, symlink replacement, file replacement.</summary>
internal static class FsUtil
{
    /// <summary>mkdir -p with <paramref name="mode"/> (the umask applies, as with mkdir(2)).</summary>
    public static void EnsureDirectory(string path, uint mode = 0x1ED) => Files.MkdirParents(path, mode);

    /// <summary>
    /// Creates or atomically replaces a symlink as ostree's symlink_at_replace does: a stale
    /// <c>NAME.tmp</c> is removed, the link is made there, then renamed over <paramref name="linkPath"/>.
    /// </summary>
    public static void ReplaceSymlink(string target, string linkPath)
    {
        var tmp = linkPath + ".tmp";
        if (Files.TryLStat(tmp) is not null) File.Delete(tmp);
        Files.Symlink(target, tmp);
        Rename.Replace(tmp, linkPath);
    }

    /// <summary>Writes a whole file under a temporary name in the same directory, then renames it into place.</summary>
    public static void ReplaceFile(string path, ReadOnlySpan<byte> bytes, uint mode = 0x1A4, bool fsync = false)
    {
        var dir = Path.GetDirectoryName(path)!;
        var tmp = Path.Join(dir, "." + Path.GetFileName(path) + ".tmp-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)));
        try
        {
            using (var h = File.OpenHandle(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                if (bytes.Length > 0) RandomAccess.Write(h, bytes, 0);
                Files.FChmod(h, mode, tmp);
                if (fsync) Sync.FSync(h, tmp);
            }
            Rename.Replace(tmp, path);
        }
        catch
        {
            // best effort: the temp file is ours and may not exist if creation failed
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    public static void ReplaceFile(string path, string text, uint mode = 0x1A4, bool fsync = false) =>
        ReplaceFile(path, System.Text.Encoding.UTF8.GetBytes(text), mode, fsync);

    /// <summary>Removes a file or symlink if present (never a directory).</summary>
    public static void EnsureUnlinked(string path)
    {
        if (Files.TryLStat(path) is { IsDirectory: false }) File.Delete(path);
    }

    /// <summary>Bumps a directory's mtime to now, so watchers of <c>ostree/deploy</c> notice a change.</summary>
    public static void Touch(string path) => Directory.SetLastWriteTimeUtc(path, DateTime.UtcNow);
}
