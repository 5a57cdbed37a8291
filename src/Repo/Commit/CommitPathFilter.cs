using System.Collections.Concurrent;
using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Commit;

/// <summary>
/// The per-path part of <c>ostree commit</c>'s filter (ot-builtin-commit.c <c>commit_filter</c>),
/// called with the entry's path from the committed root ("/" for the root, "/usr/bin/sh"):
/// <c>--mode-ro-executables</c> clears the write bits of executable regular files;
/// <c>--statoverride</c> lines "MODE PATH" OR MODE into the mode (once: the line is consumed) and
/// "=MODE PATH" replace the permission bits (every time); <c>--skip-list</c> paths are left out
/// (once). MODE is read as C's strtod reads it (so "0755" is decimal 755). Lines that never
/// matched are reported by <see cref="ThrowIfUnmatched"/>. Thread-safe.
/// </summary>
public sealed class CommitPathFilter
{
    private readonly ConcurrentDictionary<string, uint> _modeAdds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, uint> _modeOverrides = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _skip = new(StringComparer.Ordinal);

    public bool ReadOnlyExecutables { get; init; }

    /// <summary>Builds the filter from the command's options (files read as ostree's ot_parse_file_by_line reads them).</summary>
    public static CommitPathFilter Create(bool readOnlyExecutables, string? statOverrideFile, string? skipListFile)
    {
        var filter = new CommitPathFilter { ReadOnlyExecutables = readOnlyExecutables };
        if (statOverrideFile is not null)
            foreach (var line in ReadLines(statOverrideFile)) filter.AddStatOverride(line);
        if (skipListFile is not null)
            foreach (var line in ReadLines(skipListFile)) filter._skip.TryAdd(line, 0);
        return filter;
    }

    private void AddStatOverride(string line)
    {
        int space = line.IndexOf(' ');
        if (space < 0) throw new RepoException("Malformed statoverride file (no space found)");
        var path = line[(space + 1)..];
        if (line[0] == '=') _modeOverrides[path] = StrtodMode(line.AsSpan(1));
        else _modeAdds[path] = StrtodMode(line);
    }

    /// <summary>
    /// Applies the filter to one entry's full mode; false when the entry is skipped. ostree calls
    /// it twice for a subdirectory (when listing its parent, then for its dirmeta): only the
    /// second call's mode is kept, so a "MODE PATH" line is consumed by the first and never
    /// changes a subdirectory; callers repeat that.
    /// </summary>
    public bool Apply(string path, ref uint mode)
    {
        if (ReadOnlyExecutables && (mode & ObjectFormats.S_IFMT) == ObjectFormats.S_IFREG && (mode & 0x49) != 0) // S_IX{USR,GRP,OTH}
            mode &= ~0x92u; // S_IW{USR,GRP,OTH}
        if (_modeAdds.TryRemove(path, out var add)) mode |= add;
        else if (_modeOverrides.TryGetValue(path, out var over)) mode = (mode & ObjectFormats.S_IFMT) | over;
        return !_skip.TryRemove(path, out _);
    }

    /// <summary>ostree's check after the trees are imported: every "MODE PATH" line and skip-list path must have matched.</summary>
    public void ThrowIfUnmatched(TextWriter stderr)
    {
        if (!_modeAdds.IsEmpty)
        {
            foreach (var path in _modeAdds.Keys) stderr.WriteLine($"Unmatched statoverride path: {path}");
            throw new RepoException("Unmatched statoverride paths");
        }
        if (!_skip.IsEmpty)
        {
            foreach (var path in _skip.Keys) stderr.WriteLine($"Unmatched skip-list path: {path}");
            throw new RepoException("Unmatched skip-list paths");
        }
    }

    /// <summary>The child's path from its parent's ("/" is the root).</summary>
    public static string Join(string parent, string name) => parent.Length == 1 ? "/" + name : parent + "/" + name;

    /// <summary>ot_parse_file_by_line: the UTF-8 file split on '\n', empty lines dropped.</summary>
    private static IEnumerable<string> ReadLines(string file)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(file); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RepoException($"openat({file}): No such file or directory");
        }
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); }
        catch (DecoderFallbackException) { throw new RepoException($"Invalid UTF-8 in {file}"); }
        return text.Split('\n').Where(l => l.Length > 0);
    }

    /// <summary><c>(guint32)(gint32)g_ascii_strtod (s, NULL)</c>: leading spaces, a sign, decimal (or 0x hex) digits; no number is 0.</summary>
    internal static uint StrtodMode(ReadOnlySpan<char> s)
    {
        int i = 0;
        while (i < s.Length && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) i++;
        bool negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
        double value = 0;
        if (i + 1 < s.Length && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') && i + 2 < s.Length && char.IsAsciiHexDigit(s[i + 2]))
        {
            for (i += 2; i < s.Length && char.IsAsciiHexDigit(s[i]); i++) value = value * 16 + Convert.ToInt32(s[i].ToString(), 16);
        }
        else
        {
            int start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i < s.Length && (s[i] == 'e' || s[i] == 'E')) i++;
            if (i < s.Length && (s[i] == '+' || s[i] == '-')) i++;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            for (int end = i; end > start; end--)
                if (double.TryParse(s[start..end], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value)) break;
        }
        if (negative) value = -value;
        return unchecked((uint)(int)Math.Clamp(Math.Truncate(value), int.MinValue, int.MaxValue));
    }
}
