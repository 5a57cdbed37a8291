using Arbor.Repo.Core;

namespace Arbor.Repo.Store;

/// <summary>A read-only, seekable stream over a <see cref="ReadOnlyMemory{T}"/> (no copy).</summary>
internal sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : ReadOnlyStream
{
    private int _position;

    public override bool CanSeek => true;
    public override long Length => memory.Length;
    public override long Position { get => _position; set => _position = (int)Math.Clamp(value, 0, memory.Length); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, memory.Length - _position);
        if (n <= 0) return 0;
        memory.Span.Slice(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => memory.Length + offset };
        return _position;
    }
}
