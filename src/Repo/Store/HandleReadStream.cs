using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Store;

/// <summary>
/// A read-only, forward-only stream of pread calls over a file handle: unlike FileStream it makes no
/// fstat/lseek/flock calls when created, which counts when tens of thousands of small files are
/// committed. Owns the handle.
/// </summary>
public sealed class HandleReadStream : ReadOnlyStream
{
    private readonly SafeFileHandle _handle;
    private readonly string? _pathForErrors;
    private long _position;

    private HandleReadStream(SafeFileHandle handle, string? pathForErrors)
    {
        _handle = handle;
        _pathForErrors = pathForErrors;
    }

    /// <summary>Opens a regular file for reading without following a final symlink.</summary>
    public static HandleReadStream Open(string path) => new(OpenFile.OpenRead(path), path);

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        int n = OpenFile.Read(_handle, buffer, _position, _pathForErrors);
        _position += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _handle.Dispose();
        base.Dispose(disposing);
    }
}
