using System.Runtime.ExceptionServices;

namespace Arbor.Repo.Fsck;

/// <summary>
/// Runs independent checks on all cores and hands their results to the calling thread in index
/// order, so output and side effects (deleting, marking commits partial) stay sequential and
/// deterministic. The calling thread is itself a worker: when the next result is not ready it
/// checks an item instead of blocking, so threads never wait on each other except for the last
/// few items. The caller can stop early.
/// </summary>
internal static class OrderedParallel
{
    /// <param name="count">Number of items.</param>
    /// <param name="workers">Threads in total, the calling thread included (1 runs everything inline).</param>
    /// <param name="work">Checks item i and returns its result; an exception it throws is rethrown on the calling thread.</param>
    /// <param name="report">Consumes item i's result on the calling thread; false stops the run.</param>
    public static void Run<T>(int count, int workers, Func<int, T> work, Func<int, T, bool> report)
    {
        if (workers <= 1 || count < 2)
        {
            for (int i = 0; i < count; i++)
                if (!report(i, work(i))) return;
            return;
        }

        var results = new T[count];
        var failures = new ExceptionDispatchInfo?[count];
        var done = new int[count];
        int next = -1;
        int stop = 0;

        // claims and checks one item; false when none is left
        bool DoOne()
        {
            int i = Interlocked.Increment(ref next);
            if (i >= count) return false;
            try { results[i] = work(i); }
            catch (Exception e) { failures[i] = ExceptionDispatchInfo.Capture(e); }
            Volatile.Write(ref done[i], 1);
            return true;
        }

        var threads = new Thread[Math.Min(workers - 1, count)];
        for (int t = 0; t < threads.Length; t++)
        {
            threads[t] = new Thread(() => { while (Volatile.Read(ref stop) == 0 && DoOne()) { } })
            {
                IsBackground = true,
                Name = $"arbor-verify-{t}",
            };
            threads[t].Start();
        }
        try
        {
            var spin = new SpinWait();
            for (int i = 0; i < count; i++)
            {
                while (Volatile.Read(ref done[i]) == 0)
                {
                    if (DoOne()) continue;
                    spin.SpinOnce(); // only the last items, still being checked by other threads
                }
                failures[i]?.Throw();
                var result = results[i];
                results[i] = default!; // let results go as soon as they are reported
                if (!report(i, result)) return;
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            foreach (var t in threads) t.Join();
        }
    }
}
