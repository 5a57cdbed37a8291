using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Arbor.Repo.Core;

/// <summary>
/// A SHA-256 object name: 32 bytes held inline, so sets and dictionaries of checksums
/// do not allocate. Its text form is 64 lowercase hex characters (repo-format.md §1, §7).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Checksum : IEquatable<Checksum>, IComparable<Checksum>
{
    public const int ByteLength = 32;
    public const int HexLength = 64;

    private readonly ulong _a, _b, _c, _d; // big-endian words: ordering equals byte order

    private Checksum(ulong a, ulong b, ulong c, ulong d) { _a = a; _b = b; _c = c; _d = d; }

    public static Checksum FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ByteLength)
            throw new ArgumentException($"a checksum is {ByteLength} bytes, got {bytes.Length}", nameof(bytes));
        return new Checksum(
            BinaryPrimitives.ReadUInt64BigEndian(bytes),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]));
    }

    /// <summary>SHA-256 of <paramref name="data"/>.</summary>
    public static Checksum Compute(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[ByteLength];
        SHA256.HashData(data, hash);
        return FromBytes(hash);
    }

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[ByteLength];
        CopyTo(bytes);
        return bytes;
    }

    public static bool IsValid(ReadOnlySpan<char> text) => TryParse(text, out _);

    public static bool TryParse(ReadOnlySpan<char> text, out Checksum checksum)
    {
        checksum = default;
        if (text.Length != HexLength) return false;
        Span<byte> bytes = stackalloc byte[ByteLength];
        for (int i = 0; i < ByteLength; i++)
        {
            int hi = HexValue(text[2 * i]), lo = HexValue(text[2 * i + 1]);
            if ((hi | lo) < 0) return false;
            bytes[i] = (byte)((hi << 4) | lo);
        }
        checksum = FromBytes(bytes);
        return true;
    }

    public static Checksum Parse(ReadOnlySpan<char> text)
    {
        if (!TryParse(text, out var c))
            throw new FormatException($"Invalid checksum '{text.ToString()}': expected 64 lowercase hex characters");
        return c;
    }

    /// <summary>Lowercase hex only: ostree rejects uppercase (repo-format.md §1).</summary>
    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    public override string ToString() => string.Create(HexLength, this, static (span, c) => c.FormatHex(span));

    /// <summary>The first <paramref name="length"/> hex characters.</summary>
    public string ToString(int length) => ToString()[..Math.Clamp(length, 0, HexLength)];

    private void FormatHex(Span<char> destination)
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        CopyTo(bytes);
        Convert.TryToHexStringLower(bytes, destination, out _);
    }

    /// <summary>True when this checksum's hex form starts with <paramref name="prefix"/>.</summary>
    public bool StartsWith(ReadOnlySpan<char> prefix) => ToString().AsSpan().StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>The first 16 bytes as two words: enough to tell objects apart in sets that must stay small.</summary>
    internal (ulong High, ulong Low) Prefix128 => (_a, _b);

    /// <summary>The two-character fan-out directory under <c>objects/</c>.</summary>
    public string DirectoryPrefix => ToString()[..2];

    public bool Equals(Checksum other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;
    public override bool Equals(object? obj) => obj is Checksum c && Equals(c);
    public override int GetHashCode() => (int)(_a ^ (_a >> 32));
    public int CompareTo(Checksum other)
    {
        int r = _a.CompareTo(other._a);
        if (r != 0) return r;
        r = _b.CompareTo(other._b);
        if (r != 0) return r;
        r = _c.CompareTo(other._c);
        return r != 0 ? r : _d.CompareTo(other._d);
    }
    public static bool operator ==(Checksum left, Checksum right) => left.Equals(right);
    public static bool operator !=(Checksum left, Checksum right) => !left.Equals(right);
}
