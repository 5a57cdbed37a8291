using Arbor.Repo.Core;

namespace Arbor.Repo.Store;

/// <summary>
/// Which objects a transaction may have staged, in a fixed 1 MiB of memory whatever their number
/// (a Bloom filter: two bits an object, taken from two words of its checksum). "No" is certain, so
/// a new object's staging-directory lookup is spared; "maybe" is wrong for about 0.2% of objects
/// at 200,000 staged and costs one lookup. The bits are allocated on the first object. Lock-free.
/// </summary>
internal sealed class StagedObjectFilter
{
    private const int Bits = 1 << 23;
    private long[]? _words;

    public void Add(ObjectName name)
    {
        var words = Volatile.Read(ref _words);
        if (words is null)
        {
            Interlocked.CompareExchange(ref _words, new long[Bits / 64], null);
            words = _words!;
        }
        var (a, b) = Positions(name);
        Interlocked.Or(ref words[a >> 6], 1L << (a & 63));
        Interlocked.Or(ref words[b >> 6], 1L << (b & 63));
    }

    public bool MayContain(ObjectName name)
    {
        var words = Volatile.Read(ref _words);
        if (words is null) return false;
        var (a, b) = Positions(name);
        return (Volatile.Read(ref words[a >> 6]) & (1L << (a & 63))) != 0
            && (Volatile.Read(ref words[b >> 6]) & (1L << (b & 63))) != 0;
    }

    // a checksum's bytes are uniformly distributed: its first two words are independent hashes
    private static (int A, int B) Positions(ObjectName name)
    {
        Span<byte> bytes = stackalloc byte[Checksum.ByteLength];
        name.Checksum.CopyTo(bytes);
        ulong type = (ulong)name.Type * 0x9E3779B97F4A7C15UL;
        ulong first = BitConverter.ToUInt64(bytes) ^ type;
        ulong second = BitConverter.ToUInt64(bytes[8..]) ^ type;
        return ((int)(first % Bits), (int)(second % Bits));
    }
}
