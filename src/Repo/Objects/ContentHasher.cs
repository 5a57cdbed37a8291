using System.Buffers.Binary;
using System.Security.Cryptography;
using Arbor.Repo.Core;

namespace Arbor.Repo.Objects;

/// <summary>
/// Computes a FILE object's checksum: SHA-256(BE32(len(header)) ‖ 00000000 ‖ header ‖ data)
/// (repo-format.md §4.2). Feed the data with <see cref="Append"/>, then <see cref="Finish"/>.
/// </summary>
public sealed class ContentHasher : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public ContentHasher(FileHeader header) : this(header.SerializeChecksumHeader()) { }

    /// <summary>Starts from an already serialized checksum header (e.g. one received from the network).</summary>
    public ContentHasher(ReadOnlySpan<byte> serializedHeader)
    {
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)serializedHeader.Length);
        prefix[4..].Clear();
        _hash.AppendData(prefix);
        _hash.AppendData(serializedHeader);
    }

    public void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

    public Checksum Finish()
    {
        Span<byte> digest = stackalloc byte[32];
        _hash.GetHashAndReset(digest);
        return Checksum.FromBytes(digest);
    }

    public void Dispose() => _hash.Dispose();

    /// <summary>Checksum of a whole in-memory file.</summary>
    public static Checksum Compute(FileHeader header, ReadOnlySpan<byte> data)
    {
        using var h = new ContentHasher(header);
        h.Append(data);
        return h.Finish();
    }

    /// <summary>Checksum of a file whose content comes from a stream (symlinks: pass null).</summary>
    public static Checksum Compute(FileHeader header, Stream? content)
    {
        using var h = new ContentHasher(header);
        if (content is not null)
        {
            var buf = System.Buffers.ArrayPool<byte>.Shared.Rent(128 * 1024);
            try
            {
                int n;
                while ((n = content.Read(buf, 0, buf.Length)) > 0) h.Append(buf.AsSpan(0, n));
            }
            finally { System.Buffers.ArrayPool<byte>.Shared.Return(buf); }
        }
        return h.Finish();
    }
}
