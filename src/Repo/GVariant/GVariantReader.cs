using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Arbor.Repo.GVariant;

/// <summary>
/// Zero-copy, bounds-checked navigation of serialized GVariant data (gvariant.md §3–§5, §7).
/// Every structural inconsistency (offsets out of range, overlapping members, wrong sizes)
/// throws <see cref="GVariantFormatException"/>; nothing here allocates in proportion to
/// untrusted sizes. Normal form is checked separately (<see cref="GVariantNormalForm"/>).
/// </summary>
public readonly ref struct GVariantReader
{
    public ReadOnlySpan<byte> Data { get; }
    public GVariantType Type { get; }

    public GVariantReader(ReadOnlySpan<byte> data, GVariantType type)
    {
        Data = data;
        Type = type;
        if (type.IsFixedSize && data.Length != type.FixedSize)
            throw new GVariantFormatException($"Value of type '{type}' must be {type.FixedSize} bytes, got {data.Length}");
    }

    public GVariantReader(ReadOnlySpan<byte> data, string type) : this(data, GVariantType.Parse(type)) { }

    // ---- basic values ----

    public bool GetBoolean() { Expect(GVariantTypeKind.Boolean); return Data[0] != 0; }
    public byte GetByte() { Expect(GVariantTypeKind.Byte); return Data[0]; }
    public short GetInt16() { Expect(GVariantTypeKind.Int16); return BinaryPrimitives.ReadInt16LittleEndian(Data); }
    public ushort GetUInt16() { Expect(GVariantTypeKind.UInt16); return BinaryPrimitives.ReadUInt16LittleEndian(Data); }
    public int GetInt32() { Expect(GVariantTypeKind.Int32, GVariantTypeKind.Handle); return BinaryPrimitives.ReadInt32LittleEndian(Data); }
    public uint GetUInt32() { Expect(GVariantTypeKind.UInt32); return BinaryPrimitives.ReadUInt32LittleEndian(Data); }
    public long GetInt64() { Expect(GVariantTypeKind.Int64); return BinaryPrimitives.ReadInt64LittleEndian(Data); }
    public ulong GetUInt64() { Expect(GVariantTypeKind.UInt64); return BinaryPrimitives.ReadUInt64LittleEndian(Data); }
    public double GetDouble() { Expect(GVariantTypeKind.Double); return BinaryPrimitives.ReadDoubleLittleEndian(Data); }

    /// <summary>The UTF-8 bytes of a string value, without its terminator.</summary>
    public ReadOnlySpan<byte> GetStringBytes()
    {
        if (!Type.IsStringLike) throw WrongType("s");
        if (Data.Length == 0 || Data[^1] != 0)
            throw new GVariantFormatException("String is not NUL-terminated");
        var body = Data[..^1];
        if (body.IndexOf((byte)0) >= 0) throw new GVariantFormatException("String contains an embedded NUL");
        if (!Utf8.IsValid(body)) throw new GVariantFormatException("String is not valid UTF-8");
        return body;
    }

    public string GetString() => Encoding.UTF8.GetString(GetStringBytes());

    /// <summary>The raw bytes of an array of 1-byte elements (<c>ay</c>).</summary>
    public ReadOnlySpan<byte> GetBytes()
    {
        if (Type.Kind != GVariantTypeKind.Array || Type.Element.FixedSize != 1) throw WrongType("ay");
        return Data;
    }

    // ---- tuples and dict entries ----

    public int MemberCount => Type.Kind is GVariantTypeKind.Tuple or GVariantTypeKind.DictEntry ? Type.Children.Count : throw WrongType("(...)");

    /// <summary>Member <paramref name="index"/> of a tuple or dict entry.</summary>
    public GVariantReader Member(int index)
    {
        var members = Type.Children;
        if (Type.Kind is not (GVariantTypeKind.Tuple or GVariantTypeKind.DictEntry)) throw WrongType("(...)");
        if ((uint)index >= (uint)members.Count) throw new ArgumentOutOfRangeException(nameof(index));
        int size = Data.Length;
        int w = Type.IsFixedSize ? 0 : FramingOffsets.WidthForSize(size);
        int offsetsUsed = 0;
        int pos = 0;
        for (int i = 0; ; i++)
        {
            var m = members[i];
            int start = GVariantType.AlignUp(pos, m.Alignment);
            int end;
            if (m.IsFixedSize)
            {
                end = start + m.FixedSize;
            }
            else if (i == members.Count - 1)
            {
                int nOffsets = CountTupleOffsets();
                end = size - nOffsets * w;
            }
            else
            {
                offsetsUsed++;
                int at = size - offsetsUsed * w;
                if (w == 0 || at < 0) throw new GVariantFormatException($"Tuple '{Type}' framing offsets out of bounds");
                end = CheckedOffset(FramingOffsets.Read(Data[at..], w), size);
            }
            if (start > end || end > size)
                throw new GVariantFormatException($"Tuple '{Type}' member {i} out of bounds");
            if (i == index) return new GVariantReader(Data[start..end], m);
            pos = end;
        }
    }

    private int CountTupleOffsets()
    {
        int n = 0;
        var members = Type.Children;
        for (int i = 0; i < members.Count - 1; i++) if (!members[i].IsFixedSize) n++;
        return n;
    }

    // ---- arrays ----

    /// <summary>Number of elements of an array.</summary>
    public int ArrayCount
    {
        get
        {
            if (Type.Kind != GVariantTypeKind.Array) throw WrongType("a*");
            var e = Type.Element;
            if (e.IsFixedSize)
            {
                if (Data.Length % e.FixedSize != 0)
                    throw new GVariantFormatException($"Array '{Type}' size {Data.Length} is not a multiple of {e.FixedSize}");
                return Data.Length / e.FixedSize;
            }
            if (Data.Length == 0) return 0;
            var (tableStart, w) = ArrayTable();
            return (Data.Length - tableStart) / w;
        }
    }

    private (int TableStart, int Width) ArrayTable()
    {
        int size = Data.Length;
        int w = FramingOffsets.WidthForSize(size);
        if (size < w) throw new GVariantFormatException($"Array '{Type}' too small for its offset table");
        int last = CheckedOffset(FramingOffsets.Read(Data[(size - w)..], w), size);
        if ((size - last) % w != 0 || last > size - w)
            throw new GVariantFormatException($"Array '{Type}' has a malformed offset table");
        return (last, w);
    }

    /// <summary>Element <paramref name="index"/> of an array.</summary>
    public GVariantReader Element(int index)
    {
        if (Type.Kind != GVariantTypeKind.Array) throw WrongType("a*");
        var e = Type.Element;
        if (e.IsFixedSize)
        {
            int count = ArrayCount;
            if ((uint)index >= (uint)count) throw new ArgumentOutOfRangeException(nameof(index));
            return new GVariantReader(Data.Slice(index * e.FixedSize, e.FixedSize), e);
        }
        var (tableStart, w) = ArrayTable();
        int n = (Data.Length - tableStart) / w;
        if ((uint)index >= (uint)n) throw new ArgumentOutOfRangeException(nameof(index));
        int start = index == 0 ? 0 : GVariantType.AlignUp(CheckedOffset(FramingOffsets.Read(Data[(tableStart + (index - 1) * w)..], w), tableStart), e.Alignment);
        int end = CheckedOffset(FramingOffsets.Read(Data[(tableStart + index * w)..], w), tableStart);
        if (start > end) throw new GVariantFormatException($"Array '{Type}' element {index} out of bounds");
        return new GVariantReader(Data[start..end], e);
    }

    /// <summary>Enumerates an array without recomputing the offset table per element.</summary>
    public ArrayEnumerator EnumerateArray() => new(this);

    public ref struct ArrayEnumerator
    {
        private readonly ReadOnlySpan<byte> _data;
        private readonly GVariantType _elem;
        private readonly int _tableStart, _width, _count;
        private int _index, _prevEnd;
        private GVariantReader _current;

        internal ArrayEnumerator(GVariantReader array)
        {
            _data = array.Data;
            _elem = array.Type.Element;
            _count = array.ArrayCount;
            if (!_elem.IsFixedSize && _count > 0) (_tableStart, _width) = array.ArrayTable();
            else { _tableStart = _data.Length; _width = 0; }
            _index = -1;
            _prevEnd = 0;
            _current = default;
        }

        public readonly GVariantReader Current => _current;
        public readonly ArrayEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (++_index >= _count) return false;
            if (_elem.IsFixedSize)
            {
                _current = new GVariantReader(_data.Slice(_index * _elem.FixedSize, _elem.FixedSize), _elem);
                return true;
            }
            int start = GVariantType.AlignUp(_prevEnd, _elem.Alignment);
            int end = CheckedOffset(FramingOffsets.Read(_data[(_tableStart + _index * _width)..], _width), _tableStart);
            if (start > end) throw new GVariantFormatException($"Array element {_index} out of bounds");
            _current = new GVariantReader(_data[start..end], _elem);
            _prevEnd = end;
            return true;
        }
    }

    // ---- maybe ----

    public bool HasValue
    {
        get
        {
            if (Type.Kind != GVariantTypeKind.Maybe) throw WrongType("m*");
            return Data.Length > 0;
        }
    }

    public GVariantReader MaybeValue()
    {
        if (!HasValue) throw new InvalidOperationException("Maybe is Nothing");
        var e = Type.Element;
        return new GVariantReader(e.IsFixedSize ? Data : Data[..^1], e);
    }

    // ---- variant ----

    /// <summary>The boxed value of a <c>v</c>: the type string follows the last NUL.</summary>
    public GVariantReader VariantValue()
    {
        if (Type.Kind != GVariantTypeKind.Variant) throw WrongType("v");
        int sep = Data.LastIndexOf((byte)0);
        if (sep < 0) throw new GVariantFormatException("Variant has no type separator");
        var typeBytes = Data[(sep + 1)..];
        if (typeBytes.Length == 0 || typeBytes.Length > GVariantLimits.MaxTypeStringLength)
            throw new GVariantFormatException("Variant has an invalid type string");
        foreach (var b in typeBytes) if (b >= 0x80) throw new GVariantFormatException("Variant has an invalid type string");
        if (!GVariantType.TryParse(Encoding.ASCII.GetString(typeBytes), out var t))
            throw new GVariantFormatException("Variant has an invalid type string");
        return new GVariantReader(Data[..sep], t!);
    }

    // ---- helpers ----

    private static int CheckedOffset(ulong offset, int limit)
    {
        if (offset > (ulong)limit) throw new GVariantFormatException("Framing offset out of bounds");
        return (int)offset;
    }

    private void Expect(GVariantTypeKind kind)
    {
        if (Type.Kind != kind) throw WrongType(((char)kind).ToString());
    }

    private void Expect(GVariantTypeKind a, GVariantTypeKind b)
    {
        if (Type.Kind != a && Type.Kind != b) throw WrongType(((char)a).ToString());
    }

    private InvalidOperationException WrongType(string wanted) => new($"GVariant value has type '{Type}', not '{wanted}'");
}
