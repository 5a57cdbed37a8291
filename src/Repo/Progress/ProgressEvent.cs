namespace Arbor.Repo.Progress;

/// <summary>What a pull is doing now.</summary>
public enum PullPhase
{
    /// <summary>Fetching the summary, config and refs.</summary>
    Resolving,
    /// <summary>Walking commits and trees; the object total is still growing.</summary>
    Scanning,
    /// <summary>Every object to fetch is known; content is streaming in.</summary>
    Receiving,
    /// <summary>Publishing objects and writing refs.</summary>
    Writing,
    Done,
}

/// <summary>
/// A snapshot of a pull's progress. <see cref="ObjectsTotal"/> counts every object that will be
/// requested; it is final (<see cref="TotalIsFinal"/>) once the metadata walk has ended, which
/// happens early because metadata is fetched first.
/// </summary>
public readonly record struct ProgressEvent(
    PullPhase Phase,
    int MetadataFetched,
    int ContentFetched,
    int ObjectsTotal,
    bool TotalIsFinal,
    long BytesTransferred,
    long ContentBytesWritten,
    TimeSpan Elapsed)
{
    public int ObjectsFetched => MetadataFetched + ContentFetched;

    /// <summary>Average transfer rate in bytes per second (0 in the first half second).</summary>
    public double BytesPerSecond => Elapsed.TotalSeconds < 0.5 ? 0 : BytesTransferred / Elapsed.TotalSeconds;

    /// <summary>Remaining time, estimated from the object rate so far; null until the total is final.</summary>
    public TimeSpan? EstimatedRemaining
    {
        get
        {
            if (!TotalIsFinal || ObjectsFetched == 0 || Elapsed.TotalSeconds < 0.5) return null;
            int left = Math.Max(0, ObjectsTotal - ObjectsFetched);
            return TimeSpan.FromSeconds(Elapsed.TotalSeconds / ObjectsFetched * left);
        }
    }
}
