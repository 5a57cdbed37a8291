using System.Text;

namespace Arbor.Repo.Config;

/// <summary>
/// GLib key-file (GKeyFile) parse and format, preserving comments, blank lines and order so that
/// rewriting a file changes only what was set (repo-format.md §3). Pure: no I/O here.
/// Linked as source into Arbor.Boot, so it depends on nothing but the BCL.
/// </summary>
public sealed class KeyFile
{
    private sealed class Line
    {
        public string? Key;       // null for comment / blank lines
        public string Value = ""; // raw (escaped) value, or the whole comment line
    }

    private sealed class Group
    {
        public string? Name;      // null for the comment block before the first group
        public readonly List<Line> Lines = new();
    }

    private readonly List<Group> _groups = new() { new Group() };

    public static KeyFile Parse(string text)
    {
        var kf = new KeyFile();
        var current = kf._groups[0];
        int lineNo = 0;
        foreach (var raw in SplitLines(text))
        {
            lineNo++;
            var line = raw.TrimStart(' ', '\t');
            if (line.Length == 0 || line[0] == '#')
            {
                current.Lines.Add(new Line { Value = raw });
                continue;
            }
            if (line[0] == '[')
            {
                int close = line.IndexOf(']');
                if (close < 0 || line[(close + 1)..].Trim().Length != 0)
                    throw new FormatException($"Key file contains line “{raw}” which is not a key-value pair, group, or comment");
                var name = line[1..close];
                if (name.Length == 0 || name.Contains('[') || name.Contains(']') || name.Any(char.IsControl))
                    throw new FormatException($"Invalid group name: {name}");
                current = kf.FindGroup(name) ?? kf.AddGroupRaw(name);
                continue;
            }
            int eq = line.IndexOf('=');
            if (eq <= 0)
                throw new FormatException($"Key file contains line “{raw}” which is not a key-value pair, group, or comment");
            if (current.Name is null)
                throw new FormatException("Key file does not start with a group");
            var key = line[..eq].TrimEnd(' ', '\t');
            var value = line[(eq + 1)..].TrimStart(' ', '\t');
            if (key.Length == 0) throw new FormatException($"Key file contains line “{raw}” which is not a key-value pair, group, or comment");
            var existing = current.Lines.FirstOrDefault(l => l.Key == key);
            if (existing is not null) existing.Value = value; // last one wins, as GLib
            else current.Lines.Add(new Line { Key = key, Value = value });
        }
        return kf;
    }

    private static IEnumerable<string> SplitLines(string text)
    {
        int start = 0;
        while (start < text.Length)
        {
            int nl = text.IndexOf('\n', start);
            if (nl < 0) { yield return text[start..].TrimEnd('\r'); yield break; }
            yield return text[start..nl].TrimEnd('\r');
            start = nl + 1;
        }
    }

