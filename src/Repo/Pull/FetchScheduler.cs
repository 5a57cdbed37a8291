namespace Arbor.Repo.Pull;

/// <summary>
/// A fixed set of workers draining two queues: metadata first (so the tree walk finishes early and
/// the object total becomes known), content when no metadata is waiting. Work items may enqueue
/// more work. Completes when nothing is queued or running; the first failure cancels the rest and
/// is rethrown.
/// </summary>
internal sealed class FetchScheduler
{
    private readonly Queue<Func<CancellationToken, Task>> _metadata = new();
    private readonly Queue<Func<CancellationToken, Task>> _content = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly object _lock = new();
    private readonly int _workers;
    private int _pending;
    private bool _finished;
    private Exception? _failure;
    private CancellationTokenSource? _cts;

    public FetchScheduler(int workers) => _workers = Math.Max(1, workers);

    /// <summary>Items queued or running.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public void EnqueueMetadata(Func<CancellationToken, Task> work) => Enqueue(_metadata, work);
    public void EnqueueContent(Func<CancellationToken, Task> work) => Enqueue(_content, work);

    private void Enqueue(Queue<Func<CancellationToken, Task>> queue, Func<CancellationToken, Task> work)
    {
        lock (_lock)
        {
            if (_finished) return;
            _pending++;
            queue.Enqueue(work);
        }
        _signal.Release();
    }

    /// <summary>Runs until all work (including work enqueued by work) is done.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _cts = cts;
        lock (_lock)
        {
            if (_pending == 0) return;
        }
        var workers = new Task[_workers];
        for (int i = 0; i < workers.Length; i++) workers[i] = Task.Run(() => WorkerAsync(cts.Token), CancellationToken.None);
        await Task.WhenAll(workers).ConfigureAwait(false);
        if (_failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task WorkerAsync(CancellationToken ct)
    {
        while (true)
        {
            try { await _signal.WaitAsync(ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            Func<CancellationToken, Task>? work;
            lock (_lock)
            {
                if (_finished) { _signal.Release(); return; }
                work = _metadata.Count > 0 ? _metadata.Dequeue() : _content.Count > 0 ? _content.Dequeue() : null;
            }
            if (work is null) continue;
            try
            {
                await work(ct).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Fail(e, ct);
            }
            lock (_lock)
            {
                if (--_pending == 0 && !_finished)
                {
                    _finished = true;
                    _signal.Release(_workers);
                }
            }
        }
    }

    private void Fail(Exception e, CancellationToken ct)
    {
        lock (_lock)
        {
            // keep the first real error; cancellations caused by it are noise
            if (_failure is null && !(e is OperationCanceledException && ct.IsCancellationRequested)) _failure = e;
            _finished = true;
        }
        _cts?.Cancel();
        _signal.Release(_workers);
    }
}
