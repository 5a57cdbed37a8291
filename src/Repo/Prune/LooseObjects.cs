using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Repo.Prune;

/// <summary>A loose object as prune sees it; <see cref="IsPayloadLink"/> marks a <c>.payload-link</c> (no ObjectType of its own).</summary>
internal readonly record struct LooseObject(ObjectName Name, bool IsPayloadLink)
{
    public string RelativePath(RepoMode mode)
    {
        var hex = Name.Checksum.ToString();
        return IsPayloadLink ? $"{RepoLayout.Objects}/{hex[..2]}/{hex[2..]}.payload-link" : RepoLayout.ObjectPath(Name, mode);
    }
}

/// <summary>
/// The objects ostree's prune lists (list_loose_objects): <c>.file</c> in bare modes or
/// <c>.filez</c> in archive mode, <c>.dirtree</c>, <c>.dirmeta</c>, <c>.commit</c> and
/// <c>.payload-link</c>. Detached metadata and tombstones are never listed (they go with their commit).
/// Ordered commits first, then other metadata, then files, so an interrupted prune never leaves a
/// commit whose trees are gone.
/// </summary>
internal static class LooseObjects
{
    public static List<LooseObject> List(Repository repo, bool commitsOnly)
    {
        var result = new List<LooseObject>();
        var root = repo.FullPath(RepoLayout.Objects);
        if (!Directory.Exists(root)) return result;
        var fileExt = repo.Mode == RepoMode.Archive ? "filez" : "file";
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            var prefix = Path.GetFileName(dir);
            if (prefix.Length != 2) continue;
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
            {
                var name = Path.GetFileName(entry.AsSpan());
                int dot = name.LastIndexOf('.');
                if (dot != 62 || !Checksum.TryParse(string.Concat(prefix, name[..dot]), out var c)) continue;
                var ext = name[(dot + 1)..];
                LooseObject? o = ext switch
                {
                    "commit" => new LooseObject(new ObjectName(c, ObjectType.Commit), false),
                    "dirtree" when !commitsOnly => new LooseObject(new ObjectName(c, ObjectType.DirTree), false),
                    "dirmeta" when !commitsOnly => new LooseObject(new ObjectName(c, ObjectType.DirMeta), false),
                    "payload-link" when !commitsOnly => new LooseObject(new ObjectName(c, ObjectType.File), true),
                    _ when !commitsOnly && ext.SequenceEqual(fileExt) => new LooseObject(new ObjectName(c, ObjectType.File), false),
                    _ => null,
                };
                if (o is { } obj) result.Add(obj);
            }
        }
        result.Sort((a, b) =>
        {
            int r = Rank(a).CompareTo(Rank(b));
            return r != 0 ? r : a.Name.Checksum.CompareTo(b.Name.Checksum);
        });
        return result;
    }

    private static int Rank(LooseObject o) => o.IsPayloadLink ? 5 : o.Name.Type switch
    {
        ObjectType.Commit => 0,
        ObjectType.DirTree => 1,
        ObjectType.DirMeta => 2,
        _ => 3,
    };
}
