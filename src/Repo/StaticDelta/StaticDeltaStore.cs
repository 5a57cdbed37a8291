using Arbor.Repo.Core;
using Arbor.Repo.Store;
using Arbor.Repo.Summary;

namespace Arbor.Repo.StaticDelta;

/// <summary>
/// The deltas stored in a repository's <c>deltas/</c> (pull-protocol.md §6): their names
/// (<c>FROM-TO</c> or <c>TO</c>, in directory order as ostree lists them), lookup and removal.
/// </summary>
public static class StaticDeltaStore
{
    /// <summary>Every delta with a superblock, in the order the directories are read.</summary>
    public static IEnumerable<string> ListNames(Repository repo) => StaticDeltaNames.EnumerateDirectories(repo).Select(d => d.Name);

    /// <summary>Splits <c>FROM-TO</c> or <c>TO</c>, checking both checksums as ostree does.</summary>
    public static (Checksum? From, Checksum To) ParseName(string name)
    {
        int dash = name.IndexOf('-');
        var first = dash < 0 ? name : name[..dash];
        if (!Checksum.TryParse(first, out var a)) throw new RepoException($"Invalid rev {first}");
        if (dash < 0) return (null, a);
        var second = name[(dash + 1)..];
        if (!Checksum.TryParse(second, out var b)) throw new RepoException($"Invalid rev {second}");
        return (a, b);
    }

    /// <summary>The superblock's path relative to the repository.</summary>
    public static string SuperblockPath(Checksum? from, Checksum to) => StaticDeltaNames.RelativeDirectory(from, to) + "/superblock";

    /// <summary>
    /// The bytes of the superblock a delta id names (a path when it holds a <c>/</c>, as ostree's
    /// show and verify take it), and the name errors use for it.
    /// </summary>
    public static (byte[] Bytes, string Shown) ReadSuperblock(Repository repo, string id)
    {
        string path, shown;
        if (id.Contains('/'))
        {
            path = Path.GetFullPath(id);
            shown = id;
        }
        else
        {
            var (from, to) = ParseName(id);
            shown = SuperblockPath(from, to);
            path = repo.FullPath(shown);
        }
        if (!File.Exists(path)) throw new RepoException($"openat({shown}): No such file or directory");
        return (File.ReadAllBytes(path), shown);
    }

    public static bool Exists(Repository repo, string name)
    {
        var (from, to) = ParseName(name);
        return File.Exists(repo.FullPath(SuperblockPath(from, to)));
    }

    /// <summary>Removes a delta's directory (ostree: "Can't find delta NAME" when there is none).</summary>
    public static void Delete(Repository repo, string name)
    {
        var (from, to) = ParseName(name);
        var dir = repo.FullPath(StaticDeltaNames.RelativeDirectory(from, to));
        if (!Directory.Exists(dir) && !File.Exists(dir)) throw new RepoException($"Can't find delta {name}");
        if (File.Exists(dir)) File.Delete(dir);
        else Directory.Delete(dir, recursive: true);
    }
}
