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
