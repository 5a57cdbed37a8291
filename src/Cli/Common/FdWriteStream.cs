using Arbor.Repo.Native;

namespace Arbor.Cli.Common;

/// <summary>
/// A write-only stream over an inherited file descriptor using write(2), so the file offset shared
/// with the parent (a shell redirecting to a file) advances as with any other program. FileStream
/// would use pwrite at its own position on a regular file and overwrite what others wrote.
/// </summary>
internal sealed class FdWriteStream(int fd) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public override void Write(ReadOnlySpan<byte> buffer) => FdIo.WriteAll(fd, buffer);
}
