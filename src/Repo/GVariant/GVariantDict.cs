namespace Arbor.Repo.GVariant;

/// <summary>
/// Emulates GLib's <c>GVariantDict</c>: an <c>a{sv}</c> builder whose <c>g_variant_dict_end</c>
/// emits entries in the iteration order of its internal <c>GHashTable</c> (keys hashed with
/// <c>g_str_hash</c>). ostree builds the summary's additional metadata this way, so reproducing
/// its bytes means reproducing GLib 2.74's open-addressing table: initial size 8 (mod 7), index
/// <c>(hash * 11) % mod</c>, quadratic probing, growth when the table is 15/16 occupied, and the
/// in-place rehash of <c>resize_map</c>. Entries are never removed here, so no tombstones occur.
/// </summary>
public sealed class GVariantDict
{
    private const int MinShift = 3;

    // GLib's prime_mod table: the largest prime below 2^shift (index = shift).
    private static readonly uint[] PrimeMod =
    [
        1, 2, 3, 7, 13, 31, 61, 127, 251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521,
        131071, 262139, 524287, 1048573, 2097143, 4194301, 8388593, 16777213, 33554393,
        67108859, 134217689, 268435399, 536870909, 1073741789, 2147483647,
    ];

    private uint[] _hashes;
    private string?[] _keys;
    private GVariantValue?[] _values;
    private int _size, _mask, _nnodes, _noccupied;
    private uint _mod;

    public GVariantDict()
    {
        SetShift(MinShift);
        _hashes = new uint[_size];
        _keys = new string?[_size];
        _values = new GVariantValue?[_size];
    }

    /// <summary>Starts from an existing dictionary, inserting its entries in order (g_variant_dict_init).</summary>
    public GVariantDict(IEnumerable<KeyValuePair<string, GVariantValue>> initial) : this()
    {
        foreach (var (k, v) in initial) Insert(k, v);
    }

    public int Count => _nnodes;

    /// <summary>Inserts or replaces (the key keeps its slot, as g_hash_table_replace).</summary>
    public void Insert(string key, GVariantValue value)
    {
        uint hash = StrHash(key);
        if (hash <= 1) hash = 2; // 0 and 1 mark empty and tombstone slots
        int index = LookupNode(key, hash);
        if (_hashes[index] > 1)
        {
            _values[index] = value;
            return;
        }
        bool wasUnused = _hashes[index] == 0;
        _hashes[index] = hash;
        _keys[index] = key;
        _values[index] = value;
        _nnodes++;
        if (wasUnused)
        {
            _noccupied++;
            MaybeResize();
        }
    }

    /// <summary>The entries in GHashTable iteration order (g_variant_dict_end).</summary>
    public IReadOnlyList<KeyValuePair<string, GVariantValue>> End()
    {
        var result = new List<KeyValuePair<string, GVariantValue>>(_nnodes);
        for (int i = 0; i < _size; i++)
            if (_hashes[i] > 1) result.Add(new(_keys[i]!, _values[i]!));
        return result;
    }

    /// <summary>g_str_hash: djb2 over the UTF-8 bytes read as <em>signed</em> chars.</summary>
    public static uint StrHash(string key)
    {
        uint h = 5381;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(key))
            h = unchecked((h << 5) + h + (uint)(sbyte)b);
        return h;
    }

    private uint HashToIndex(uint hash) => unchecked(hash * 11) % _mod;

    private int LookupNode(string key, uint hash)
    {
        uint index = HashToIndex(hash);
        uint step = 0;
        while (_hashes[index] != 0)
        {
            if (_hashes[index] == hash && _keys[index] == key) return (int)index;
            step++;
            index = (index + step) & (uint)_mask;
        }
        return (int)index;
    }

    private void SetShift(int shift)
    {
        _size = 1 << shift;
        _mod = PrimeMod[shift];
        _mask = _size - 1;
    }

    private void MaybeResize()
    {
        if ((_size > _nnodes * 4 && _size > 1 << MinShift) || _size <= _noccupied + _noccupied / 16)
            Resize();
    }

    /// <summary>GLib's resize_map: in-place rehash with a "reallocated" bitmap and eviction chains.</summary>
    private void Resize()
    {
        int oldSize = _size;
        int shift = 0;
        for (int n = (int)(_nnodes * 1.333); n != 0; n >>= 1) shift++;
        SetShift(Math.Max(shift, MinShift));
        if (_size > oldSize)
        {
            Array.Resize(ref _hashes, _size);
            Array.Resize(ref _keys, _size);
            Array.Resize(ref _values, _size);
        }
        var reallocated = new bool[Math.Max(_size, oldSize)];
        for (int i = 0; i < oldSize; i++)
        {
            uint nodeHash = _hashes[i];
            if (nodeHash <= 1) { _hashes[i] = 0; continue; }
            if (reallocated[i]) continue;
            _hashes[i] = 0;
            var key = _keys[i];
            var value = _values[i];
            _keys[i] = null;
            _values[i] = null;
            while (true)
            {
                uint index = HashToIndex(nodeHash);
                uint step = 0;
                while (reallocated[index])
                {
                    step++;
                    index = (index + step) & (uint)_mask;
                }
                reallocated[index] = true;
                uint replaced = _hashes[index];
                _hashes[index] = nodeHash;
                if (replaced <= 1)
                {
                    _keys[index] = key;
                    _values[index] = value;
                    break;
                }
                nodeHash = replaced;
                (key, _keys[index]) = (_keys[index], key);
                (value, _values[index]) = (_values[index], value);
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
