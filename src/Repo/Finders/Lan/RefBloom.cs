using System.Text;
using Arbor.Repo.Refs;

namespace Arbor.Repo.Finders.Lan;

/// <summary>
/// <c>OstreeBloom</c> over collection–refs, the <c>rb</c> TXT record of an advertised repository: a
/// bit array (bit i is bit i%8 of byte i/8) where each of K hash functions sets or tests bit
/// <c>hash % (bytes × 8)</c>. Hash function 1, the only one defined, is
/// <c>ostree_collection_ref_bloom_hash</c>: the string hashes of the collection ID and the ref name,
/// XORed; the string hash of index k being SipHash-2-4 of the string's bytes under a 16-byte key
/// of k's.
/// </summary>
public sealed class RefBloom
{
    /// <summary>The <c>hash_id</c> of <c>ostree_collection_ref_bloom_hash</c>.</summary>
    public const byte CollectionRefHashId = 1;

    private readonly byte[] _bits;
    private readonly byte _k;

    /// <param name="bits">The filter's bytes (empty: ostree's filter that cannot be built, which "may contain" anything).</param>
    /// <param name="k">The number of hash functions, at least 1.</param>
    public RefBloom(byte[] bits, byte k)
    {
        ArgumentOutOfRangeException.ThrowIfZero(k);
        _bits = bits;
        _k = k;
    }

    public ReadOnlySpan<byte> Bits => _bits;

    /// <summary><c>ostree_str_bloom_hash</c>.</summary>
    public static ulong StringHash(string s, byte k)
    {
        Span<byte> key = stackalloc byte[16];
        key.Fill(k);
        return SipHash.Hash24(key, Encoding.UTF8.GetBytes(s));
    }

    /// <summary><c>ostree_collection_ref_bloom_hash</c>.</summary>
    public static ulong Hash(CollectionRef r, byte k) => StringHash(r.CollectionId, k) ^ StringHash(r.RefName, k);

    /// <summary><c>ostree_bloom_add_element</c>.</summary>
    public void Add(CollectionRef r)
    {
        for (byte i = 0; i < _k; i++)
        {
            var bit = Bit(r, i);
            _bits[bit / 8] |= (byte)(1 << (int)(bit % 8));
        }
    }

    /// <summary><c>ostree_bloom_maybe_contains</c>: false is certain, true may be a false positive.</summary>
    public bool MaybeContains(CollectionRef r)
    {
        if (_bits.Length == 0) return true; // ostree has no filter then, and its check says "maybe"
        for (byte i = 0; i < _k; i++)
        {
            var bit = Bit(r, i);
            if ((_bits[bit / 8] & (1 << (int)(bit % 8))) == 0) return false;
        }
        return true;
    }

    private ulong Bit(CollectionRef r, byte i) => Hash(r, i) % ((ulong)_bits.Length * 8);
}
