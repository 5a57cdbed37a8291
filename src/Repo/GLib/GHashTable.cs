namespace Arbor.Repo.GLib;

/// <summary>
/// The iteration order of a GLib <c>GHashTable</c>, as
/// GLib 2.74 (Debian 12) lays it out: open addressing with quadratic probing over a power-of-two
/// table, initial bucket <c>(hash * 11) % prime</c>, growth (and tombstone clean-up) by the
/// in-place resize of <c>ghash.c</c>. ostree prints hash tables in this order (<c>refs</c>,
/// summary keys), so reproducing it is what makes such output byte-identical.
/// Only the layout is modelled: keys and values, not GLib's memory tricks.
/// </summary>
public class GHashTable<TKey, TValue> where TKey : notnull
{
    private const int MinShift = 3;
    private const uint UnusedHash = 0;
    private const uint TombstoneHash = 1;

    /// <summary>For each table size 1 &lt;&lt; n, the largest prime below it (GLib's prime_mod).</summary>
    private static readonly int[] PrimeMod =
    [
        1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521,
        131071, 262139, 524287, 1048573, 2097143, 4194301, 8388593, 16777213, 33554393,
        67108859, 134217689, 268435399, 536870909, 1073741789, 2147483647,
    ];

    private int _size, _mod, _mask, _nnodes, _noccupied;
    private uint[] _hashes;
    private TKey?[] _keys;
    private readonly Func<TKey, uint> _hash;
    private readonly IEqualityComparer<TKey> _equal;
    private TValue?[] _values;

    /// <summary>A table with GLib hash function <paramref name="hash"/> and key equality <paramref name="equal"/>.</summary>
    public GHashTable(Func<TKey, uint> hash, IEqualityComparer<TKey> equal)
    {
        _hash = hash;
        _equal = equal;
        SetShift(MinShift);
        _hashes = new uint[_size];
        _keys = new TKey?[_size];
        _values = new TValue?[_size];
    }

    public int Count => _nnodes;

    /// <summary><c>g_hash_table_insert</c>: a new key takes a bucket; an existing key keeps its bucket and gets the value.</summary>
    public void Insert(TKey key, TValue value)
    {
        int index = LookupNode(key, out uint hash);
        uint old = _hashes[index];
        if (old >= 2)
        {
            _values[index] = value;
            return;
        }
        _hashes[index] = hash;
        _keys[index] = key;
        _values[index] = value;
        _nnodes++;
        if (old == UnusedHash)
        {
            _noccupied++;
            MaybeResize();
        }
    }

    /// <summary><c>g_hash_table_remove</c>: leaves a tombstone, then maybe shrinks.</summary>
    public bool Remove(TKey key)
    {
        int index = LookupNode(key, out _);
        if (_hashes[index] < 2) return false;
        _hashes[index] = TombstoneHash;
        _keys[index] = default;
        _values[index] = default;
        _nnodes--;
        MaybeResize();
        return true;
    }

    public bool TryGetValue(TKey key, out TValue? value)
    {
        int index = LookupNode(key, out _);
        if (_hashes[index] >= 2) { value = _values[index]; return true; }
        value = default;
        return false;
    }

    public bool ContainsKey(TKey key) => TryGetValue(key, out _);

    /// <summary>Entries in <c>GHashTableIter</c> order: bucket 0 upwards.</summary>
    public IEnumerable<KeyValuePair<TKey, TValue>> Entries
    {
        get
        {
            for (int i = 0; i < _size; i++)
                if (_hashes[i] >= 2) yield return new(_keys[i]!, _values[i]!);
        }
    }

    public IEnumerable<TKey> Keys => Entries.Select(e => e.Key);

    private void SetShift(int shift)
    {
        _size = 1 << shift;
        _mod = PrimeMod[shift];
        _mask = _size - 1;
    }

    private int HashToIndex(uint hash) => (int)(unchecked(hash * 11u) % (uint)_mod);

    private int LookupNode(TKey key, out uint hashReturn)
    {
        uint hash = _hash(key);
        if (hash < 2) hash = 2;
        hashReturn = hash;
        int index = HashToIndex(hash);
        uint nodeHash = _hashes[index];
        int firstTombstone = -1;
        int step = 0;
        while (nodeHash != UnusedHash)
        {
            if (nodeHash == hash)
            {
                if (_equal.Equals(_keys[index]!, key)) return index;
            }
            else if (nodeHash == TombstoneHash && firstTombstone < 0)
            {
                firstTombstone = index;
            }
            step++;
            index = (index + step) & _mask;
            nodeHash = _hashes[index];
        }
        return firstTombstone >= 0 ? firstTombstone : index;
    }

    private void MaybeResize()
    {
        if ((_size > _nnodes * 4 && _size > 1 << MinShift) || _size <= _noccupied + _noccupied / 16)
            Resize();
    }

    /// <summary>GLib's in-place resize: entries are re-placed in bucket order, evicting as they go.</summary>
    private void Resize()
    {
        int oldSize = _size;
        // g_hash_table_set_shift_from_size (nnodes * 1.333): the double product truncated to int
        int target = (int)(_nnodes * 1.333);
        int shift = 0;
        for (int n = target; n != 0; n >>= 1) shift++;
        SetShift(Math.Max(shift, MinShift));

        if (_size > oldSize)
        {
            Array.Resize(ref _hashes, _size);
            Array.Resize(ref _keys, _size);
            Array.Resize(ref _values, _size);
        }
        var placed = new bool[Math.Max(_size, oldSize)];

        for (int i = 0; i < oldSize; i++)
        {
            uint nodeHash = _hashes[i];
            if (nodeHash < 2)
            {
                _hashes[i] = UnusedHash;
                continue;
            }
            if (placed[i]) continue;

            _hashes[i] = UnusedHash;
            TKey? key = _keys[i];
            TValue? value = _values[i];
            _keys[i] = default;
            _values[i] = default;

            while (true)
            {
                int at = HashToIndex(nodeHash);
                int step = 0;
                while (placed[at])
                {
                    step++;
                    at = (at + step) & _mask;
                }
                placed[at] = true;
                uint replaced = _hashes[at];
                _hashes[at] = nodeHash;
                if (replaced < 2)
                {
                    _keys[at] = key;
                    _values[at] = value;
                    break;
                }
                nodeHash = replaced;
                (key, _keys[at]) = (_keys[at], key);
                (value, _values[at]) = (_values[at], value);
            }
        }

        if (_size < oldSize)
        {
            Array.Resize(ref _hashes, _size);
            Array.Resize(ref _keys, _size);
            Array.Resize(ref _values, _size);
        }
        _noccupied = _nnodes;
    }
}
