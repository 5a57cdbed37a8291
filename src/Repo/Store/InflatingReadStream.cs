using System.Buffers;
using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Store;

/// <summary>
/// Reads the raw-DEFLATE payload of a <c>.filez</c> object (repo-format.md §6.1) from a file
/// position to its end, and fails like ostree does on damage: "Invalid compressed data" for a
/// corrupt stream, "Need more input" when the file ends before the final block. Bytes after the
/// final block are ignored, as GZlibDecompressor ignores them.
/// </summary>
public sealed class InflatingReadStream : ReadOnlyStream
{
    private const int InputBufferSize = 64 * 1024;
    private readonly SafeFileHandle _file;
    private readonly bool _ownsFile;
    private readonly Zlib.Inflater _inflater = new();
    private readonly byte[] _input = ArrayPool<byte>.Shared.Rent(InputBufferSize);
    private readonly long _fileLength;
    private long _filePosition;
    private int _inputStart, _inputEnd;
    private bool _fileAtEnd, _finished, _disposed;

    /// <param name="file">The object file.</param>
    /// <param name="offset">Where the DEFLATE payload starts.</param>
    /// <param name="fileLength">The file's size (objects are immutable), or -1 to read until EOF.</param>
    /// <param name="ownsFile">Dispose <paramref name="file"/> with the stream.</param>
    /// <param name="alreadyRead">Payload bytes from <paramref name="offset"/> the caller has read already.</param>
    public InflatingReadStream(SafeFileHandle file, long offset, long fileLength, bool ownsFile, ReadOnlySpan<byte> alreadyRead = default)
    {
        _file = file;
        _ownsFile = ownsFile;
        _fileLength = fileLength;
        int n = Math.Min(alreadyRead.Length, InputBufferSize);
        alreadyRead[..n].CopyTo(_input);
        _inputEnd = n;
        _filePosition = offset + n;
    }

    /// <summary>Opens <paramref name="path"/> and inflates from <paramref name="offset"/>.</summary>
    public static InflatingReadStream Open(string path, long offset) =>
        new(OpenFile.OpenRead(path), offset, -1, ownsFile: true);

    /// <summary>Total uncompressed bytes returned so far.</summary>
    public long TotalOut { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished || buffer.IsEmpty) return 0;
        while (true)
        {
            if (_inputStart == _inputEnd && !_fileAtEnd) Fill();
            var status = _inflater.Inflate(_input.AsSpan(_inputStart, _inputEnd - _inputStart), buffer, out int consumed, out int produced);
            _inputStart += consumed;
            TotalOut += produced;
            switch (status)
            {
                case Zlib.Status.StreamEnd:
                    _finished = true;
                    return produced;
                case Zlib.Status.DataError:
                    throw new CorruptObjectException("Invalid compressed data");
                case Zlib.Status.NeedInput when _fileAtEnd && _inputStart == _inputEnd:
                    throw new CorruptObjectException("Need more input");
            }
            if (produced > 0) return produced;
            if (_fileAtEnd && _inputStart == _inputEnd) throw new CorruptObjectException("Need more input");
        }
    }

    private void Fill()
    {
        int want = _fileLength < 0 ? InputBufferSize : (int)Math.Min(InputBufferSize, _fileLength - _filePosition);
        int n = want <= 0 ? 0 : OpenFile.Read(_file, _input.AsSpan(0, want), _filePosition);
        _inputStart = 0;
        _inputEnd = n;
        _filePosition += n;
        if (n == 0) _fileAtEnd = true;
    }

    public override long Position { get => TotalOut; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            _inflater.Dispose();
            ArrayPool<byte>.Shared.Return(_input);
            if (_ownsFile) _file.Dispose();
        }
        base.Dispose(disposing);
    }
}
