using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.Native;

namespace Arbor.Repo.Store;

/// <summary>Replace-by-rename file writes: temp name in the same directory, fsync, rename.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text, uint mode = 0x1A4 /* 0644 */) =>
        WriteAllBytes(path, Encoding.UTF8.GetBytes(text), mode);

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, uint mode = 0x1A4, bool fsync = true)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var tmp = System.IO.Path.Combine(dir, "." + System.IO.Path.GetFileName(path) + ".tmp-" + TempName.Random());
        try
        {
            using (var h = OpenTemp(tmp))
            {
                if (bytes.Length > 0) RandomAccess.Write(h, bytes, 0);
                Files.FChmod(h, mode, tmp);
                if (fsync) Sync.FSync(h, tmp);
            }
            Rename.Replace(tmp, path);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>
    /// Creates the temp file; when the directory cannot take it (a read-only mount, no permission)
    /// the error is glnx_file_replace_contents_at's, "open(O_TMPFILE): ERROR", as ostree prints it.
    /// </summary>
    private static Microsoft.Win32.SafeHandles.SafeFileHandle OpenTemp(string tmp)
    {
        try
        {
            return File.OpenHandle(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None);
        }
        catch (UnauthorizedAccessException)
        {
            throw new RepoException($"open(O_TMPFILE): {Errno.Describe(Errno.EACCES)}");
        }
        catch (IOException e) when (e.HResult is Errno.EROFS or Errno.ENOSPC or Errno.EDQUOT)
        {
            throw new RepoException($"open(O_TMPFILE): {Errno.Describe(e.HResult)}");
        }
    }

    /// <summary>Creates or replaces a symlink atomically (symlink at a temp name, then rename).</summary>
    public static void ReplaceSymlink(string target, string linkPath)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(linkPath))!;
        var tmp = System.IO.Path.Combine(dir, "." + System.IO.Path.GetFileName(linkPath) + ".tmp-" + TempName.Random());
        Files.Symlink(target, tmp);
        try { Rename.Replace(tmp, linkPath); }
        catch { TryDelete(tmp); throw; }
    }

    internal static void TryDelete(string path)
    {
        // best effort: the temp file is ours and may not exist if creation failed
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

internal static class TempName
{
    public static string Random() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
}
