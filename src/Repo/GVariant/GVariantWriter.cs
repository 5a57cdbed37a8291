using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Arbor.Repo.GVariant;

/// <summary>
/// Streaming GVariant serializer. The caller writes values in order inside containers opened with
/// <c>Begin*</c> and closed with <see cref="End"/>; the writer knows each container's type, so it
/// inserts alignment padding and records framing offsets itself (gvariant.md §3–§5).
/// Numbers are written little-endian; OSTree's big-endian fields are byte-swapped by the caller
/// (see Objects/), never here.
/// </summary>
public sealed partial class GVariantWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;
    private readonly List<Frame> _frames = new();
    private readonly Stack<List<long>> _offsetListPool = new();

    public GVariantWriter(GVariantType rootType, int initialCapacity = 256)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(16, initialCapacity));
        _frames.Add(new Frame(FrameKind.Root, rootType, 0, null));
    }

    public GVariantWriter(string rootType, int initialCapacity = 256) : this(GVariantType.Parse(rootType), initialCapacity) { }

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan
    {
        get
        {
            EnsureComplete();
            return _buffer.AsSpan(0, _length);
        }
    }

    public byte[] ToArray() => WrittenSpan.ToArray();

    private void EnsureComplete()
    {
        if (_frames.Count != 1 || _frames[0].ChildIndex != 1)
            throw new InvalidOperationException("GVariant value is incomplete: containers are still open or the root value is missing");
    }

    public void Dispose()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    // ---- basic values ----

    public void WriteBoolean(bool value) { var s = BeginBasic(GVariantTypeKind.Boolean, 1); s[0] = value ? (byte)1 : (byte)0; EndChild(); }
    public void WriteByte(byte value) { var s = BeginBasic(GVariantTypeKind.Byte, 1); s[0] = value; EndChild(); }
    public void WriteInt16(short value) { BinaryPrimitives.WriteInt16LittleEndian(BeginBasic(GVariantTypeKind.Int16, 2), value); EndChild(); }
    public void WriteUInt16(ushort value) { BinaryPrimitives.WriteUInt16LittleEndian(BeginBasic(GVariantTypeKind.UInt16, 2), value); EndChild(); }
    public void WriteInt32(int value) { BinaryPrimitives.WriteInt32LittleEndian(BeginBasic(GVariantTypeKind.Int32, 4), value); EndChild(); }
    public void WriteUInt32(uint value) { BinaryPrimitives.WriteUInt32LittleEndian(BeginBasic(GVariantTypeKind.UInt32, 4), value); EndChild(); }
    public void WriteHandle(int value) { BinaryPrimitives.WriteInt32LittleEndian(BeginBasic(GVariantTypeKind.Handle, 4), value); EndChild(); }
    public void WriteInt64(long value) { BinaryPrimitives.WriteInt64LittleEndian(BeginBasic(GVariantTypeKind.Int64, 8), value); EndChild(); }
    public void WriteUInt64(ulong value) { BinaryPrimitives.WriteUInt64LittleEndian(BeginBasic(GVariantTypeKind.UInt64, 8), value); EndChild(); }
    public void WriteDouble(double value) { BinaryPrimitives.WriteDoubleLittleEndian(BeginBasic(GVariantTypeKind.Double, 8), value); EndChild(); }

    /// <summary>Writes an <c>s</c> (or <c>o</c>/<c>g</c>, whichever the container expects).</summary>
    public void WriteString(string value)
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        var span = BeginString(byteCount);
        Encoding.UTF8.GetBytes(value, span);
        span[byteCount] = 0;
        EndChild();
    }

    /// <summary>Writes a string given as UTF-8 bytes without terminator.</summary>
    public void WriteString(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IndexOf((byte)0) >= 0) throw new ArgumentException("GVariant strings cannot contain NUL", nameof(utf8));
        var span = BeginString(utf8.Length);
        utf8.CopyTo(span);
        span[utf8.Length] = 0;
        EndChild();
    }

    private Span<byte> BeginString(int byteCount)
    {
        var t = NextChildType();
        if (!t.IsStringLike) throw TypeMismatch(t, "s");
        Pad(1);
        return Grow(byteCount + 1);
    }

    /// <summary>Writes an entire <c>ay</c> (or any array of a 1-byte fixed type) as raw bytes.</summary>
    public void WriteByteArray(ReadOnlySpan<byte> bytes)
    {
        var t = NextChildType();
        if (t.Kind != GVariantTypeKind.Array || t.Element.FixedSize != 1) throw TypeMismatch(t, "ay");
        bytes.CopyTo(Grow(bytes.Length));
        EndChild();
    }

    /// <summary>Writes a whole <c>as</c>.</summary>
    public void WriteStringArray(IEnumerable<string> values)
    {
        BeginArray();
        foreach (var v in values) WriteString(v);
        End();
    }

    // ---- containers ----

    public void BeginTuple() => BeginContainer(GVariantTypeKind.Tuple, FrameKind.Tuple);
    public void BeginDictEntry() => BeginContainer(GVariantTypeKind.DictEntry, FrameKind.Tuple);
    public void BeginArray() => BeginContainer(GVariantTypeKind.Array, FrameKind.Array);
    public void BeginMaybe() => BeginContainer(GVariantTypeKind.Maybe, FrameKind.Maybe);

    /// <summary>Opens a variant whose child has type <paramref name="childType"/>.</summary>
    public void BeginVariant(GVariantType childType)
    {
        var t = NextChildType();
        if (t.Kind != GVariantTypeKind.Variant) throw TypeMismatch(t, "v");
        Pad(8);
        if (ContainerDepth > GVariantLimits.MaxDepth) throw new GVariantFormatException("GVariant nesting too deep");
        _frames.Add(new Frame(FrameKind.Variant, childType, _length, null));
    }

    public void BeginVariant(string childType) => BeginVariant(GVariantType.Parse(childType));

    private void BeginContainer(GVariantTypeKind kind, FrameKind frameKind)
    {
        var t = NextChildType();
        if (t.Kind != kind) throw TypeMismatch(t, ((char)kind).ToString());
        Pad(t.Alignment);
        if (ContainerDepth > GVariantLimits.MaxDepth) throw new GVariantFormatException("GVariant nesting too deep");
        _frames.Add(new Frame(frameKind, t, _length, RentOffsets()));
    }

    /// <summary>
    /// The depth of a container opened now (the root value is at 0). GLib's values reach 128: the
    /// unit tuple <c>()</c>, 0 deep as a type, fits in a variant at depth 127.
    /// </summary>
    private int ContainerDepth => _frames.Count - 1;

    /// <summary>Closes the innermost open container.</summary>
    public void End()
    {
        if (_frames.Count <= 1) throw new InvalidOperationException("No open container");
        var f = _frames[^1];
        // validate before changing any state, so a misuse leaves the writer as it was
        if (f.Kind == FrameKind.Tuple && f.ChildIndex != f.Type.Children.Count)
            throw new InvalidOperationException($"Tuple {f.Type} needs {f.Type.Children.Count} members, got {f.ChildIndex}");
        if (f.Kind == FrameKind.Variant && f.ChildIndex != 1)
            throw new InvalidOperationException("Variant needs exactly one child");
        _frames.RemoveAt(_frames.Count - 1);
        switch (f.Kind)
        {
            case FrameKind.Tuple:
                if (f.Type.IsFixedSize)
                {
                    // zero-pad a fixed tuple to its fixed size (covers the unit tuple too)
                    int want = f.Start + f.Type.FixedSize;
                    if (_length < want) Grow(want - _length).Clear();
                }
                else
                {
                    // offsets in reverse order
                    f.Offsets!.Reverse();
                    WriteOffsetTable(f.Start, f.Offsets);
                }
                break;
            case FrameKind.Array:
                if (!f.Type.Element.IsFixedSize) WriteOffsetTable(f.Start, f.Offsets!);
                break;
            case FrameKind.Maybe:
                if (f.ChildIndex == 1 && !f.Type.Element.IsFixedSize) Grow(1)[0] = 0;
                break;
            case FrameKind.Variant:
                var sig = f.Type.Signature;
                var s = Grow(1 + sig.Length);
                s[0] = 0;
                Encoding.ASCII.GetBytes(sig, s[1..]);
                break;
        }
        if (f.Offsets is not null) ReturnOffsets(f.Offsets);
        EndChild();
    }

    private void WriteOffsetTable(int containerStart, List<long> offsets)
    {
        int n = offsets.Count;
        if (n == 0) return;
        long body = _length - containerStart;
        int w = FramingOffsets.WidthForBody(body, n);
        var span = Grow(n * w);
        for (int i = 0; i < n; i++)
            FramingOffsets.Write(span.Slice(i * w, w), w, (ulong)offsets[i]);
    }

    // ---- child bookkeeping ----

    private GVariantType NextChildType()
    {
        var f = _frames[^1];
        switch (f.Kind)
        {
            case FrameKind.Root:
            case FrameKind.Variant:
                if (f.ChildIndex != 0) throw new InvalidOperationException($"{f.Kind} holds exactly one value");
                return f.Type;
            case FrameKind.Maybe:
                if (f.ChildIndex != 0) throw new InvalidOperationException("Maybe holds at most one value");
                return f.Type.Element;
            case FrameKind.Array:
                return f.Type.Element;
            default:
                if (f.ChildIndex >= f.Type.Children.Count)
                    throw new InvalidOperationException($"Too many members for {f.Type}");
                return f.Type.Children[f.ChildIndex];
        }
    }

    private Span<byte> BeginBasic(GVariantTypeKind kind, int size)
    {
        var t = NextChildType();
        if (t.Kind != kind) throw TypeMismatch(t, ((char)kind).ToString());
        Pad(size);
        return Grow(size);
    }

    private void EndChild()
    {
        var f = _frames[^1];
        var childType = NextChildType();
        switch (f.Kind)
        {
            case FrameKind.Array:
                if (!childType.IsFixedSize) f.Offsets!.Add(_length - f.Start);
                break;
            case FrameKind.Tuple:
                if (!childType.IsFixedSize && f.ChildIndex != f.Type.Children.Count - 1) f.Offsets!.Add(_length - f.Start);
                break;
        }
        f.ChildIndex++;
        _frames[^1] = f;
    }

    private static InvalidOperationException TypeMismatch(GVariantType expected, string got)
        => new($"GVariant writer: expected a value of type '{expected}', got '{got}'");

    private void Pad(int alignment)
    {
        int aligned = (_length + alignment - 1) & ~(alignment - 1);
        if (aligned > _length) Grow(aligned - _length).Clear();
    }

    private Span<byte> Grow(int count)
    {
        int needed = _length + count;
        if (needed > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        var span = _buffer.AsSpan(_length, count);
        _length = needed;
        return span;
    }

    private List<long> RentOffsets() => _offsetListPool.Count > 0 ? _offsetListPool.Pop() : new List<long>();
    private void ReturnOffsets(List<long> list) { list.Clear(); _offsetListPool.Push(list); }

    private enum FrameKind : byte { Root, Tuple, Array, Maybe, Variant }

    private struct Frame(FrameKind kind, GVariantType type, int start, List<long>? offsets)
    {
        public readonly FrameKind Kind = kind;
        public readonly GVariantType Type = type;
        public readonly int Start = start;
        public readonly List<long>? Offsets = offsets;
        public int ChildIndex;
    }
}
