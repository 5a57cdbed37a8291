using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Repo.Refs;

/// <summary>
/// Resolves a revision as ostree does: a full checksum, a unique checksum prefix, a local ref,
/// <c>REMOTE:REF</c>, a ref that exists only under one remote, and <c>REV^</c> for the parent.
/// </summary>
public static class RevParser
{
    public static Checksum Resolve(Repository repo, string rev, bool allowMissing = false)
        => TryResolve(repo, rev) ?? throw new RefNotFoundException($"Refspec '{rev}' not found");

    public static Checksum? TryResolve(Repository repo, string rev)
    {
        if (rev.EndsWith('^'))
        {
            var child = TryResolve(repo, rev[..^1]);
            if (child is null) return null;
            var commit = repo.LoadCommit(child.Value);
            return commit.Parent ?? throw new RefNotFoundException($"Commit {child} has no parent");
        }
        if (Checksum.TryParse(rev, out var full)) return full;

        var (remote, name) = rev.Contains(':') ? RefName.ParseRefspec(rev) : (null, rev);
        if (remote is null && RefName.IsValid(name))
        {
            var local = repo.Refs.TryRead(null, name);
            if (local is not null) return local;
        }
        else if (remote is not null)
        {
            if (!RefName.IsValid(name)) throw new RepoException($"Invalid ref name {name}");
            return repo.Refs.TryRead(remote, name);
        }

        // a ref that exists under exactly one remote
        if (RefName.IsValid(name))
        {
            foreach (var r in repo.Refs.RemotesWithRefs())
                if (repo.Refs.TryRead(r, name) is { } c) return c;
        }

        // a unique checksum prefix (at least 4 characters, ostree's minimum for abbreviations)
        if (name.Length >= 4 && name.Length < Checksum.HexLength && name.All(IsLowerHex))
            return ResolvePrefix(repo, name);

        if (!RefName.IsValid(name)) throw new RepoException($"Invalid refspec {rev}");
        return null;
    }

    private static bool IsLowerHex(char c) => c is >= '0' and <= '9' or >= 'a' and <= 'f';

    private static Checksum? ResolvePrefix(Repository repo, string prefix)
    {
        var dir = repo.FullPath(Path.Combine(RepoLayout.Objects, prefix[..2]));
        if (!Directory.Exists(dir)) return null;
        Checksum? found = null;
        var rest = prefix[2..];
        foreach (var f in Directory.EnumerateFiles(dir, rest + "*.commit"))
        {
            var name = Path.GetFileNameWithoutExtension(f);
            if (!Checksum.TryParse(prefix[..2] + name, out var c)) continue;
            if (found is not null && found != c) throw new RepoException($"Ambiguous checksum prefix '{prefix}'");
            found = c;
        }
        return found;
    }
}
