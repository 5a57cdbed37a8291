using System.Runtime.ExceptionServices;

namespace Arbor.Repo.Fsck;

/// <summary>
/// Runs independent checks on all cores and hands their results to the calling thread in the
/// order of the items, so output and side effects (deleting, marking commits partial) stay
/// sequential and deterministic. Items are drawn from a sequence as they are needed, never more
/// than a fixed window ahead of the last reported one, so a sequence produced on the fly (a tree
/// walk) is never held whole. The calling thread is itself a worker: when the next result is not
/// ready it checks an item instead of blocking. The caller can stop early.
/// </summary>
internal static class OrderedParallel
{
    /// <summary>Items in flight at most: enough to keep every core busy behind a slow item.</summary>
    public const int DefaultWindow = 4096;

    /// <summary>Runs over the indexes 0..count-1.</summary>
    public static void Run<T>(int count, int workers, Func<int, T> work, Func<int, T, bool> report) =>
        Run(Enumerable.Range(0, count), workers, work, report);

    /// <param name="items">The items; enumerated once, on whichever thread claims the next item (never two at a time).
    /// An exception from the enumeration is rethrown on the calling thread after the items before it are reported.</param>
    /// <param name="workers">Threads in total, the calling thread included (1 runs everything inline).</param>
    /// <param name="work">Checks an item and returns its result; an exception it throws is rethrown on the calling thread.</param>
    /// <param name="report">Consumes an item's result on the calling thread; false stops the run.</param>
    /// <param name="window">How far claiming may run ahead of reporting.</param>
    public static void Run<TItem, TResult>(IEnumerable<TItem> items, int workers, Func<TItem, TResult> work,
        Func<TItem, TResult, bool> report, int window = DefaultWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        using var source = items.GetEnumerator();
        if (workers <= 1)
        {
            while (source.MoveNext())
            {
                var item = source.Current;
                if (!report(item, work(item))) return;
            }
            return;
        }
        new Window<TItem, TResult>(source, work, window).Run(workers, report);
    }

    private enum Outcome { Worked, Full, Exhausted }

    /// <summary>The ring of items in flight: item n lives in slot n % size until it is reported.</summary>
    private sealed class Window<TItem, TResult>(IEnumerator<TItem> source, Func<TItem, TResult> work, int size)
    {
        private readonly TItem[] _items = new TItem[size];
        private readonly TResult[] _results = new TResult[size];
        private readonly ExceptionDispatchInfo?[] _failures = new ExceptionDispatchInfo?[size];
        private readonly long[] _ready = new long[size]; // n + 1 once item n's result is in its slot
        private readonly object _gate = new();
        private long _claimed;    // items handed out (under _gate)
        private long _reported;   // items reported (written by the calling thread)
        private bool _exhausted;  // under _gate
        private ExceptionDispatchInfo? _sourceError;
        private int _stop;

        public void Run(int workers, Func<TItem, TResult, bool> report)
        {
            var threads = new Thread[workers - 1];
            for (int t = 0; t < threads.Length; t++)
            {
                threads[t] = new Thread(Worker) { IsBackground = true, Name = $"arbor-verify-{t}" };
                threads[t].Start();
            }
            try
            {
                for (long n = 0; ; n++)
                {
                    int slot = (int)(n % size);
                    if (!WaitFor(n, slot)) break;
                    var (item, result, failure) = (_items[slot], _results[slot], _failures[slot]);
                    (_items[slot], _results[slot], _failures[slot]) = (default!, default!, null);
                    failure?.Throw();
                    if (!report(item, result)) return;
                    Volatile.Write(ref _reported, n + 1);
                }
                _sourceError?.Throw();
            }
            finally
            {
                Volatile.Write(ref _stop, 1);
                foreach (var t in threads) t.Join();
            }
        }

        /// <summary>Works until item <paramref name="n"/> is ready; false when there is no such item.</summary>
        private bool WaitFor(long n, int slot)
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _ready[slot]) != n + 1)
            {
                var outcome = TryOne();
                if (outcome == Outcome.Worked) continue;
                if (outcome == Outcome.Exhausted)
                    lock (_gate)
                        if (n >= _claimed) return false;
                spin.SpinOnce(); // item n is still being checked by another thread
            }
            return true;
        }

        private void Worker()
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _stop) == 0)
            {
                var outcome = TryOne();
                if (outcome == Outcome.Exhausted) return;
                if (outcome == Outcome.Full) spin.SpinOnce();
                else spin.Reset();
            }
        }

        private Outcome TryOne()
        {
            long n;
            TItem item;
            lock (_gate)
            {
                if (_exhausted) return Outcome.Exhausted;
                if (_claimed - Volatile.Read(ref _reported) >= size) return Outcome.Full;
                try
                {
                    if (!source.MoveNext())
                    {
                        _exhausted = true;
                        return Outcome.Exhausted;
                    }
                }
                catch (Exception e)
                {
                    _sourceError = ExceptionDispatchInfo.Capture(e);
                    _exhausted = true;
                    return Outcome.Exhausted;
                }
                item = source.Current;
                n = _claimed++;
            }
            int slot = (int)(n % size);
            _items[slot] = item;
            try { _results[slot] = work(item); }
            catch (Exception e) { _failures[slot] = ExceptionDispatchInfo.Capture(e); }
            Volatile.Write(ref _ready[slot], n + 1);
            return Outcome.Worked;
        }
    }
}
