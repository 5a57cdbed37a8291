using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Repo.Summary;

/// <summary>
/// Names of the static deltas stored under <c>deltas/</c> (pull-protocol.md §6): each directory
/// <c>deltas/XX/REST</c> with a <c>superblock</c> is named by its checksums in "modified base64"
/// (standard alphabet, <c>/</c> written <c>_</c>, no padding), and listed as <c>FROM-TO</c> or
/// <c>TO</c> in hex.
/// </summary>
public static class StaticDeltaNames
{
    /// <summary>Every delta name with the SHA-256 of its superblock file.</summary>
    public static IEnumerable<(string Name, byte[] SuperblockDigest)> List(Repository repo) =>
        EnumerateDirectories(repo).Select(d => (d.Name, System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(d.Path, "superblock")))));

    /// <summary>Every delta directory holding a superblock, with its name, in the order the directories are read.</summary>
    public static IEnumerable<(string Name, string Path)> EnumerateDirectories(Repository repo)
    {
        var root = repo.FullPath(RepoLayout.Deltas);
        if (!Directory.Exists(root)) yield break;
        foreach (var d1 in Directory.EnumerateDirectories(root))
        {
            foreach (var d2 in Directory.EnumerateDirectories(d1))
            {
                if (!File.Exists(Path.Combine(d2, "superblock"))) continue;
                var name = Decode(Path.GetFileName(d1) + Path.GetFileName(d2));
                if (name is not null) yield return (name, d2);
            }
        }
    }

    /// <summary>The checksum named by a delta index file <c>delta-indexes/XX/REST.index</c> (null when it is not one).</summary>
    public static Checksum? DecodeIndexName(string dir, string file) =>
        dir.Length == 2 && file.Length == 41 + ".index".Length && file.EndsWith(".index", StringComparison.Ordinal)
            ? FromModifiedBase64(dir + file[..41])
            : null;

    /// <summary>The relative path of the index of deltas leading to <paramref name="to"/>.</summary>
    public static string RelativeIndexPath(Checksum to)
    {
        var b64 = ToModifiedBase64(to);
        return $"{RepoLayout.DeltaIndexes}/{b64[..2]}/{b64[2..]}.index";
    }

    /// <summary>"modified base64" of a checksum (43 characters).</summary>
    public static string ToModifiedBase64(Checksum checksum) =>
        Convert.ToBase64String(checksum.ToBytes()).TrimEnd('=').Replace('/', '_');

    /// <summary>The relative directory of a delta, <c>deltas/XX/REST</c>.</summary>
    public static string RelativeDirectory(Checksum? from, Checksum to)
    {
        var name = from is { } f ? ToModifiedBase64(f) + "-" + ToModifiedBase64(to) : ToModifiedBase64(to);
        return $"{RepoLayout.Deltas}/{name[..2]}/{name[2..]}";
    }

    private static string? Decode(string encoded)
    {
        int dash = encoded.IndexOf('-');
        var to = FromModifiedBase64(dash < 0 ? encoded : encoded[(dash + 1)..]);
        if (to is null) return null;
        if (dash < 0) return to.Value.ToString();
        var from = FromModifiedBase64(encoded[..dash]);
        return from is null ? null : $"{from}-{to}";
    }

    private static Checksum? FromModifiedBase64(string s)
    {
        if (s.Length != 43) return null;
        try
        {
            var bytes = Convert.FromBase64String(s.Replace('_', '/') + "=");
            return bytes.Length == Checksum.ByteLength ? Checksum.FromBytes(bytes) : null;
        }
        catch (FormatException) { return null; }
    }
}
