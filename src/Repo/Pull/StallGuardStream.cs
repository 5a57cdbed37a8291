using Arbor.Repo.Core;

namespace Arbor.Repo.Pull;

/// <summary>Thrown when a response stops delivering bytes for longer than the stall timeout.</summary>
internal sealed class StallException(string message) : IOException(message);

/// <summary>
/// Wraps a response body: every read must make progress within the stall timeout (the timer
/// restarts on each read), and every byte read is counted into the fetcher's total.
/// </summary>
internal sealed class StallGuardStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly CancellationTokenSource _cts;
    private readonly CancellationToken _outer;
    private readonly TimeSpan _timeout;
    private readonly Action<int> _onBytes;

    public StallGuardStream(Stream inner, CancellationTokenSource linkedCts, CancellationToken outer, TimeSpan timeout, Action<int> onBytes)
    {
        _inner = inner;
        _cts = linkedCts;
        _outer = outer;
        _timeout = timeout;
        _onBytes = onBytes;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _cts.CancelAfter(_timeout);
        int n;
        try
        {
            n = await _inner.ReadAsync(buffer, _cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_outer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new StallException($"no data received for {_timeout.TotalSeconds:0.#} s");
        }
        if (n > 0) _onBytes(n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("network bodies are read asynchronously");

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
