using System.Buffers;

namespace Arbor.Repo.StaticDelta;

/// <summary>
/// An append-only byte buffer in pooled 1 MiB segments: a part's blob grows to its chunk size
/// (32 MB) without the doubling copies and the spare capacity of a <see cref="MemoryStream"/>, and
/// is handed to the compressor segment by segment. Dispose returns the segments to the pool.
/// </summary>
internal sealed class SegmentedBuffer : IDisposable
{
    private const int SegmentSize = 1 << 20;
    private readonly List<byte[]> _segments = [];
    private int _lastUsed = SegmentSize;

    public long Length { get; private set; }

    /// <summary>Appends <paramref name="bytes"/>; returns the offset they start at.</summary>
    public long Append(ReadOnlySpan<byte> bytes)
    {
        long offset = Length;
        while (!bytes.IsEmpty)
        {
            var into = Reserve();
            int n = Math.Min(into.Length, bytes.Length);
            bytes[..n].CopyTo(into);
            Advance(n);
            bytes = bytes[n..];
        }
        return offset;
    }

    /// <summary>Appends exactly <paramref name="count"/> bytes read from <paramref name="source"/>; returns their offset.</summary>
    public long Append(Stream source, long count)
    {
        long offset = Length;
        while (count > 0)
        {
            var into = Reserve();
            int n = (int)Math.Min(into.Length, count);
            source.ReadExactly(into[..n]);
            Advance(n);
            count -= n;
        }
        return offset;
    }

    /// <summary>The contents, in order.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Segments()
    {
        for (int i = 0; i < _segments.Count; i++)
            yield return _segments[i].AsMemory(0, i == _segments.Count - 1 ? _lastUsed : SegmentSize);
    }

    private Span<byte> Reserve()
    {
        if (_lastUsed == SegmentSize)
        {
            _segments.Add(ArrayPool<byte>.Shared.Rent(SegmentSize));
            _lastUsed = 0;
        }
        return _segments[^1].AsSpan(_lastUsed, SegmentSize - _lastUsed);
    }

    private void Advance(int n)
    {
        _lastUsed += n;
        Length += n;
    }

    public void Dispose()
    {
        foreach (var s in _segments) ArrayPool<byte>.Shared.Return(s);
        _segments.Clear();
        _lastUsed = SegmentSize;
        Length = 0;
    }
}
