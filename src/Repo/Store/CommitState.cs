using Arbor.Repo.Core;

namespace Arbor.Repo.Store;

/// <summary>Whether a commit is partial, and why (repo-format.md §2, <c>state/C.commitpartial</c>).</summary>
[Flags]
public enum CommitStates
{
    Normal = 0,
    /// <summary>Some objects below the commit are not in the repository (interrupted or shallow pull).</summary>
    Partial = 1,
    /// <summary>fsck found missing or corrupt objects and marked the commit (the file holds the byte 'f').</summary>
    FsckPartial = 2,
}

/// <summary>Reads and writes the <c>state/C.commitpartial</c> markers.</summary>
public static class CommitState
{
    public static CommitStates Read(Repository repo, Checksum commit)
    {
        var path = repo.FullPath(RepoLayout.CommitPartialPath(commit));
        try
        {
            using var h = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            Span<byte> reason = stackalloc byte[1];
            return RandomAccess.Read(h, reason, 0) == 1 && reason[0] == (byte)'f'
                ? CommitStates.Partial | CommitStates.FsckPartial
                : CommitStates.Partial;
        }
        catch (FileNotFoundException) { return CommitStates.Normal; }
        catch (DirectoryNotFoundException) { return CommitStates.Normal; }
    }

    /// <summary>Marks a commit partial because fsck found damage below it; an existing marker is kept as is.</summary>
    public static void MarkFsckPartial(Repository repo, Checksum commit)
    {
        Directory.CreateDirectory(repo.FullPath(RepoLayout.State));
        var path = repo.FullPath(RepoLayout.CommitPartialPath(commit));
        try
        {
            using var h = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            RandomAccess.Write(h, "f"u8, 0);
        }
        catch (IOException) when (File.Exists(path))
        {
            // already partial: ostree keeps the existing marker (O_EXCL)
        }
    }

    /// <summary>Removes the marker (the commit is complete, or is being deleted).</summary>
    public static void Clear(Repository repo, Checksum commit)
    {
        var path = repo.FullPath(RepoLayout.CommitPartialPath(commit));
        try { File.Delete(path); }
        catch (DirectoryNotFoundException) { } // no state/ directory: nothing to clear
    }
}
