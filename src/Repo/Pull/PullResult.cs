using Arbor.Repo.Core;

namespace Arbor.Repo.Pull;

/// <summary>What a pull did: the refs it wrote and the objects it fetched.</summary>
public sealed record PullResult
{
    /// <summary>Refs written (or that a dry run would write): (remote or null, ref, commit).</summary>
    public required IReadOnlyList<(string? Remote, string Ref, Checksum Commit)> Refs { get; init; }
    /// <summary>Commits pulled (requested and their fetched parents).</summary>
    public required IReadOnlyList<Checksum> Commits { get; init; }
    public int MetadataFetched { get; init; }
    public int ContentFetched { get; init; }
    /// <summary>Objects imported from <c>--localcache-repo</c> repositories instead of fetched (not counted above).</summary>
    public int MetadataFromCache { get; init; }
    public int ContentFromCache { get; init; }
    /// <summary>Objects a dry run would fetch (metadata counted as fetched).</summary>
    public int ContentMissing { get; init; }
    public long BytesTransferred { get; init; }
    public long ContentBytesWritten { get; init; }
    public TimeSpan Elapsed { get; init; }
    /// <summary>True when the source is a local repository (objects imported, not fetched).</summary>
    public bool Local { get; init; }
    /// <summary>Static delta use; null when deltas were not considered.</summary>
    public DeltaPullStats? Deltas { get; init; }
}
