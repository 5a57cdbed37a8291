using System.Text;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// glibc's <c>strverscmp</c>, which orders BLS entries by their <c>version</c> key: runs of
/// digits compare as numbers, and a run with leading zeros as a fraction ("09" &lt; "1"),
/// byte-wise on the UTF-8 text otherwise. A state machine over (non-digit, digit, zero).
/// </summary>
public static class VersionCompare
{
    private const int SN = 0, SI = 3, SF = 6, SZ = 9, Cmp = 2, Len = 3;

    // next state, indexed by state + class of the current character (x=0, d=1, '0'=2)
    private static readonly int[] NextState =
    [
        SN, SI, SZ,   // S_N
        SN, SI, SI,   // S_I
        SN, SF, SF,   // S_F
        SN, SF, SZ,   // S_Z
    ];

    // result, indexed by state * 3 + class of the second string's character
    private static readonly int[] ResultType =
    [
        Cmp, Cmp, Cmp, Cmp, Len, Cmp, Cmp, Cmp, Cmp,   // S_N
        Cmp, -1, -1, +1, Len, Len, +1, Len, Len,       // S_I
        Cmp, Cmp, Cmp, Cmp, Cmp, Cmp, Cmp, Cmp, Cmp,   // S_F
        Cmp, +1, +1, -1, Cmp, Cmp, -1, Cmp, Cmp,       // S_Z
    ];

    private static bool IsDigit(int c) => c is >= '0' and <= '9';
    private static int Class(int c) => (c == '0' ? 1 : 0) + (IsDigit(c) ? 1 : 0);

    public static int Compare(string a, string b) => Compare(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    public static int Compare(ReadOnlySpan<byte> s1, ReadOnlySpan<byte> s2)
    {
        int i = 0, j = 0;
        int At(ReadOnlySpan<byte> s, int k) => k < s.Length ? s[k] : 0;

        int c1 = At(s1, i++), c2 = At(s2, j++);
        int state = SN + Class(c1);
        int diff;
        while ((diff = c1 - c2) == 0)
        {
            if (c1 == 0) return 0;
            state = NextState[state];
            c1 = At(s1, i++);
            c2 = At(s2, j++);
            state += Class(c1);
        }

        int result = ResultType[state * 3 + Class(c2)];
        switch (result)
        {
            case Cmp:
                return diff;
            case Len:
                while (IsDigit(At(s1, i++)))
                    if (!IsDigit(At(s2, j++))) return 1;
                return IsDigit(At(s2, j)) ? -1 : diff;
            default:
                return result;
        }
    }
}
