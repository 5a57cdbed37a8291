using System.Security.Cryptography;
using Arbor.Repo.Core;

namespace Arbor.Repo.Pull;

/// <summary>
/// Reads a metadata object from the network, hashing every byte as it arrives; at the end of the
/// stream the SHA-256 must equal the object's name, else <see cref="CorruptObjectException"/>
/// (ostree's "Corrupted commit object; checksum expected=…") is thrown before the caller can store
/// anything. Also enforces a size limit while reading, so a hostile server cannot make us buffer
/// without bound (ostree's "URI … exceeded maximum size of … bytes").
/// </summary>
internal sealed class VerifyingReadStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly ObjectName? _expected;
    private readonly long _maxSize;
    private readonly string _url;
    private long _read;
    private bool _verified;

    /// <param name="expected">The object, or null to only enforce the size limit.</param>
    /// <param name="url">Where the bytes come from, for the size-limit message.</param>
    public VerifyingReadStream(Stream inner, ObjectName? expected, long maxSize, string url)
    {
        _inner = inner;
        _expected = expected;
        _maxSize = maxSize;
        _url = url;
    }

    /// <summary>ostree's message (its fetchers') for a body over <paramref name="maxSize"/>.</summary>
    public static PullException TooLarge(string url, long maxSize) => new($"URI {url} exceeded maximum size of {maxSize} bytes");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (n == 0)
        {
            Finish();
            return 0;
        }
        _read += n;
        if (_read > _maxSize) throw TooLarge(_url, _maxSize);
        _hash.AppendData(buffer.Span[..n]);
        return n;
    }

    /// <summary>Reads the whole stream into memory, verified.</summary>
    public async Task<byte[]> ReadAllAsync(int sizeHint, CancellationToken ct)
    {
        using var ms = new MemoryStream(Math.Clamp(sizeHint, 256, 1 << 20));
        var buf = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int n;
            while ((n = await ReadAsync(buf.AsMemory(), ct).ConfigureAwait(false)) > 0) ms.Write(buf, 0, n);
        }
        finally { System.Buffers.ArrayPool<byte>.Shared.Return(buf); }
        return ms.ToArray();
    }

    private void Finish()
    {
        if (_verified || _expected is not { } name) return;
        Span<byte> digest = stackalloc byte[Checksum.ByteLength];
        _hash.GetHashAndReset(digest);
        var actual = Checksum.FromBytes(digest);
        if (actual != name.Checksum) throw CorruptObjectException.ChecksumMismatch(name, actual);
        _verified = true;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = _inner.Read(buffer, offset, count);
        if (n == 0) { Finish(); return 0; }
        _read += n;
        if (_read > _maxSize) throw TooLarge(_url, _maxSize);
        _hash.AppendData(buffer.AsSpan(offset, n));
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) { _hash.Dispose(); _inner.Dispose(); }
        base.Dispose(disposing);
    }
}
