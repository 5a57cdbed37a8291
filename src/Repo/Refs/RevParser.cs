using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Repo.Refs;

/// <summary>
/// Resolves a revision as <c>ostree_repo_resolve_rev</c> does (ostree-repo-refs.c), in its order:
/// a full checksum; a hex prefix (any length, even empty) of exactly one commit object; <c>REV^</c>
/// for the parent; <c>[REMOTE:]REF</c>; and, for a local ref that does not exist, <c>REMOTE/REF</c>
/// under refs/remotes, then the first remote (readdir order) that has the ref.
/// </summary>
public static class RevParser
{
    private const string HexChars = "0123456789abcdef";

    public static Checksum Resolve(Repository repo, string rev, bool allowMissing = false) =>
        ResolveInternal(repo, rev, fallbackRemote: true)
        ?? throw new RefNotFoundException($"Refspec '{rev}' not found");

    /// <summary>As <see cref="Resolve"/>, but null when the ref does not exist (other errors still throw).</summary>
    public static Checksum? TryResolve(Repository repo, string rev) => ResolveInternal(repo, rev, fallbackRemote: true, allowNoent: true);

    /// <summary><c>ostree_repo_resolve_rev_ext</c>: local refs only, no fallback to remotes.</summary>
    public static Checksum? TryResolveLocal(Repository repo, string rev) => ResolveInternal(repo, rev, fallbackRemote: false, allowNoent: true);

    private static Checksum? ResolveInternal(Repository repo, string refspec, bool fallbackRemote, bool allowNoent = false)
    {
        if (Checksum.TryParse(refspec, out var full) && IsLowerHex(refspec)) return full;
        if (ResolvePartial(repo, refspec) is { } partial) return partial;

        if (refspec.EndsWith('^'))
        {
            var parentSpec = refspec[..^1];
            var child = ResolveInternal(repo, parentSpec, fallbackRemote: true, allowNoent);
            if (child is null) return null;
            var commit = repo.LoadCommit(child.Value);
            return commit.Parent ?? throw new RepoException($"Commit {child} has no parent");
        }

        var (remote, name) = Refspec.Parse(refspec);
        return ResolveRefspec(repo, remote, name, allowNoent, fallbackRemote);
    }

    private static bool IsLowerHex(string s)
    {
        foreach (char c in s) if (HexChars.IndexOf(c) < 0) return false;
        return true;
    }

    /// <summary><c>ostree_repo_resolve_partial_checksum</c>: a hex string of at most 64 characters matching one commit.</summary>
    private static Checksum? ResolvePartial(Repository repo, string prefix)
    {
        if (prefix.Length > Checksum.HexLength || !IsLowerHex(prefix)) return null;
        Checksum? found = null;
        int count = 0;
        foreach (var c in CommitsStartingWith(repo, prefix))
        {
            if (found == c) continue;
            found = c;
            count++;
        }
        if (count > 1) throw new RepoException($"Refspec {prefix} not unique");
        return found;
    }

    /// <summary>Commit objects whose checksum starts with <paramref name="prefix"/> (loose objects only, as ostree).</summary>
    public static IEnumerable<Checksum> CommitsStartingWith(Repository repo, string prefix)
    {
        var objects = repo.FullPath(RepoLayout.Objects);
        for (int i = 0; i < 256; i++)
        {
            var dirName = HexChars[i >> 4].ToString() + HexChars[i & 0xF];
            if (prefix.Length >= 2 ? !prefix.StartsWith(dirName, StringComparison.Ordinal) : !dirName.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            var dir = Path.Combine(objects, dirName);
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir, "*.commit"))
            {
                var name = Path.GetFileName(file);
                if (name.Length != 62 + ".commit".Length) continue;
                var hex = dirName + name[..62];
                if (!hex.StartsWith(prefix, StringComparison.Ordinal)) continue;
                if (Checksum.TryParse(hex, out var c)) yield return c;
            }
        }
    }

    private static Checksum? ResolveRefspec(Repository repo, string? remote, string name, bool allowNoent, bool fallbackRemote)
    {
        if (Checksum.TryParse(name, out var literal) && IsLowerHex(name)) return literal;
        string? path;
        if (remote is not null)
        {
            path = OpenableFile(repo, repo.FullPath(RepoLayout.RemoteRefPath(remote, name)));
        }
        else
        {
            path = OpenableFile(repo, repo.FullPath(RepoLayout.HeadRefPath(name)));
            if (path is null && fallbackRemote)
                path = OpenableFile(repo, repo.FullPath($"{RepoLayout.RefsRemotes}/{name}")) ?? FindInRemotes(repo, name);
        }
        if (path is null)
        {
            if (allowNoent) return null;
            throw new RefNotFoundException($"Refspec '{Refspec.Format(remote, name)}' not found");
        }
        if (Directory.Exists(path)) throw new RefIsDirectoryException($"Couldn't open ref '{name}': Is a directory");
        string text;
        try { text = File.ReadAllText(path); }
        catch (UnauthorizedAccessException e)
        {
            throw new RepoException($"openat({System.IO.Path.GetRelativePath(repo.Path, path)}): {Native.IoErrors.Describe(e)}", e);
        }
        catch (IOException e)
        {
            throw new RepoException($"Couldn't open ref '{name}': {Native.IoErrors.Describe(e)}", e);
        }
        text = text.TrimEnd(' ', '\t', '\n', '\r', '\f', '\v');
        return ParseChecksum(text);
    }

    /// <summary><c>ostree_validate_checksum_string</c> with ostree's messages.</summary>
    public static Checksum ParseChecksum(string text)
    {
        if (text.Length != Checksum.HexLength)
        {
            var shown = text.Length > Checksum.HexLength ? text[..Checksum.HexLength] : text;
            throw new RepoException($"Invalid rev {shown.Replace('\n', ' ')}");
        }
        foreach (char c in text)
            if (HexChars.IndexOf(c) < 0)
                throw new RepoException($"Invalid character '{(int)c}' in rev '{text}'");
        return Checksum.Parse(text);
    }

    /// <summary>
    /// The path when it exists, so <c>openat(O_RDONLY)</c> is tried on it (files, and directories too, as in C);
    /// null when it does not; a search or permission failure, or a ref file where a directory should be (ENOTDIR),
    /// is ostree's openat error, not a missing ref.
    /// </summary>
    private static string? OpenableFile(Repository repo, string path)
    {
        try { return Native.Files.TryStat(path, notDirectoryIsMissing: false) is null ? null : path; }
        catch (Native.NativeIOException e)
        {
            throw new RepoException($"openat({Path.GetRelativePath(repo.Path, path)}): {Native.Errno.Describe(e.Errno)}");
        }
    }

    /// <summary><c>find_ref_in_remotes</c>: the first remote directory, in readdir order, holding the ref.</summary>
    private static string? FindInRemotes(Repository repo, string name)
    {
        var remotes = repo.FullPath(RepoLayout.RefsRemotes);
        if (!Directory.Exists(remotes)) throw new RepoException($"opendir(refs/remotes): No such file or directory");
        foreach (var dir in Directory.EnumerateDirectories(remotes))
        {
            if (Native.Files.TryLStat(dir) is not { IsDirectory: true }) continue;
            if (OpenableFile(repo, Path.Combine(dir, name)) is { } p) return p;
        }
        return null;
    }
}

/// <summary>A ref path names a directory of refs (ostree's G_IO_ERROR_IS_DIRECTORY when reading it).</summary>
public sealed class RefIsDirectoryException(string message) : RepoException(message);
