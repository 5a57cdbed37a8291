using Arbor.Repo.Store;

namespace Arbor.Repo.Pull;

/// <summary>
/// The transactions of one pull. Workers stage verified objects into the current transaction;
/// <see cref="PublishAsync"/> swaps in a fresh one and commits the old one once its writers are
/// done, so verified objects reach <c>objects/</c> every few seconds and a killed pull loses
/// little. Objects of an unfinished commit are harmless there: <c>state/C.commitpartial</c> marks
/// the commit until every object is present, and refs are written only at the very end.
/// </summary>
internal sealed class StagingPublisher : IDisposable
{
    private readonly Repository _repo;
    private readonly object _lock = new();
    private Generation _current;
    private bool _disposed;

    public StagingPublisher(Repository repo)
    {
        _repo = repo;
        _current = new Generation(repo.BeginTransaction());
    }

    public sealed class Generation(Transaction tx)
    {
        public Transaction Transaction { get; } = tx;
        internal int Users;
        internal bool Retired;
        internal readonly TaskCompletionSource Drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A lease on the current transaction; release it when the object is staged.</summary>
    public Generation Acquire()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _current.Users++;
            return _current;
        }
    }

    public void Release(Generation g)
    {
        lock (_lock)
        {
            if (--g.Users == 0 && g.Retired) g.Drained.TrySetResult();
        }
    }

    /// <summary>Publishes everything staged so far (objects only; refs are never written here).</summary>
    public async Task PublishAsync()
    {
        Generation old;
        lock (_lock)
        {
            if (_disposed) return;
            old = _current;
            if (old.Transaction.StagedCount == 0) return;
            _current = new Generation(_repo.BeginTransaction());
            old.Retired = true;
            if (old.Users == 0) old.Drained.TrySetResult();
        }
        await old.Drained.Task.ConfigureAwait(false);
        old.Transaction.Commit();
    }

    /// <summary>Publishes the last transaction after all workers stopped (success or failure).</summary>
    public void PublishFinal()
    {
        Generation last;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            last = _current;
        }
        last.Transaction.Commit();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _current.Transaction.Dispose();
    }
}
