using Arbor.Repo.Core;

namespace Arbor.Repo.Fsck;

/// <summary>The outcome of a completed fsck run (fatal problems are thrown instead).</summary>
public sealed record FsckResult
{
    /// <summary>Complete commits whose objects were verified.</summary>
    public required int VerifiedCommits { get; init; }
    /// <summary>A missing or corrupt object was found.</summary>
    public required bool FoundCorruption { get; init; }
    /// <summary>Commits marked partial, which were not verified.</summary>
    public required int PartialCommits { get; init; }
    /// <summary>Of those, the ones an earlier fsck marked partial because of damage.</summary>
    public required int FsckPartialCommits { get; init; }
    /// <summary>Commits deleted and replaced by tombstones (--add-tombstones).</summary>
    public required IReadOnlyList<Checksum> Tombstoned { get; init; }

    public bool Succeeded => !FoundCorruption && FsckPartialCommits == 0;

    /// <summary>Throws ostree's final error when the repository is not healthy.</summary>
    public void EnsureSuccess()
    {
        if (FoundCorruption) throw new RepoException("Repository corruption encountered");
        // ostree prints the number of all partial commits here, not only the fsck-marked ones
        if (FsckPartialCommits > 0) throw new RepoException($"{PartialCommits} partial commits from fsck-detected corruption");
    }

    /// <summary>The line ostree prints on success.</summary>
    public string SuccessMessage => $"object fsck of {VerifiedCommits} commits completed successfully - no errors found.";
}
