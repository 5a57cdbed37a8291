using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Store;

namespace Arbor.Repo.Refs;

/// <summary>
/// Writes, deletes and aliases refs as <c>_ostree_repo_write_ref</c> does (ostree-repo-refs.c):
/// names validated with ostree's messages, parent directories created, a directory of refs in the
/// way replaced only when it holds no other ref, deletions leave parent directories, aliases are
/// relative symlinks, and the repository's mtime is bumped after every change, then the summary
/// regenerated when <c>core.auto-update-summary</c> is set (these writes are outside a transaction).
/// </summary>
public static class RefWriter
{
    private const uint RefFileMode = 0x1A4; // 0644

    /// <summary>Points <paramref name="name"/> (under <paramref name="remote"/> when given) at <paramref name="target"/>, or deletes it when null.</summary>
    /// <param name="inTransaction">True when a transaction publishes the ref (the summary is then its business).</param>
    public static void Set(Repository repo, string? remote, string name, Checksum? target, bool inTransaction = false)
    {
        Validate(remote, name);
        var dir = Dir(repo, remote);
        if (target is null)
        {
            var path = Path.Combine(dir, name);
            if (Files.TryLStat(path) is { } st)
            {
                if (st.IsDirectory) throw new RepoException($"unlinkat({name}): Is a directory");
                try { File.Delete(path); }
                catch (IOException e) when (e.HResult > 0 && e.HResult < 4096) { throw new RepoException($"unlink({name}): {Errno.Describe(e.HResult)}"); }
                catch (UnauthorizedAccessException) { throw new RepoException($"unlink({name}): {Errno.Describe(Errno.EACCES)}"); }
            }
        }
        else
        {
            WriteChecksumFile(repo, remote, dir, name, target.Value);
        }
        TouchRepo(repo);
        if (!inTransaction) Summary.SummaryWriter.MaybeRegenerate(repo);
    }

    /// <summary>Makes <paramref name="name"/> a symlink alias of the local ref <paramref name="target"/>.</summary>
    public static void SetAlias(Repository repo, string name, string target)
    {
        Validate(null, name);
        var dir = Dir(repo, null);
        var path = Path.Combine(dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var relTarget = string.Concat(Enumerable.Repeat("../", name.Count(c => c == '/'))) + target;
        AtomicFile.ReplaceSymlink(relTarget, path);
        TouchRepo(repo);
        Summary.SummaryWriter.MaybeRegenerate(repo);
    }

    private static void Validate(string? remote, string name)
    {
        if (remote is not null && !RefName.IsValidRemote(remote)) throw new RepoException($"Invalid remote name {remote}");
        if (!RefName.IsValid(name)) throw new RepoException($"Invalid ref name {name}");
    }

    /// <summary>The directory the ref goes in; refs/heads or refs/remotes must be there, as ostree opens it first.</summary>
    private static string Dir(Repository repo, string? remote)
    {
        var top = remote is null ? RepoLayout.RefsHeads : RepoLayout.RefsRemotes;
        var st = Files.TryStat(repo.FullPath(top));
        if (st is not { IsDirectory: true })
            throw new RepoException($"opendir({top}): {Errno.Describe(st is null ? Errno.ENOENT : Errno.ENOTDIR)}");
        if (remote is null) return repo.FullPath(RepoLayout.RefsHeads);
        return repo.FullPath(Path.Combine(RepoLayout.RefsRemotes, remote));
    }

    private static void WriteChecksumFile(Repository repo, string? remote, string dir, string name, Checksum target)
    {
        if (Checksum.TryParse(name, out _) && name.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
            throw new RepoException($"Rev name '{name}' looks like a checksum");
        var path = Path.Combine(dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (Files.TryLStat(path) is { IsDirectory: true })
        {
            // a directory of refs named like the new ref: allowed only when it holds no ref but this name
            var under = new RefListing(repo).List(Refspec.Format(remote, name));
            foreach (var key in under.Keys)
                if (key != name) throw new RepoException($"Conflict: {key} exists under {name} when attempting write");
            Directory.Delete(path, recursive: true);
        }
        AtomicFile.WriteAllText(path, target + "\n", RefFileMode);
    }

    /// <summary><c>_ostree_repo_update_mtime</c>: futimens(repo, NULL).</summary>
    private static void TouchRepo(Repository repo)
    {
        var now = DateTime.UtcNow;
        Directory.SetLastWriteTimeUtc(repo.Path, now);
        Directory.SetLastAccessTimeUtc(repo.Path, now);
    }
}
