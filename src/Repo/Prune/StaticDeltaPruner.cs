using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Repo.Prune;

/// <summary>
/// Removes static deltas (pull-protocol.md §6: <c>deltas/F[0:2]/F[2:]-T/</c> or <c>deltas/T[0:2]/T[2:]/</c>,
/// checksums in modified base64) whose target commit is gone, or that lead to one given commit.
/// </summary>
internal static class StaticDeltaPruner
{
    private const int Base64ChecksumLength = 43;

    /// <summary>Deletes the deltas to <paramref name="target"/>, or (null) those whose target commit is missing.</summary>
    public static void Prune(Repository repo, Checksum? target)
    {
        var root = repo.FullPath(RepoLayout.Deltas);
        if (!Directory.Exists(root)) return;
        foreach (var outer in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal).ToList())
        {
            foreach (var dir in Directory.EnumerateDirectories(outer).Order(StringComparer.Ordinal).ToList())
            {
                if (!File.Exists(Path.Combine(dir, "superblock"))) continue;
                var name = Path.GetFileName(outer) + Path.GetFileName(dir);
                int dash = name.IndexOf('-');
                var toPart = dash < 0 ? name : name[(dash + 1)..];
                if (!TryDecode(toPart, out var to)) continue; // not a delta name: leave it alone
                bool delete = target is { } t ? to == t : !repo.HasObject(to, ObjectType.Commit);
                if (delete) Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>ostree's modified base64: standard base64 with '_' for '/', without the '=' padding.</summary>
    internal static bool TryDecode(string text, out Checksum checksum)
    {
        checksum = default;
        if (text.Length != Base64ChecksumLength) return false;
        Span<byte> bytes = stackalloc byte[Checksum.ByteLength + 1];
        if (!Convert.TryFromBase64String(text.Replace('_', '/') + "=", bytes, out int n) || n != Checksum.ByteLength) return false;
        checksum = Checksum.FromBytes(bytes[..n]);
        return true;
    }
}
