using System.Runtime.ExceptionServices;

namespace Arbor.Repo.Checkout;

/// <summary>A piece of checkout work: one directory, or a batch of one directory's files.</summary>
internal abstract class CheckoutWork
{
    public abstract void Run(WorkerState worker);
}

/// <summary>
/// Runs checkout work on a few threads (the caller plus <c>workers - 1</c>). Work is taken
/// last-in first-out, so the walk stays depth-first and only the directories on the current
/// paths hold open fds. The first failure stops the hand-out of new work and is rethrown once
/// every worker has stopped.
/// </summary>
internal sealed class WorkQueue
{
    private readonly Stack<CheckoutWork> _stack = new();
    private readonly object _lock = new();
    private int _active;
    private ExceptionDispatchInfo? _error;

    public bool Failed => Volatile.Read(ref _error) is not null;

    public void Push(CheckoutWork work)
    {
        lock (_lock)
        {
            _stack.Push(work);
            Monitor.Pulse(_lock);
        }
    }

    /// <summary>Runs <paramref name="first"/> and everything it pushes; returns each worker's state.</summary>
    public WorkerState[] Run(CheckoutWork first, int workers)
    {
        var states = new WorkerState[Math.Max(1, workers)];
        for (int i = 0; i < states.Length; i++) states[i] = new WorkerState();
        Push(first);
        var threads = new Thread[states.Length - 1];
        for (int i = 0; i < threads.Length; i++)
        {
            var state = states[i + 1];
            threads[i] = new Thread(() => Loop(state)) { IsBackground = true, Name = "arbor-checkout" };
            threads[i].Start();
        }
        Loop(states[0]);
        foreach (var t in threads) t.Join();
        _error?.Throw();
        return states;
    }

    private void Loop(WorkerState state)
    {
        while (true)
        {
            CheckoutWork work;
            lock (_lock)
            {
                while (_stack.Count == 0 && _active > 0 && _error is null) Monitor.Wait(_lock);
                if (_error is not null || _stack.Count == 0)
                {
                    Monitor.PulseAll(_lock);
                    return;
                }
                work = _stack.Pop();
                _active++;
            }
            try
            {
                work.Run(state);
            }
            catch (Exception e)
            {
                lock (_lock) _error ??= ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                lock (_lock)
                {
                    _active--;
                    if (_active == 0 || _error is not null) Monitor.PulseAll(_lock);
                }
            }
        }
    }
}
