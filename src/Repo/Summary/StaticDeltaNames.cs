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
    public static IEnumerable<(string Name, byte[] SuperblockDigest)> List(Repository repo)
    {
        var root = repo.FullPath(RepoLayout.Deltas);
        if (!Directory.Exists(root)) yield break;
        foreach (var d1 in Directory.EnumerateDirectories(root))
        {
            foreach (var d2 in Directory.EnumerateDirectories(d1))
            {
                var superblock = Path.Combine(d2, "superblock");
                if (!File.Exists(superblock)) continue;
                var encoded = Path.GetFileName(d1) + Path.GetFileName(d2);
                var name = Decode(encoded);
                if (name is null) continue;
                yield return (name, System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(superblock)));
            }
        }
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
