using Arbor.Deploy.IO;
using Arbor.Repo.Native;

namespace Arbor.Deploy.Etc;

/// <summary>
/// The local configuration changes of a deployment: its default <c>usr/etc</c> against its
/// current <c>etc</c>, computed as ostree_diff_dirs does with xattrs ignored (sysroot.md §6
/// step 1). Paths are relative to <c>etc</c>, listed in GLib's directory enumeration order (<see cref="IO.DirectoryOrder"/>); a modified
/// directory is listed before what changed inside it, an added directory before its contents.
/// Names that are not UTF-8 are kept escaped (<see cref="Utf8Path"/>); print them with <see cref="PathBytes"/>.
/// Computes only; <see cref="EtcMerge"/> applies.
/// </summary>
public sealed class EtcDiff
{
    public List<string> Modified { get; } = new();
    public List<string> Removed { get; } = new();
    public List<string> Added { get; } = new();

    public int Count => Modified.Count + Removed.Count + Added.Count;

    /// <summary>The raw bytes of a listed path, as ostree prints it.</summary>
    public static byte[] PathBytes(string path) => Utf8Path.Bytes(path);

    /// <summary>Diffs <paramref name="defaults"/> (old <c>usr/etc</c>) against <paramref name="current"/> (old <c>etc</c>).</summary>
    public static EtcDiff Compute(string defaults, string current)
    {
        var diff = new EtcDiff();
        diff.DiffDirs(defaults, current, "");
        return diff;
    }

    private void DiffDirs(string a, string b, string prefix)
    {
        foreach (var childA in DirectoryOrder.GLibEnumerate(a))
        {
            var name = Path.GetFileName(childA);
            var rel = prefix + name;
            var childB = Path.Join(b, name);
            var stB = Files.TryLStat(childB);
            if (stB is null)
            {
                Removed.Add(rel);
                continue;
            }
            var stA = Files.LStat(childA);
            if (Kind(stA) != Kind(stB.Value))
            {
                Modified.Add(rel);
                continue;
            }
            if (!SameObject(childA, stA, childB, stB.Value)) Modified.Add(rel);
            if (stA.IsDirectory) DiffDirs(childA, childB, rel + "/");
        }
        foreach (var childB in DirectoryOrder.GLibEnumerate(b))
        {
            var name = Path.GetFileName(childB);
            if (Files.TryLStat(Path.Join(a, name)) is not null) continue;
            var rel = prefix + name;
            Added.Add(rel);
            if (Files.LStat(childB).IsDirectory) AddRecursive(childB, rel + "/");
        }
    }

    private void AddRecursive(string dir, string prefix)
    {
        foreach (var child in DirectoryOrder.GLibEnumerate(dir))
        {
            var rel = prefix + Path.GetFileName(child);
            Added.Add(rel);
            if (Files.LStat(child).IsDirectory) AddRecursive(child, rel + "/");
        }
    }

    /// <summary>GFileType granularity: directory, regular, symlink, anything else ("special").</summary>
    private static int Kind(FileStatus st) => st.IsDirectory ? 1 : st.IsRegular ? 2 : st.IsSymlink ? 3 : 4;

    /// <summary>
    /// Equal OSTree checksums with xattrs ignored: same owner and full mode, and for regular files
    /// the same bytes, for symlinks the same target (repo-format.md §4.2–4.3).
    /// </summary>
    internal static bool SameObject(string pathA, FileStatus a, string pathB, FileStatus b)
    {
        if (a.Uid != b.Uid || a.Gid != b.Gid || a.Mode != b.Mode) return false;
        if (a.IsSymlink) return Files.ReadLinkEscaped(pathA) == Files.ReadLinkEscaped(pathB);
        if (a.IsRegular) return a.Size == b.Size && (a.SameFileAs(b) || SameContent(pathA, pathB));
        return true;
    }

    private static bool SameContent(string pathA, string pathB)
    {
        const int Chunk = 64 * 1024;
        using var ha = OpenFile.OpenRead(pathA);
        using var hb = OpenFile.OpenRead(pathB);
        var bufA = System.Buffers.ArrayPool<byte>.Shared.Rent(Chunk);
        var bufB = System.Buffers.ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            long offset = 0;
            while (true)
            {
                int na = ReadFull(ha, bufA.AsSpan(0, Chunk), offset);
                int nb = ReadFull(hb, bufB.AsSpan(0, Chunk), offset);
                if (na != nb || !bufA.AsSpan(0, na).SequenceEqual(bufB.AsSpan(0, nb))) return false;
                if (na == 0) return true;
                offset += na;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(bufA);
            System.Buffers.ArrayPool<byte>.Shared.Return(bufB);
        }
    }

    private static int ReadFull(Microsoft.Win32.SafeHandles.SafeFileHandle h, Span<byte> buf, long offset)
    {
        int total = 0;
        while (total < buf.Length)
        {
            int n = OpenFile.Read(h, buf[total..], offset + total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
