namespace Arbor.Repo.Pull;

/// <summary>What a pull did with static deltas (ostree's delta progress keys).</summary>
public sealed record DeltaPullStats
{
    /// <summary>Superblocks used.</summary>
    public int Superblocks { get; init; }
    /// <summary>Parts fetched (or skipped because every object they hold was present), as ostree counts "delta parts".</summary>
    public int PartsFetched { get; init; }
    public int PartsTotal { get; init; }
    public int FallbacksFetched { get; init; }
    public int FallbacksTotal { get; init; }
    public ulong FetchedSize { get; init; }
    public ulong TotalSize { get; init; }
    public ulong TotalUncompressedSize { get; init; }
    /// <summary>Superblock, delta-index and detached-metadata requests of the delta path (ostree counts them with the loose metadata).</summary>
    public int IndexAndSuperblockFetches { get; init; }
}
