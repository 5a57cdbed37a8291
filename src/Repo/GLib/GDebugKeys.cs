namespace Arbor.Repo.GLib;

/// <summary>
/// GLib's <c>g_parse_debug_string</c> as ostree's environment switches use it (<c>OSTREE_REPO_TEST_ERROR</c>,
/// <c>OSTREE_SYSROOT_DEBUG</c>, <c>OSTREE_SYSROOT_OPTS</c>): keys separated by <c>:;, </c> or tabs, in any case;
/// <c>all</c> names every known key.
/// </summary>
public static class GDebugKeys
{
    /// <summary>The keys of <paramref name="known"/> that <paramref name="text"/> names.</summary>
    public static HashSet<string> Parse(string? text, params string[] known)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(text)) return set;
        foreach (var word in text.Split([':', ';', ',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Equals("all", StringComparison.OrdinalIgnoreCase)) { set.UnionWith(known); continue; }
            foreach (var k in known)
                if (word.Equals(k, StringComparison.OrdinalIgnoreCase)) set.Add(k);
        }
        return set;
    }

    /// <summary>Whether <paramref name="text"/> names <paramref name="key"/> (or <c>all</c>).</summary>
    public static bool Names(string? text, string key) => Parse(text, key).Count > 0;
}
