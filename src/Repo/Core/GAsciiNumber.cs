namespace Arbor.Repo.Core;

/// <summary>
/// Numbers read as GLib's <c>g_ascii_strtoull</c> / <c>g_ascii_strtoll</c> (base 10) read them, which
/// is how ostree reads most numbers in config files and the environment: leading blanks and one sign
/// allowed, digits up to the first other character (none: 0), an overflow saturates; for the
/// unsigned reading a minus negates modulo 2⁶⁴.
/// </summary>
public static class GAsciiNumber
{
    public static ulong ToUInt64(ReadOnlySpan<char> text)
    {
        var (negative, magnitude, overflow, _) = Read(text);
        if (overflow) return ulong.MaxValue;
        return negative ? unchecked(0 - magnitude) : magnitude;
    }

    public static long ToInt64(ReadOnlySpan<char> text) => ReadInt64(text).Value;

    /// <summary>
    /// g_ascii_strtoull with its end pointer: the number of characters read (0 when no digit was,
    /// GLib then pointing back at the start) and whether the value saturated (errno ERANGE).
    /// </summary>
    public static (ulong Value, int End, bool OutOfRange) ReadUInt64(ReadOnlySpan<char> text)
    {
        var (negative, magnitude, overflow, any, end) = ReadWithEnd(text);
        if (overflow) return (ulong.MaxValue, end, true);
        return (negative ? unchecked(0 - magnitude) : magnitude, any ? end : 0, false);
    }

    /// <summary>
    /// g_ascii_strtoll with what a caller checks afterwards: whether any digit was read (else the end pointer is the
    /// start) and whether the value saturated (errno ERANGE).
    /// </summary>
    public static (long Value, bool AnyDigits, bool OutOfRange) ReadInt64(ReadOnlySpan<char> text)
    {
        var (negative, magnitude, overflow, any) = Read(text);
        if (negative)
            return overflow || magnitude > (ulong)long.MaxValue + 1 ? (long.MinValue, any, true) : (unchecked(-(long)magnitude), any, false);
        return overflow || magnitude > long.MaxValue ? (long.MaxValue, any, true) : ((long)magnitude, any, false);
    }

    private static (bool Negative, ulong Magnitude, bool Overflow, bool AnyDigits) Read(ReadOnlySpan<char> text)
    {
        var (negative, magnitude, overflow, any, _) = ReadWithEnd(text);
        return (negative, magnitude, overflow, any);
    }

    private static (bool Negative, ulong Magnitude, bool Overflow, bool AnyDigits, int End) ReadWithEnd(ReadOnlySpan<char> text)
    {
        int i = 0;
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r') i++;
        bool negative = false;
        if (i < text.Length && text[i] is '+' or '-') negative = text[i++] == '-';
        ulong value = 0;
        bool any = i < text.Length && char.IsAsciiDigit(text[i]);
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            ulong digit = (ulong)(text[i] - '0');
            if (value > (ulong.MaxValue - digit) / 10)
            {
                // GLib reads on to the last digit before it reports the overflow
                while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                return (negative, ulong.MaxValue, true, true, i);
            }
            value = value * 10 + digit;
        }
        return (negative, value, false, any, i);
    }
}
