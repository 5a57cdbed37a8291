namespace Arbor.Repo.Progress;

/// <summary>
/// Lets a progress report through at once, then at most once per <see cref="IntervalMs"/>, from
/// any number of threads: one clock read and, when due, one compare-exchange; no lock, no allocation.
/// </summary>
public sealed class ProgressGate
{
    /// <summary>At most five reports a second: a terminal line redrawn faster only costs time.</summary>
    public const long IntervalMs = 200;

    private long _next;

    /// <summary>True for the one caller that should report now.</summary>
    public bool IsDue()
    {
        long now = Environment.TickCount64;
        long next = Volatile.Read(ref _next);
        return now >= next && Interlocked.CompareExchange(ref _next, now + IntervalMs, next) == next;
    }
}
