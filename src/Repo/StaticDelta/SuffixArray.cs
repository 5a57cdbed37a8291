namespace Arbor.Repo.StaticDelta;

/// <summary>
/// Suffix arrays by induced sorting (SA-IS: Nong, Zhang and Chan, "Two Efficient Algorithms for
/// Linear Time Suffix Array Construction", 2011), in linear time whatever the input: a binary
/// with long runs of equal bytes costs no more than text (prefix doubling needs a round per
/// doubling of the longest repeat, each a full sort).
/// </summary>
internal static class SuffixArray
{
    /// <summary>Below this length a plain comparison sort is quicker.</summary>
    private const int Naive = 16;

    /// <summary>The suffix array of <paramref name="data"/> with the empty suffix first (length + 1 entries), as bsdiff searches it.</summary>
    public static int[] WithEmptySuffix(ReadOnlySpan<byte> data)
    {
        var s = new int[data.Length];
        for (int i = 0; i < s.Length; i++) s[i] = data[i];
        var sa = Build(s, 255);
        var result = new int[data.Length + 1];
        result[0] = data.Length;
        sa.CopyTo(result, 1);
        return result;
    }

    /// <summary>The suffix array of <paramref name="s"/>, whose values are in [0, <paramref name="upper"/>].</summary>
    private static int[] Build(int[] s, int upper)
    {
        int n = s.Length;
        if (n < Naive) return Sorted(s);

        var sa = new int[n];
        // ls[i]: suffix i is S-type (smaller than suffix i + 1); the last suffix is L-type
        var ls = new bool[n];
        for (int i = n - 2; i >= 0; i--) ls[i] = s[i] == s[i + 1] ? ls[i + 1] : s[i] < s[i + 1];
        // bucket starts: sumL[c] for the L-type suffixes starting with c, sumS[c] for the S-type ones
        var sumL = new int[upper + 2];
        var sumS = new int[upper + 2];
        for (int i = 0; i < n; i++)
        {
            if (!ls[i]) sumS[s[i]]++;
            else sumL[s[i] + 1]++;
        }
        for (int i = 0; i <= upper; i++)
        {
            sumS[i] += sumL[i];
            if (i < upper) sumL[i + 1] += sumS[i];
        }

        var lmsMap = new int[n + 1];
        Array.Fill(lmsMap, -1);
        int m = 0;
        for (int i = 1; i < n; i++)
            if (!ls[i - 1] && ls[i]) lmsMap[i] = m++;
        var lms = new int[m];
        for (int i = 1, j = 0; i < n; i++)
            if (!ls[i - 1] && ls[i]) lms[j++] = i;

        Induce(s, sa, ls, sumL, sumS, lms);
        if (m == 0) return sa;

        // name the LMS substrings in sorted order, then sort the LMS suffixes by sorting the names
        var sortedLms = new int[m];
        for (int i = 0, j = 0; i < n; i++)
            if (lmsMap[sa[i]] != -1) sortedLms[j++] = sa[i];
        var names = new int[m];
        int name = 0;
        names[lmsMap[sortedLms[0]]] = 0;
        for (int i = 1; i < m; i++)
        {
            int l = sortedLms[i - 1], r = sortedLms[i];
            int endL = lmsMap[l] + 1 < m ? lms[lmsMap[l] + 1] : n;
            int endR = lmsMap[r] + 1 < m ? lms[lmsMap[r] + 1] : n;
            bool same = true;
            if (endL - l != endR - r) same = false;
            else
            {
                while (l < endL && s[l] == s[r])
                {
                    l++;
                    r++;
                }
                // (the last LMS substring runs to the end, past which nothing equals it)
                if (l == n || r == n || s[l] != s[r]) same = false;
            }
            if (!same) name++;
            names[lmsMap[sortedLms[i]]] = name;
        }
        var order = Build(names, name);
        for (int i = 0; i < m; i++) sortedLms[i] = lms[order[i]];
        Induce(s, sa, ls, sumL, sumS, sortedLms);
        return sa;
    }

    /// <summary>Places the LMS suffixes in their buckets in the given order, then induces the L-type and S-type suffixes from them.</summary>
    private static void Induce(int[] s, int[] sa, bool[] ls, int[] sumL, int[] sumS, int[] lms)
    {
        int n = s.Length;
        Array.Fill(sa, -1);
        var buf = (int[])sumS.Clone();
        foreach (var d in lms)
            if (d != n) sa[buf[s[d]]++] = d;
        Array.Copy(sumL, buf, sumL.Length);
        sa[buf[s[n - 1]]++] = n - 1;
        for (int i = 0; i < n; i++)
        {
            int v = sa[i];
            if (v >= 1 && !ls[v - 1]) sa[buf[s[v - 1]]++] = v - 1;
        }
        Array.Copy(sumL, buf, sumL.Length);
        for (int i = n - 1; i >= 0; i--)
        {
            int v = sa[i];
            if (v >= 1 && ls[v - 1]) sa[--buf[s[v - 1] + 1]] = v - 1;
        }
    }

    private static int[] Sorted(int[] s)
    {
        var sa = Enumerable.Range(0, s.Length).ToArray();
        Array.Sort(sa, (a, b) => a == b ? 0 : s.AsSpan(a).SequenceCompareTo(s.AsSpan(b)));
        return sa;
    }
}
