namespace Arbor.Boot;

/// <summary>
/// The kernel command line split the way the kernel splits it (lib/cmdline.c next_arg): whitespace
/// separates arguments, double quotes group spaces, and quotes around a value (<c>k="v w"</c>) or a whole
/// argument (<c>"k=v w"</c>) are removed. <c>ostree=</c> is looked up by exact key: the first one wins
/// (as ostree 2022.7), <c>xostree=</c> or <c>ostree.foo=</c> never match.
/// </summary>
internal static class KernelCommandLine
{
    public const string OstreeKey = "ostree";
    public const string DefaultPath = "/proc/cmdline";

    /// <summary>One argument: key, and value (null when the argument has no '=').</summary>
    public readonly record struct Argument(string Key, string? Value);

    public static List<Argument> Split(string cmdline)
    {
        var result = new List<Argument>();
        int pos = SkipSpaces(cmdline, 0);
        while (pos < cmdline.Length)
        {
            int start = pos;
            bool inQuote = false, quoted = false;
            if (cmdline[pos] == '"')
            {
                start = ++pos;
                inQuote = quoted = true;
            }
            int equals = -1, i = start;
            for (; i < cmdline.Length; i++)
            {
                char c = cmdline[i];
                if (IsSpace(c) && !inQuote) break;
                // the kernel keeps "equals == 0" for "=x" (no key): such an argument has no value
                if (equals < 0 && c == '=' && i > start) equals = i;
                if (c == '"') inQuote = !inQuote;
            }
            int end = i; // exclusive
            string key;
            string? value = null;
            if (equals < 0)
            {
                key = cmdline[start..end];
                if (quoted && key.EndsWith('"')) key = key[..^1];
            }
            else
            {
                key = cmdline[start..equals];
                int vs = equals + 1, ve = end;
                if (vs < ve && cmdline[vs] == '"')
                {
                    vs++;
                    if (ve > vs && cmdline[ve - 1] == '"') ve--;
                }
                else if (quoted && ve > vs && cmdline[ve - 1] == '"')
                {
                    ve--;
                }
                value = cmdline[vs..Math.Max(vs, ve)];
            }
            result.Add(new Argument(key, value));
            pos = SkipSpaces(cmdline, end < cmdline.Length ? end + 1 : end);
        }
        return result;
    }

    /// <summary>The value of the first <c>key=</c> argument, or null.</summary>
    public static string? Find(string cmdline, string key)
    {
        foreach (var arg in Split(cmdline))
            if (arg.Value is not null && string.Equals(arg.Key, key, StringComparison.Ordinal))
                return arg.Value;
        return null;
    }

    /// <summary>The <c>ostree=</c> target, or a one-line error as ostree-prepare-root words it.</summary>
    public static string GetOstreeTarget(string cmdline)
    {
        var value = Find(cmdline, OstreeKey);
        if (string.IsNullOrEmpty(value))
            throw new BootException("No OSTree target; expected ostree=/ostree/boot.N/...");
        return value;
    }

    /// <summary>Reads the command line from a file (normally /proc/cmdline).</summary>
    public static string Read(string path = DefaultPath)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BootException($"reading {path}: {e.Message}");
        }
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f';

    private static int SkipSpaces(string s, int i)
    {
        while (i < s.Length && IsSpace(s[i])) i++;
        return i;
    }
}
