using Arbor.Repo.Native;

namespace Arbor.Deploy.IO;

/// <summary>
/// The order GLib's GFileEnumerator lists a directory in, which ostree's /etc diff (and so
/// <c>admin config-diff</c>) inherits: readdir order, taken in chunks of 1000 entries, each chunk
/// sorted by inode number.
/// </summary>
internal static class DirectoryOrder
{
    private const int GLibChunkSize = 1000;

    public static IEnumerable<string> GLibEnumerate(string dir)
    {
        var chunk = new List<(ulong Inode, string Path)>(GLibChunkSize);
        foreach (var path in Directory.EnumerateFileSystemEntries(dir))
        {
            chunk.Add((Files.TryLStat(path)?.Inode ?? 0, path));
            if (chunk.Count == GLibChunkSize)
            {
                foreach (var p in Sorted(chunk)) yield return p;
                chunk.Clear();
            }
        }
        foreach (var p in Sorted(chunk)) yield return p;
    }

    private static IEnumerable<string> Sorted(List<(ulong Inode, string Path)> chunk) =>
        chunk.OrderBy(e => e.Inode).Select(e => e.Path).ToList();
}
