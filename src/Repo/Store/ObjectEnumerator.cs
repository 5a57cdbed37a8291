using Arbor.Repo.Core;

namespace Arbor.Repo.Store;

/// <summary>Enumerates loose objects by scanning <c>objects/XX/</c>.</summary>
public static class ObjectEnumerator
{
    public static IEnumerable<ObjectName> ListAll(Repository repo)
    {
        var root = repo.FullPath(RepoLayout.Objects);
        if (!Directory.Exists(root)) yield break;
        foreach (var dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var prefix = Path.GetFileName(dir);
            if (prefix.Length != 2) continue;
            foreach (var file in Directory.EnumerateFileSystemEntries(dir))
            {
                var name = Path.GetFileName(file);
                int dot = name.IndexOf('.');
                if (dot != 62) continue;
                if (!Checksum.TryParse(prefix + name[..dot], out var c)) continue;
                if (!ObjectTypeExtensions.TryParseExtension(name.AsSpan(dot + 1), out var type)) continue;
                yield return new ObjectName(c, type);
            }
        }
    }

    public static IEnumerable<Checksum> ListCommits(Repository repo) =>
        ListAll(repo).Where(o => o.Type == ObjectType.Commit).Select(o => o.Checksum);
}
