namespace Arbor.Repo.Fsck;

/// <summary>What <c>fsck</c> does besides checking (ostree 2022.7's flags).</summary>
public sealed record FsckOptions
{
    /// <summary>--all: report every corrupt object instead of stopping at the first.</summary>
    public bool All { get; init; }
    /// <summary>--delete: delete corrupt objects (their commits are then marked partial).</summary>
    public bool Delete { get; init; }
    /// <summary>--add-tombstones: delete commits whose parent is missing, leaving tombstones (ostree's behaviour).</summary>
    public bool AddTombstones { get; init; }
    /// <summary>--verify-bindings: each ref's commit lists the ref in <c>ostree.ref-binding</c>.</summary>
    public bool VerifyBindings { get; init; }
    /// <summary>--verify-back-refs: each ref in a commit's bindings resolves to that commit.</summary>
    public bool VerifyBackRefs { get; init; }
    /// <summary>Threads that verify objects; ostree uses one.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}
