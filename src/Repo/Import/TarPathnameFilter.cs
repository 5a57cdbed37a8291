using System.Text;
using System.Text.RegularExpressions;
using Arbor.Repo.Core;

namespace Arbor.Repo.Import;

/// <summary>
/// <c>commit --tar-pathname-filter=REGEX,REPLACEMENT</c>: every tar entry's path (and a hardlink's
/// target) is rewritten before it is imported, as ostree 2022.7 does with <c>g_regex_replace</c>:
/// the path as the archive has it less its leading <c>/</c> and <c>./</c> (<c>etc/c</c>, <c>usr/</c>,
/// the root as the empty string), every match replaced. REGEX ends at the first comma.
/// REPLACEMENT uses GLib's syntax: <c>\0</c>…<c>\99</c> and <c>\g&lt;N|NAME&gt;</c> for groups,
/// <c>\n \t \r \f \v \\</c>. The statoverride and skip-list paths see the rewritten path.
/// </summary>
public sealed class TarPathnameFilter
{
    private const string Option = "--tar-pathname-filter";
    private readonly Regex _regex;
    private readonly List<Func<Match, string>> _parts;

    private TarPathnameFilter(Regex regex, List<Func<Match, string>> parts)
    {
        _regex = regex;
        _parts = parts;
    }

    public static TarPathnameFilter Parse(string spec)
    {
        int comma = spec.IndexOf(',');
        if (comma < 0) throw new RepoException($"Missing ',' in {Option}");
        var pattern = spec[..comma];
        Regex regex;
        try { regex = new Regex(pattern, RegexOptions.CultureInvariant); }
        catch (ArgumentException e) { throw new RepoException($"{Option}: Error while compiling regular expression \u2018{pattern}\u2019: {e.Message}"); }
        return new TarPathnameFilter(regex, ParseReplacement(spec[(comma + 1)..], regex));
    }

    /// <summary>The path ostree hands to the filter: without leading slashes and <c>./</c>.</summary>
    public string Apply(string archivePath)
    {
        var path = archivePath.AsSpan();
        while (true)
        {
            if (path.StartsWith("/")) path = path[1..];
            else if (path.StartsWith("./")) path = path[2..];
            else break;
        }
        return _regex.Replace(path.ToString(), m => string.Concat(_parts.Select(p => p(m))));
    }

    private static List<Func<Match, string>> ParseReplacement(string text, Regex regex)
    {
        var parts = new List<Func<Match, string>>();
        var literal = new StringBuilder();
        void Flush()
        {
            if (literal.Length == 0) return;
            var s = literal.ToString();
            parts.Add(_ => s);
            literal.Clear();
        }
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '\\') { literal.Append(c); continue; }
            if (++i >= text.Length) throw Bad(text, "stray final \u2018\\\u2019");
            c = text[i];
            switch (c)
            {
                case 'n': literal.Append('\n'); break;
                case 't': literal.Append('\t'); break;
                case 'r': literal.Append('\r'); break;
                case 'f': literal.Append('\f'); break;
                case 'v': literal.Append('\v'); break;
                case '\\': literal.Append('\\'); break;
                case >= '0' and <= '9':
                {
                    int n = c - '0';
                    if (i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])) n = n * 10 + (text[++i] - '0');
                    Flush();
                    parts.Add(m => m.Groups[n].Success ? m.Groups[n].Value : "");
                    break;
                }
                case 'g':
                {
                    int close = i + 1 < text.Length && text[i + 1] == '<' ? text.IndexOf('>', i + 2) : -1;
                    if (close < 0) throw Bad(text, "missing \u2018<\u2019 in symbolic reference");
                    var group = text[(i + 2)..close];
                    if (group.Length == 0) throw Bad(text, "empty symbolic reference");
                    i = close;
                    Flush();
                    if (int.TryParse(group, out int number)) parts.Add(m => m.Groups[number].Success ? m.Groups[number].Value : "");
                    else if (regex.GroupNumberFromName(group) < 0) throw Bad(text, $"unknown group name \u2018{group}\u2019");
                    else parts.Add(m => m.Groups[group].Success ? m.Groups[group].Value : "");
                    break;
                }
                default: throw Bad(text, "unknown escape sequence");
            }
        }
        Flush();
        return parts;
    }

    private static RepoException Bad(string replacement, string why) =>
        new($"{Option}: Error while parsing replacement text \u201c{replacement}\u201d: {why}");
}
