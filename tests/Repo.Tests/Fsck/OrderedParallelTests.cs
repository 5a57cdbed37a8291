using Arbor.Repo.Fsck;

namespace Arbor.Repo.Tests.Fsck;

public sealed class OrderedParallelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void ResultsArriveInIndexOrderOnTheCallingThread(int workers)
    {
        var caller = Environment.CurrentManagedThreadId;
        var seen = new List<int>();
        OrderedParallel.Run(1000, workers,
            i => { if (i % 7 == 0) Thread.SpinWait(2000); return i * 2; },
            (i, r) =>
            {
                Assert.Equal(caller, Environment.CurrentManagedThreadId);
                Assert.Equal(i * 2, r);
                seen.Add(i);
                return true;
            });
        Assert.Equal(Enumerable.Range(0, 1000), seen);
    }

    [Fact]
    public void ReportingFalseStopsTheRun()
    {
        int checkedCount = 0;
        var seen = new List<int>();
        OrderedParallel.Run(10_000, 4, i => { Interlocked.Increment(ref checkedCount); Thread.Sleep(1); return i; }, (i, _) => { seen.Add(i); return i < 10; });
        Assert.Equal(Enumerable.Range(0, 11), seen);
        Assert.True(checkedCount < 1_000, $"{checkedCount} items checked after the stop");
    }

    [Fact]
    public void AnExceptionFromAWorkerSurfacesAtItsIndex()
    {
        var seen = new List<int>();
        var e = Assert.Throws<InvalidOperationException>(() =>
            OrderedParallel.Run(50, 3, i => i == 20 ? throw new InvalidOperationException("boom") : i, (i, _) => { seen.Add(i); return true; }));
        Assert.Equal("boom", e.Message);
        Assert.Equal(Enumerable.Range(0, 20), seen);
    }
}

public sealed class OrderedParallelWindowTests
{
    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 16)]
    [InlineData(4, 64)]
    public void ASequenceIsDrawnNoFurtherThanTheWindowAheadOfTheReports(int workers, int window)
    {
        int drawn = 0, reported = 0, maxAhead = 0;
        IEnumerable<int> Generate()
        {
            for (int i = 0; i < 5000; i++)
            {
                // the enumeration runs under the claim lock: reading the counters here is race-free for drawn
                int ahead = Interlocked.Increment(ref drawn) - Volatile.Read(ref reported);
                InterlockedMax(ref maxAhead, ahead);
                yield return i;
            }
        }
        var seen = new List<int>();
        OrderedParallel.Run(Generate(), workers, i => i + 1, (i, r) =>
        {
            Assert.Equal(i + 1, r);
            seen.Add(i);
            Volatile.Write(ref reported, seen.Count);
            return true;
        }, window);
        Assert.Equal(Enumerable.Range(0, 5000), seen);
        Assert.InRange(maxAhead, 1, window);
    }

    [Fact]
    public void AnExceptionFromTheSequenceSurfacesAfterTheItemsBeforeIt()
    {
        IEnumerable<int> Generate()
        {
            for (int i = 0; i < 30; i++) yield return i;
            throw new IOException("walk failed");
        }
        var seen = new List<int>();
        var e = Assert.Throws<IOException>(() => OrderedParallel.Run(Generate(), 2, i => i, (i, _) => { seen.Add(i); return true; }, 8));
        Assert.Equal("walk failed", e.Message);
        Assert.Equal(Enumerable.Range(0, 30), seen);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }
}
