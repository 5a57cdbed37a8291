using System.Text;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// os-release as ostree reads it for entry titles: <c>KEY=VALUE</c> lines, '#' comments, values
/// shell-unquoted (g_shell_unquote); a line whose value does not unquote is skipped. Pure.
/// </summary>
public static class OsRelease
{
    public static Dictionary<string, string> Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#')) continue;
            int eq = line.IndexOf('=');
            if (eq < 0) continue;
            var value = ShellUnquote(line[(eq + 1)..]);
            if (value is null) continue;
            values[line[..eq]] = value;
        }
        return values;
    }

    /// <summary>g_shell_unquote: '…' verbatim, "…" with \" \\ \` \$ \newline escapes, bare \x → x; null when a quote is unterminated.</summary>
    public static string? ShellUnquote(string s)
    {
        var sb = new StringBuilder(s.Length);
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (c == '\'')
            {
                int end = s.IndexOf('\'', i + 1);
                if (end < 0) return null;
                sb.Append(s, i + 1, end - i - 1);
                i = end + 1;
            }
            else if (c == '"')
            {
                i++;
                bool closed = false;
                while (i < s.Length)
                {
                    char d = s[i];
                    if (d == '"') { closed = true; i++; break; }
                    if (d == '\\' && i + 1 < s.Length && s[i + 1] is '"' or '\\' or '`' or '$' or '\n')
                    {
                        sb.Append(s[i + 1]);
                        i += 2;
                        continue;
                    }
                    sb.Append(d);
                    i++;
                }
                if (!closed) return null;
            }
            else if (c == '\\')
            {
                // any character may be escaped outside quotes; an escaped newline (or a trailing backslash) disappears
                if (i + 1 < s.Length && s[i + 1] != '\n') sb.Append(s[i + 1]);
                i += 2;
            }
            else
            {
                sb.Append(c);
                i++;
            }
        }
        return sb.ToString();
    }
}
