using System.Globalization;
using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Store;

namespace Arbor.Repo.Remotes;

/// <summary>One line of a Netscape cookie jar.</summary>
public sealed record RemoteCookie(string Domain, string TailMatch, string Path, string Secure, ulong Expires, string Name, string Value)
{
    /// <summary>
    /// Whether a request to <paramref name="url"/> at <paramref name="now"/> carries this cookie, as
    /// libcurl (ostree's fetcher) decides from a jar line: a TRUE flag matches the domain and its
    /// subdomains, FALSE the host alone; the path is a prefix ending at a <c>/</c>; a TRUE secure
    /// flag wants https; an expiry of 0 is a session cookie, anything else must lie ahead.
    /// </summary>
    public bool Matches(Uri url, DateTimeOffset now)
    {
        var host = url.IdnHost;
        var domain = Domain.TrimStart('.');
        bool domainOk = TailMatch == "TRUE"
            ? host.Equals(domain, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase)
            : host.Equals(domain, StringComparison.OrdinalIgnoreCase);
        if (!domainOk) return false;
        var path = url.AbsolutePath;
        bool pathOk = path == Path
            || (path.StartsWith(Path, StringComparison.Ordinal) && (Path.EndsWith('/') || path[Path.Length] == '/'));
        if (!pathOk) return false;
        if (Secure == "TRUE" && url.Scheme != Uri.UriSchemeHttps) return false;
        return Expires == 0 || Expires > (ulong)now.ToUnixTimeSeconds();
    }
}

/// <summary>
/// A remote's cookies: <c>REMOTE.cookies.txt</c> in the repository, a Netscape cookie jar (ostree
/// 2022.7's <c>remote add-cookie|delete-cookie|list-cookies</c>, sent by its fetcher on every request
/// to that remote). A line is seven whitespace-separated fields, DOMAIN TAILMATCH PATH SECURE
/// EXPIRES NAME VALUE, read as ostree reads them (<c>sscanf "%ms\t%ms\t%ms\t%ms\t%llu\t%ms\t%ms"</c>);
/// any other line (a comment) is kept but is no cookie.
/// </summary>
public sealed class CookieJar
{
    /// <summary>ostree gives an added cookie 25 years.</summary>
    private const int LifetimeYears = 25;

    private readonly string _path;

    private CookieJar(string path) => _path = path;

    public static string FileName(string remote) => $"{remote}.cookies.txt";

    public static CookieJar For(Repository repo, string remote) => new(repo.FullPath(FileName(remote)));

    /// <summary>The cookies in file order (none when there is no jar).</summary>
    public IReadOnlyList<RemoteCookie> Cookies() => [.. Lines().Select(Parse).OfType<RemoteCookie>()];

    /// <summary>Appends a cookie for DOMAIN (and its subdomains when it starts with a dot) and PATH.</summary>
    public void Add(string domain, string path, string name, string value, DateTimeOffset now)
    {
        var expires = now.UtcDateTime.AddYears(LifetimeYears);
        var line = $"{domain}\t{(domain.StartsWith('.') ? "TRUE" : "FALSE")}\t{path}\tFALSE\t{new DateTimeOffset(expires).ToUnixTimeSeconds()}\t{name}\t{value}\n";
        // ostree appends (O_APPEND, created 0644); the jar is rewritten here so a crash leaves the old one
        var existing = Files.TryStat(_path);
        AtomicFile.WriteAllText(_path, (existing is null ? "" : File.ReadAllText(_path)) + line, existing is { } st ? st.Mode & 0xFFF : 0x1A4 /* 0644 */);
    }

    /// <summary>
    /// Removes every cookie with that DOMAIN, PATH and NAME; the jar is rewritten (without its
    /// comment and malformed lines, mode 0600) either way, then a missing cookie is an error, as in ostree.
    /// </summary>
    public void Delete(string domain, string path, string name)
    {
        var kept = new StringBuilder();
        bool found = false;
        foreach (var line in Lines())
        {
            if (Parse(line) is not { } cookie) continue;
            if (cookie.Domain == domain && cookie.Path == path && cookie.Name == name) { found = true; continue; }
            kept.Append(line).Append('\n');
        }
        AtomicFile.WriteAllText(_path, kept.ToString(), 0x180 /* 0600 */);
        if (!found) throw new RepoException("Cookie not found in jar");
    }

    /// <summary>The <c>Cookie:</c> header value for a request, longest paths first as libcurl orders them; null when none match.</summary>
    public static string? HeaderFor(IReadOnlyList<RemoteCookie> cookies, Uri url, DateTimeOffset now)
    {
        if (cookies.Count == 0) return null;
        var matching = cookies.Where(c => c.Matches(url, now)).OrderByDescending(c => c.Path.Length).ToList();
        return matching.Count == 0 ? null : string.Join("; ", matching.Select(c => $"{c.Name}={c.Value}"));
    }

    private IEnumerable<string> Lines()
    {
        if (!File.Exists(_path)) return [];
        var text = File.ReadAllText(_path);
        return text.Split('\n');
    }

    /// <summary>A jar line as <c>sscanf</c> reads it: seven fields split at any whitespace, the fifth unsigned.</summary>
    internal static RemoteCookie? Parse(string line)
    {
        var fields = line.Split([' ', '\t', '\r', '\v', '\f'], 8, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 7) return null;
        if (!ulong.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)) return null;
        return new RemoteCookie(fields[0], fields[1], fields[2], fields[3], expires, fields[5], fields[6]);
    }
}