    /// <summary>Serializes as g_key_file_to_data does.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var g in _groups)
        {
            if (g.Name is not null) sb.Append('[').Append(g.Name).Append("]\n");
            foreach (var l in g.Lines)
            {
                if (l.Key is null) sb.Append(l.Value).Append('\n');
                else sb.Append(l.Key).Append('=').Append(l.Value).Append('\n');
            }
        }
        return sb.ToString();
    }

    public IEnumerable<string> GroupNames => _groups.Where(g => g.Name is not null).Select(g => g.Name!);

    public bool HasGroup(string group) => FindGroup(group) is not null;

    public bool HasKey(string group, string key) => FindGroup(group)?.Lines.Any(l => l.Key == key) == true;

    public IEnumerable<string> Keys(string group) =>
        FindGroup(group)?.Lines.Where(l => l.Key is not null).Select(l => l.Key!) ?? [];

    /// <summary>The raw value (escapes not processed), or null.</summary>
    public string? GetValue(string group, string key) => FindGroup(group)?.Lines.FirstOrDefault(l => l.Key == key)?.Value;

    /// <summary>The value with \s \n \t \r \\ unescaped, or null.</summary>
    public string? GetString(string group, string key)
    {
        var raw = GetValue(group, key);
        return raw is null ? null : Unescape(raw);
    }

    public bool? GetBoolean(string group, string key)
    {
        var v = GetValue(group, key)?.Trim();
        return v switch
        {
            null => null,
            "true" or "1" => true,
            "false" or "0" => false,
            // GLib's g_key_file_get_boolean names no group (its integer getter does)
            _ => throw new FormatException($"Key file contains key “{key}” which has a value that cannot be interpreted."),
        };
    }

    public bool GetBoolean(string group, string key, bool defaultValue) => GetBoolean(group, key) ?? defaultValue;

    public long? GetInt64(string group, string key)
    {
        var v = GetValue(group, key)?.Trim();
        if (v is null) return null;
        return long.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"Key file contains key “{key}” in group “{group}” which has a value that cannot be interpreted.");
    }

    /// <summary>A ';'-separated list (trailing separator optional).</summary>
    public string[]? GetStringList(string group, string key)
    {
        var raw = GetValue(group, key);
        if (raw is null) return null;
        var items = new List<string>();
        var cur = new StringBuilder();
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c == '\\' && i + 1 < raw.Length && raw[i + 1] == ';') { cur.Append(';'); i++; continue; }
            if (c == ';') { items.Add(Unescape(cur.ToString())); cur.Clear(); continue; }
            cur.Append(c);
        }
        if (cur.Length > 0) items.Add(Unescape(cur.ToString()));
        return items.ToArray();
    }

    public void SetValue(string group, string key, string rawValue)
    {
        var g = FindGroup(group) ?? AddGroup(group);
        var existing = g.Lines.FirstOrDefault(l => l.Key == key);
        if (existing is not null) { existing.Value = rawValue; return; }
        // insert after the last key-value pair, before trailing comments and blank lines
        int insertAt = g.Lines.FindLastIndex(l => l.Key is not null) + 1;
        g.Lines.Insert(insertAt, new Line { Key = key, Value = rawValue });
    }

    public void SetString(string group, string key, string value) => SetValue(group, key, Escape(value));
    public void SetBoolean(string group, string key, bool value) => SetValue(group, key, value ? "true" : "false");
    public void SetInt64(string group, string key, long value) => SetValue(group, key, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public void SetStringList(string group, string key, IEnumerable<string> values) =>
        SetValue(group, key, string.Concat(values.Select(v => Escape(v).Replace(";", "\\;") + ";")));

    public bool RemoveKey(string group, string key)
    {
        var g = FindGroup(group);
        return g is not null && g.Lines.RemoveAll(l => l.Key == key) > 0;
    }

    public bool RemoveGroup(string group)
    {
        int i = _groups.FindIndex(g => g.Name == group);
        if (i < 0) return false;
        _groups.RemoveAt(i);
        return true;
    }

    private Group? FindGroup(string name) => _groups.Find(g => g.Name == name);

    private Group AddGroupRaw(string name)
    {
        var g = new Group { Name = name };
        _groups.Add(g);
        return g;
    }

    /// <summary>Adds a group as g_key_file does: separated from the previous group by one blank line.</summary>
    private Group AddGroup(string name)
    {
        var prev = _groups[^1];
        if (prev.Name is not null || prev.Lines.Count > 0)
        {
            if (prev.Lines.Count == 0 || prev.Lines[^1].Key is not null || prev.Lines[^1].Value.Length != 0)
                prev.Lines.Add(new Line { Value = "" });
        }
        return AddGroupRaw(name);
    }

    public static string Unescape(string raw)
    {
        if (raw.IndexOf('\\') < 0) return raw;
        var sb = new StringBuilder(raw.Length);
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c != '\\' || i + 1 >= raw.Length) { sb.Append(c); continue; }
            char n = raw[++i];
            sb.Append(n switch { 's' => ' ', 'n' => '\n', 't' => '\t', 'r' => '\r', '\\' => '\\', _ => n });
            if (n is not ('s' or 'n' or 't' or 'r' or '\\')) sb.Insert(sb.Length - 1, '\\');
        }
        return sb.ToString();
    }

    /// <summary>g_key_file_set_string's escaping: leading space as \s, and \n \t \r \\.</summary>
    public static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case ' ' when i == 0: sb.Append("\\s"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                case '\\': sb.Append("\\\\"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}
