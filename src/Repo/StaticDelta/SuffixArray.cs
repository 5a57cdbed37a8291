using System.Numerics;

namespace Arbor.Repo.StaticDelta;

/// <summary>
/// Suffix arrays by induced sorting (SA-IS: Nong, Zhang and Chan, "Two Efficient Algorithms for
/// Linear Time Suffix Array Construction", 2011), in linear time whatever the input: a binary
/// with long runs of equal bytes costs no more than text (prefix doubling needs a round per
/// doubling of the longest repeat, each a full sort). Memory is the result itself plus a type bit
/// per suffix and the buckets: the reduced problem lives in the unused half of the array being
/// built (as in Yuta Mori's sais), and the bytes are read in place, never widened to integers.
/// </summary>
internal static class SuffixArray
{
    /// <summary>Below this length a plain comparison sort is quicker.</summary>
    private const int Naive = 16;

    /// <summary>The suffix array of <paramref name="data"/> with the empty suffix first (length + 1 entries), as bsdiff searches it.</summary>
    public static int[] WithEmptySuffix(ReadOnlySpan<byte> data)
    {
        var result = new int[data.Length + 1];
        result[0] = data.Length;
        Build(data, result.AsSpan(1), 255);
        return result;
    }

    /// <summary>Writes the suffix array of <paramref name="s"/> (values in [0, <paramref name="upper"/>]) into <paramref name="sa"/>.</summary>
    private static void Build<T>(ReadOnlySpan<T> s, Span<int> sa, int upper) where T : unmanaged, IBinaryInteger<T>
    {
        int n = s.Length;
        if (n < Naive)
        {
            Sorted(s, sa);
            return;
        }

        // ls[i]: suffix i is S-type (smaller than suffix i + 1); the last suffix is L-type
        var ls = new bool[n];
        for (int i = n - 2; i >= 0; i--) ls[i] = s[i] == s[i + 1] ? ls[i + 1] : s[i] < s[i + 1];
        // bucket starts: sumL[c] for the L-type suffixes starting with c, sumS[c] for the S-type ones
        var sumL = new int[upper + 2];
        var sumS = new int[upper + 2];
        for (int i = 0; i < n; i++)
        {
            int c = int.CreateTruncating(s[i]);
            if (!ls[i]) sumS[c]++;
            else sumL[c + 1]++;
        }
        for (int i = 0; i <= upper; i++)
        {
            sumS[i] += sumL[i];
            if (i < upper) sumL[i + 1] += sumS[i];
        }
        var buf = new int[upper + 2];

        // the LMS suffixes in text order, induced: sorted by their LMS substrings
        int m = 0;
        for (int i = 1; i < n; i++)
            if (IsLms(ls, i)) m++;
        Induce(s, sa, ls, sumL, sumS, buf, m, inTextOrder: true);
        if (m == 0) return;

        // gather the sorted LMS suffixes at the front, then name their substrings: the name of the
        // LMS suffix at p goes to sa[m + p / 2] (two LMS positions are never adjacent, and m <= n / 2)
        int sorted = 0;
        for (int i = 0; i < n; i++)
            if (IsLms(ls, sa[i])) sa[sorted++] = sa[i];
        sa[m..].Fill(-1);
        int name = 0;
        sa[m + sa[0] / 2] = 0;
        for (int i = 1; i < m; i++)
        {
            int l = sa[i - 1], r = sa[i];
            if (!SameLmsSubstring(s, ls, l, r)) name++;
            sa[m + r / 2] = name;
        }
        // the names in text order at the end: the reduced string
        for (int i = n - 1, j = n - 1; i >= m; i--)
            if (sa[i] >= 0) sa[j--] = sa[i];
        var reduced = sa[(n - m)..];
        var order = sa[..m];
        if (name + 1 < m) Build<int>(reduced, order, name);
        else for (int i = 0; i < m; i++) order[reduced[i]] = i; // every name distinct: the names are the order

        // the LMS positions in text order take the reduced string's place; the order maps onto them
        var positions = reduced;
        for (int i = 1, j = 0; i < n; i++)
            if (IsLms(ls, i)) positions[j++] = i;
        for (int i = 0; i < m; i++) order[i] = positions[order[i]];
        Induce(s, sa, ls, sumL, sumS, buf, m, inTextOrder: false);
    }

    private static bool IsLms(bool[] ls, int i) => i > 0 && ls[i] && !ls[i - 1];

    /// <summary>Whether the LMS substrings at <paramref name="l"/> and <paramref name="r"/> (each up to the next LMS position, inclusive) are equal.</summary>
    private static bool SameLmsSubstring<T>(ReadOnlySpan<T> s, bool[] ls, int l, int r) where T : unmanaged, IBinaryInteger<T>
    {
        int n = s.Length;
        // (the last LMS substring runs to the end, past which nothing equals it)
        if (s[l] != s[r] || ls[l] != ls[r]) return false;
        for (int i = 1; ; i++)
        {
            if (l + i == n || r + i == n) return false;
            if (s[l + i] != s[r + i] || ls[l + i] != ls[r + i]) return false;
            bool endL = IsLms(ls, l + i), endR = IsLms(ls, r + i);
            if (endL || endR) return endL && endR;
        }
    }

    /// <summary>
    /// Places the <paramref name="m"/> LMS suffixes at the ends of their buckets, in text order or in
    /// the sorted order given in <c>sa[0..m)</c>, then induces the L-type and S-type suffixes from them.
    /// </summary>
    private static void Induce<T>(ReadOnlySpan<T> s, Span<int> sa, bool[] ls, int[] sumL, int[] sumS, int[] buf, int m, bool inTextOrder)
        where T : unmanaged, IBinaryInteger<T>
    {
        int n = s.Length;
        // (an S-type suffix never starts with the largest value: sumL[c + 1] is the end of every bucket used)
        for (int c = 0; c < buf.Length - 1; c++) buf[c] = sumL[c + 1];
        if (inTextOrder)
        {
            sa.Fill(-1);
            for (int i = n - 1; i > 0; i--)
                if (IsLms(ls, i)) sa[--buf[int.CreateTruncating(s[i])]] = i;
        }
        else
        {
            sa[m..].Fill(-1);
            // from the last, sorted: each goes to an index at or past its own, which is already free
            for (int i = m - 1; i >= 0; i--)
            {
                int d = sa[i];
                sa[i] = -1;
                sa[--buf[int.CreateTruncating(s[d])]] = d;
            }
        }
        Array.Copy(sumL, buf, sumL.Length);
        sa[buf[int.CreateTruncating(s[n - 1])]++] = n - 1;
        for (int i = 0; i < n; i++)
        {
            int v = sa[i];
            if (v >= 1 && !ls[v - 1]) sa[buf[int.CreateTruncating(s[v - 1])]++] = v - 1;
        }
        Array.Copy(sumL, buf, sumL.Length);
        for (int i = n - 1; i >= 0; i--)
        {
            int v = sa[i];
            if (v >= 1 && ls[v - 1]) sa[--buf[int.CreateTruncating(s[v - 1]) + 1]] = v - 1;
        }
    }

    private static void Sorted<T>(ReadOnlySpan<T> s, Span<int> sa) where T : unmanaged, IBinaryInteger<T>
    {
        var copy = s.ToArray();
        var order = Enumerable.Range(0, s.Length).ToArray();
        Array.Sort(order, (a, b) => a == b ? 0 : copy.AsSpan(a).SequenceCompareTo(copy.AsSpan(b)));
        order.CopyTo(sa);
    }
}
