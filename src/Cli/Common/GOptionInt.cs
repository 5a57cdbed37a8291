using Arbor.Repo.Core;

namespace Arbor.Cli.Common;

/// <summary>
/// A <c>G_OPTION_ARG_INT</c> value as GOption (GLib 2.74's parse_int) reads it: C's <c>strtol</c>
/// in base 0 (blanks and a sign first; <c>0x</c> hexadecimal, a leading <c>0</c> octal), the whole
/// text a number, the value within a C <c>int</c>; otherwise one of GOption's two messages.
/// </summary>
internal static class GOptionInt
{
    public static int Parse(string text, string optionName)
    {
        var (value, end, overflow) = Strtol(text);
        if (text.Length == 0 || end != text.Length)
            throw new ArborException($"Cannot parse integer value \u201c{text}\u201d for {optionName}");
        if (overflow || value is < int.MinValue or > int.MaxValue)
            throw new ArborException($"Integer value \u201c{text}\u201d for {optionName} out of range");
        return (int)value;
    }

    /// <summary>strtol(text, &amp;end, 0): the value (saturated on overflow) and how many characters it took (0 when no digit).</summary>
    private static (long Value, int End, bool Overflow) Strtol(string s)
    {
        int i = 0;
        while (i < s.Length && s[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r') i++;
        bool negative = false;
        if (i < s.Length && s[i] is '+' or '-') negative = s[i++] == '-';
        int radix = 10;
        if (i + 2 < s.Length && s[i] == '0' && s[i + 1] is 'x' or 'X' && char.IsAsciiHexDigit(s[i + 2])) { radix = 16; i += 2; }
        else if (i < s.Length && s[i] == '0') radix = 8;
        int start = i;
        ulong magnitude = 0;
        bool overflow = false;
        for (; i < s.Length && Digit(s[i]) is int d && d < radix; i++)
        {
            if (magnitude > (ulong.MaxValue - (ulong)d) / (ulong)radix) overflow = true;
            else magnitude = magnitude * (ulong)radix + (ulong)d;
        }
        if (i == start) return (0, 0, false);
        if (negative)
            return overflow || magnitude > (ulong)long.MaxValue + 1 ? (long.MinValue, i, true) : (unchecked(-(long)magnitude), i, false);
        return overflow || magnitude > long.MaxValue ? (long.MaxValue, i, true) : ((long)magnitude, i, false);
    }

    private static int Digit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'z' => c - 'a' + 10,
        >= 'A' and <= 'Z' => c - 'A' + 10,
        _ => int.MaxValue,
    };
}
