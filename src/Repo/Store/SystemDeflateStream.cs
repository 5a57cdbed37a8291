using Arbor.Repo.Native;

namespace Arbor.Repo.Store;

/// <summary>
/// A write-only raw-DEFLATE stream over the system zlib (<see cref="Zlib.Deflater"/>): the bytes
/// ostree's GZlibCompressor writes, where <see cref="System.IO.Compression.DeflateStream"/> (zlib-ng)
/// writes others. Disposing ends the stream; the destination stays open.
/// </summary>
internal sealed class SystemDeflateStream(Stream destination, int level) : Stream
{
    private readonly Zlib.Deflater _deflater = Zlib.Deflater.Rent(level);
    private bool _finished;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => _deflater.Write(buffer, destination);

    public override void Flush() { }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished)
        {
            _finished = true;
            bool finished = false;
            try
            {
                _deflater.Finish(destination);
                finished = true;
            }
            finally
            {
                // (a deflater that failed mid-stream is freed, never reused)
                if (finished) _deflater.Return();
                else _deflater.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}
