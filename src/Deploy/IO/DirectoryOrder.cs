using Arbor.Repo.Native;

namespace Arbor.Deploy.IO;

/// <summary>
/// The order GLib's GFileEnumerator lists a directory in, which ostree's /etc diff (and so
/// <c>admin config-diff</c>) inherits: readdir order, taken in chunks of 1000 entries, each chunk
/// sorted by inode number (the d_ino readdir reports). Names that are not UTF-8 come back escaped
/// (<see cref="DirEntries"/>), so the paths can be opened again through the Native layer.
/// </summary>
internal static class DirectoryOrder
{
    private const int GLibChunkSize = 1000;

    public static IEnumerable<string> GLibEnumerate(string dir)
    {
        var chunk = new List<(ulong Inode, string Path)>(GLibChunkSize);
        foreach (var entry in DirEntries.Read(dir))
        {
            chunk.Add((entry.Inode, Path.Join(dir, entry.Name)));
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
