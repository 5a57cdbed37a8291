using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Store;

/// <summary>The outcome of receiving one FILE object.</summary>
/// <param name="ContentSize">Uncompressed content size (0 for symlinks).</param>
/// <param name="Written">False when the object was already present and nothing was stored.</param>
public readonly record struct ReceivedContent(Checksum Checksum, long ContentSize, bool Written);

public sealed partial class Transaction
{
    private const int ReceiveBufferSize = 128 * 1024;

    /// <summary>
    /// Receives a FILE object in its archive form (<c>.filez</c>: BE32 header length, 4 zero bytes,
    /// the archive header, raw-deflate content) from a stream, typically the network. The object is
    /// hashed while it streams in and staged only when its checksum equals <paramref name="expected"/>;
    /// otherwise <see cref="CorruptObjectException"/> is thrown and nothing is kept. Archive
    /// repositories store the bytes as received; the bare modes store the unpacked content with its
    /// ownership, mode and xattrs. Reads the stream asynchronously; file writes are synchronous.
    /// With <paramref name="bareUserOnlyFiles"/> (and always into bare-user-only repositories) a
    /// regular file with mode bits outside 0775 is refused. <paramref name="trusted"/> (a trusted local import, or
    /// <c>pull --mirror --http-trusted</c> into an archive repository) stores the object under <paramref name="expected"/>
    /// without comparing its checksum, as ostree does.
    /// </summary>
    public async Task<ReceivedContent> ReceiveArchiveContentAsync(Stream filez, Checksum expected, CancellationToken cancellationToken,
        bool bareUserOnlyFiles = false, bool trusted = false)
    {
        _repo.Mode.EnsureStoresContent();
        var prefix = new byte[8];
        await ReadExactlyOrCorruptAsync(filez, prefix, expected, cancellationToken).ConfigureAwait(false);
        uint headerLength = BinaryPrimitives.ReadUInt32BigEndian(prefix);
        if (headerLength == 0 || headerLength > ObjectFormats.MaxMetadataSize)
            throw new CorruptObjectException($"Corrupted file object {expected}: invalid header length {headerLength}");
        var headerBytes = new byte[headerLength];
        await ReadExactlyOrCorruptAsync(filez, headerBytes, expected, cancellationToken).ConfigureAwait(false);
        var (header, size) = FileHeader.ParseArchiveHeader(headerBytes);
        try { header.Validate(); }
        catch (CorruptObjectException e) { throw new CorruptObjectException($"Corrupted file object {expected}: {e.Message}"); }
        if (_repo.Mode == RepoMode.BareUserOnly || bareUserOnlyFiles) header.ValidateBareUserOnly(expected);

        var name = new ObjectName(expected, ObjectType.File);
        TakeSpace(header, size);
        if (header.IsSymlink && _repo.Mode != RepoMode.Archive)
        {
            var c = WriteSymlink(header, expected, trusted);
            return new ReceivedContent(c, 0, true);
        }

        var tmp = TempPath();
        try
        {
            Checksum actual;
            long contentSize = 0;
            using (var h = File.OpenHandle(tmp, FileMode.CreateNew, FileAccess.ReadWrite))
            {
                using var hasher = new ContentHasher(header);
                if (_repo.Mode == RepoMode.Archive)
                {
                    RandomAccess.Write(h, prefix, 0);
                    RandomAccess.Write(h, headerBytes, prefix.Length);
                    var tee = new TeeToFileStream(filez, h, prefix.Length + headerBytes.Length);
                    if (header.IsRegular)
                        contentSize = await InflateAsync(tee, hasher, null, expected, cancellationToken).ConfigureAwait(false);
                    await tee.DrainAsync(cancellationToken).ConfigureAwait(false);
                    Native.Files.FChmod(h, 0x1A4, tmp);
                }
                else
                {
                    contentSize = await InflateAsync(filez, hasher, h, expected, cancellationToken).ConfigureAwait(false);
                    ApplyBareMetadata(h, header, tmp);
                }
                actual = hasher.Finish();
                if (trusted || actual == expected) SyncObject(h, tmp);
            }
            actual = Verified(expected, actual, trusted);
            if (HasObject(name))
            {
                AtomicFile.TryDelete(tmp);
                return new ReceivedContent(actual, contentSize, false);
            }
            Stage(name, tmp);
            return new ReceivedContent(actual, contentSize, true);
        }
        catch
        {
            AtomicFile.TryDelete(tmp);
            throw;
        }
    }

    private static async Task<long> InflateAsync(Stream compressed, ContentHasher hasher, SafeFileHandle? output, Checksum expected, CancellationToken ct)
    {
        var buf = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        long total = 0;
        try
        {
            await using var inflate = new DeflateStream(compressed, CompressionMode.Decompress, leaveOpen: true);
            int n;
            while ((n = await inflate.ReadAsync(buf.AsMemory(0, ReceiveBufferSize), ct).ConfigureAwait(false)) > 0)
            {
                hasher.Append(buf.AsSpan(0, n));
                if (output is not null) RandomAccess.Write(output, buf.AsSpan(0, n), total);
                total += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw new CorruptObjectException($"Corrupted file object {expected}: invalid compressed data: {e.Message}");
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
        return total;
    }

    private static async Task ReadExactlyOrCorruptAsync(Stream s, byte[] buffer, Checksum expected, CancellationToken ct)
    {
        try { await s.ReadExactlyAsync(buffer, ct).ConfigureAwait(false); }
        catch (EndOfStreamException) { throw new CorruptObjectException($"Corrupted file object {expected}: truncated header"); }
    }

    /// <summary>Reads from an inner stream and writes every byte read to a file at a running offset.</summary>
    private sealed class TeeToFileStream(Stream inner, SafeFileHandle file, long offset) : ReadOnlyStream
    {
        private long _offset = offset;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n > 0)
            {
                RandomAccess.Write(file, buffer.Span[..n], _offset);
                _offset += n;
            }
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = inner.Read(buffer, offset, count);
            if (n > 0)
            {
                RandomAccess.Write(file, buffer.AsSpan(offset, n), _offset);
                _offset += n;
            }
            return n;
        }

        /// <summary>Copies whatever follows the compressed data, so the stored file equals the received one.</summary>
        public async Task DrainAsync(CancellationToken ct)
        {
            var buf = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try { while (await ReadAsync(buf.AsMemory(), ct).ConfigureAwait(false) > 0) { } }
            finally { ArrayPool<byte>.Shared.Return(buf); }
        }
    }
}
