using System.Buffers;
using Arbor.Repo.Native;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Store;

/// <summary>
/// A write-only stream over a file handle that gathers small writes (a compressor's 8 KB chunks)
/// in a pooled buffer and issues one pwrite per <see cref="BufferSize"/> bytes. Does not own the handle.
/// </summary>
internal sealed class HandleWriteStream : Stream
{
    public const int BufferSize = 128 * 1024;
    private readonly SafeFileHandle _handle;
    private readonly string? _pathForErrors;
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _used;
    private long _flushed;

    public HandleWriteStream(SafeFileHandle handle, string? pathForErrors = null)
    {
        _handle = handle;
        _pathForErrors = pathForErrors;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _flushed + _used;

    /// <summary>Bytes written so far (settable only as the interface demands: not supported).</summary>
    public override long Position
    {
        get => _flushed + _used;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        var buf = _buffer ?? throw new ObjectDisposedException(nameof(HandleWriteStream));
        while (data.Length > 0)
        {
            if (_used == 0 && data.Length >= buf.Length)
            {
                TmpFiles.Write(_handle, data, _flushed, _pathForErrors); // large write: no copy
                _flushed += data.Length;
                return;
            }
            int n = Math.Min(data.Length, buf.Length - _used);
            data[..n].CopyTo(buf.AsSpan(_used));
            _used += n;
            data = data[n..];
            if (_used == buf.Length) Flush();
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
        if (_used == 0 || _buffer is null) return;
        TmpFiles.Write(_handle, _buffer.AsSpan(0, _used), _flushed, _pathForErrors);
        _flushed += _used;
        _used = 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (_buffer is { } b)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(b);
        }
        base.Dispose(disposing);
    }
}
