using Arbor.Repo.Core;

namespace Arbor.Repo.Prune;

/// <summary>What <c>prune</c> keeps and deletes (ostree 2022.7's flags, plus roots for deployment code).</summary>
public sealed record PruneOptions
{
    /// <summary>--refs-only: only commits reachable from refs are kept (otherwise every commit is a root).</summary>
    public bool RefsOnly { get; init; }
    /// <summary>--depth: parents walked from each root; -1 walks the whole history that is present.</summary>
    public int Depth { get; init; } = -1;
    /// <summary>--no-prune: count what would be deleted, delete nothing.</summary>
    public bool NoPrune { get; init; }
    /// <summary>--commit-only: only commits are walked and deleted; trees and files stay.</summary>
    public bool CommitOnly { get; init; }
    /// <summary>--keep-younger-than: from each ref keep the commits at least this recent (and the ref's own commit).</summary>
    public DateTimeOffset? KeepYoungerThan { get; init; }
    /// <summary>--retain-branch-depth=BRANCH=DEPTH: a depth per ref, overriding <see cref="Depth"/>
    /// (a depth of 0 is ignored, as ostree 2022.7 ignores it).</summary>
    public IReadOnlyDictionary<string, int> RetainBranchDepth { get; init; } = new Dictionary<string, int>();
    /// <summary>--only-branch: prune only these refs; every other ref keeps its whole history.</summary>
    public IReadOnlyList<string> OnlyBranches { get; init; } = [];
    /// <summary>--delete-commit: delete this commit first (refused while a ref points at it).</summary>
    public string? DeleteCommit { get; init; }
    /// <summary>--static-deltas-only: with <see cref="DeleteCommit"/>, delete only the static deltas to it.</summary>
    public bool StaticDeltasOnly { get; init; }
    /// <summary>Commits kept in addition to the refs (deployments), walked with <see cref="Depth"/>.</summary>
    public IReadOnlyCollection<Checksum> AdditionalRoots { get; init; } = [];

    /// <summary>The newer options that switch ostree to its refs-only, per-ref traversal.</summary>
    internal bool UsesPerRefRules => KeepYoungerThan is not null || RetainBranchDepth.Count > 0 || OnlyBranches.Count > 0;

    /// <summary>Told the counts so far while loose objects are examined (at most five times a second).</summary>
    public IProgress<PruneResult>? Progress { get; init; }
}
