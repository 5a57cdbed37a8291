using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Store;

namespace Arbor.Repo.Refs;

/// <summary>
/// Refs under <c>refs/heads</c> and <c>refs/remotes/REMOTE</c>: 64 hex characters and a newline,
/// written atomically; aliases are relative symlinks (repo-format.md §2).
/// </summary>
public sealed class RefStore
{
    private readonly Repository _repo;

    internal RefStore(Repository repo) => _repo = repo;

    private string RefPath(string? remote, string name) =>
        _repo.FullPath(remote is null ? RepoLayout.HeadRefPath(name) : RepoLayout.RemoteRefPath(remote, name));

    /// <summary>The checksum a ref points at, or null when it does not exist.</summary>
    public Checksum? TryRead(string? remote, string name)
    {
        if (!RefName.IsValid(name)) return null;
        var path = RefPath(remote, name);
        string text;
        try { text = File.ReadAllText(path); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        catch (IOException) when (Directory.Exists(path)) { return null; }
        catch (UnauthorizedAccessException e) when (!Directory.Exists(path))
        {
            throw new RepoException($"openat({System.IO.Path.GetRelativePath(_repo.Path, path)}): {IoErrors.Describe(e)}");
        }
        catch (UnauthorizedAccessException) { return null; } // a directory: .NET reports EACCES for it
        text = text.TrimEnd();
        if (!Checksum.TryParse(text, out var c))
            throw new RepoException($"Invalid checksum in ref file '{path}'");
        return c;
    }

    public Checksum Read(string? remote, string name) =>
        TryRead(remote, name) ?? throw new RefNotFoundException(remote is null
            ? $"Refspec '{name}' not found"
            : $"Refspec '{remote}:{name}' not found");

    /// <summary>
    /// Writes (or deletes, with null) a ref atomically for a transaction or a deployment; a write is
    /// <see cref="RefWriter.Set"/>'s (<c>_ostree_repo_write_ref</c>), without the summary.
    /// </summary>
    public void Write(string? remote, string name, Checksum? target)
    {
        RefName.Validate(name);
        if (remote is not null && !RefName.IsValidRemote(remote)) throw new RepoException($"Invalid remote name {remote}");
        if (target is not null)
        {
            RefWriter.Set(_repo, remote, name, target, inTransaction: true);
            return;
        }
        var path = RefPath(remote, name);
        if (File.Exists(path) || Files.TryLStat(path) is { IsSymlink: true }) File.Delete(path);
        PruneEmptyParents(Path.GetDirectoryName(path)!, remote);
    }

    /// <summary>Creates an alias ref: a relative symlink to another ref in refs/heads.</summary>
    public void WriteAlias(string alias, string target)
    {
        RefName.Validate(alias);
        RefName.Validate(target);
        var path = RefPath(null, alias);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var rel = Path.GetRelativePath(Path.GetDirectoryName(path)!, RefPath(null, target));
        AtomicFile.ReplaceSymlink(rel, path);
    }

    /// <summary>The alias target when <paramref name="name"/> is a symlink ref.</summary>
    public string? AliasTarget(string name)
    {
        var path = RefPath(null, name);
        if (Files.TryLStat(path) is not { IsSymlink: true }) return null;
        var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, Files.ReadLink(path)));
        return Path.GetRelativePath(_repo.FullPath(RepoLayout.RefsHeads), full);
    }

    private void PruneEmptyParents(string dir, string? remote)
    {
        var stop = remote is null ? _repo.FullPath(RepoLayout.RefsHeads) : _repo.FullPath(Path.Combine(RepoLayout.RefsRemotes, remote));
        while (dir.Length > stop.Length && dir.StartsWith(stop, StringComparison.Ordinal))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(dir).Any()) break;
                Directory.Delete(dir);
            }
            catch (IOException) { break; }
            dir = Path.GetDirectoryName(dir)!;
        }
    }

    /// <summary>Local refs (refs/heads), name → checksum, sorted by name.</summary>
    public SortedDictionary<string, Checksum> ListHeads(string? prefix = null) => ListUnder(_repo.FullPath(RepoLayout.RefsHeads), prefix);

    /// <summary>Remote refs as "REMOTE:REF" → checksum, sorted.</summary>
    public SortedDictionary<string, Checksum> ListRemotes(string? remote = null)
    {
        var result = new SortedDictionary<string, Checksum>(StringComparer.Ordinal);
        var root = _repo.FullPath(RepoLayout.RefsRemotes);
        if (!Directory.Exists(root)) return result;
        foreach (var rdir in Directory.EnumerateDirectories(root))
        {
            var r = Path.GetFileName(rdir);
            if (remote is not null && r != remote) continue;
            foreach (var (k, v) in ListUnder(rdir, null)) result[$"{r}:{k}"] = v;
        }
        return result;
    }

    /// <summary>Names of remotes that have refs under refs/remotes.</summary>
    public IEnumerable<string> RemotesWithRefs()
    {
        var root = _repo.FullPath(RepoLayout.RefsRemotes);
        return Directory.Exists(root) ? Directory.EnumerateDirectories(root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal) : [];
    }

    private static SortedDictionary<string, Checksum> ListUnder(string root, string? prefix)
    {
        var result = new SortedDictionary<string, Checksum>(StringComparer.Ordinal);
        if (!Directory.Exists(root)) return result;
        var start = prefix is null ? root : Path.Combine(root, prefix);
        if (File.Exists(start))
        {
            if (ReadRefFile(start) is { } c) result[prefix!] = c;
            return result;
        }
        if (!Directory.Exists(start)) return result;
        var stack = new Stack<string>();
        stack.Push(start);
        while (stack.Count > 0)
        {
            var dir = stack.Pop();
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
            {
                var st = Files.TryLStat(entry);
                if (st is null) continue;
                if (st.Value.IsDirectory) { stack.Push(entry); continue; }
                var rel = Path.GetRelativePath(root, entry);
                if (!RefName.IsValid(rel)) continue;
                if (ReadRefFile(entry) is { } c) result[rel] = c;
            }
        }
        return result;
    }

    private static Checksum? ReadRefFile(string path)
    {
        try
        {
            var text = File.ReadAllText(path).TrimEnd();
            return Checksum.TryParse(text, out var c) ? c : null;
        }
        catch (IOException) { return null; }
    }
}
