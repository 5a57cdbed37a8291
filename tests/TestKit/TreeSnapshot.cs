using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Arbor.TestKit;

/// <summary>What <see cref="TreeSnapshot"/> comparisons look at.</summary>
[Flags]
public enum TreeAspects
{
    None = 0,
    /// <summary>f (regular), d, l (symlink), c (character device) ...</summary>
    Type = 1,
    /// <summary>Permission bits including setuid, setgid and sticky.</summary>
    Mode = 2,
    /// <summary>uid and gid.</summary>
    Owner = 4,
    /// <summary>Size of regular files and symlinks (directory sizes depend on the filesystem).</summary>
    Size = 8,
    /// <summary>SHA-256 of regular files' content.</summary>
    Content = 16,
    /// <summary>Symlink targets.</summary>
    Target = 32,
    /// <summary>Extended attributes (names and values).</summary>
    Xattrs = 64,
    /// <summary>Whether the modification time is 0 (ostree's constant checkout mtime).</summary>
    ZeroMtime = 128,
    /// <summary>Device numbers of character devices (whiteouts are 0:0).</summary>
    Rdev = 256,
    /// <summary>Everything two equal checkouts share.</summary>
    Default = Type | Mode | Owner | Size | Content | Target | Xattrs | Rdev,
}

/// <summary>One path of a captured tree.</summary>
public sealed record TreeEntry(
    string Path, char Type, int Mode, uint Uid, uint Gid, long Size, string? Target, string? ContentSha256,
    IReadOnlyDictionary<string, string> Xattrs, ulong Device, ulong Inode, long LinkCount, double Mtime, string? Rdev)
{
    public bool IsDirectory => Type == 'd';
    public bool IsRegular => Type == 'f';
    public bool IsSymlink => Type == 'l';

    /// <summary>One line with the chosen aspects, e.g. <c>./a.txt f 0644 0:0 3 sha=… xattrs={user.foo=626172}</c>.</summary>
    public string Describe(TreeAspects aspects)
    {
        var sb = new StringBuilder(Path);
        if (aspects.HasFlag(TreeAspects.Type)) sb.Append(' ').Append(Type);
        if (aspects.HasFlag(TreeAspects.Mode)) sb.Append(' ').Append(Convert.ToString(Mode, 8).PadLeft(4, '0'));
        if (aspects.HasFlag(TreeAspects.Owner)) sb.Append(' ').Append(Uid).Append(':').Append(Gid);
        if (aspects.HasFlag(TreeAspects.Size) && !IsDirectory) sb.Append(" size=").Append(Size);
        if (aspects.HasFlag(TreeAspects.Content) && ContentSha256 is not null) sb.Append(" sha=").Append(ContentSha256[..16]);
        if (aspects.HasFlag(TreeAspects.Target) && Target is not null) sb.Append(" -> ").Append(Target);
        if (aspects.HasFlag(TreeAspects.Xattrs) && Xattrs.Count > 0)
            sb.Append(" xattrs={").Append(string.Join(',', Xattrs.Select(x => $"{x.Key}={x.Value}"))).Append('}');
        if (aspects.HasFlag(TreeAspects.ZeroMtime)) sb.Append(Mtime == 0 ? " mtime=0" : " mtime>0");
        if (aspects.HasFlag(TreeAspects.Rdev) && Rdev is not null) sb.Append(" rdev=").Append(Rdev);
        return sb.ToString();
    }
}

/// <summary>
/// A listing of a directory tree with, per path, type, mode, owner, size, content hash, symlink
/// target, xattrs, inode and mtime: what checkouts are compared on. Uses <c>find</c> and
/// <c>getfattr</c> (package attr) so tests need no native code.
/// </summary>
public sealed class TreeSnapshot
{
    public string Root { get; }
    public IReadOnlyDictionary<string, TreeEntry> Entries { get; }

    private TreeSnapshot(string root, IReadOnlyDictionary<string, TreeEntry> entries)
    {
        Root = root;
        Entries = entries;
    }

    public TreeEntry this[string path] => Entries.TryGetValue(path, out var e)
        ? e
        : throw new KeyNotFoundException($"{path} is not in the snapshot of {Root}");

    public static TreeSnapshot Capture(string root)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException(root);
        var xattrs = ReadXattrs(root);
        // NUL-separated fields: path, type, mode, uid, gid, size, target, device, inode, links, mtime
        var find = ProcessRunner.Run("find", [root, "-printf", @"%P\0%y\0%m\0%U\0%G\0%s\0%l\0%D\0%i\0%n\0%T@\0"]);
        if (find.ExitCode != 0) throw new InvalidOperationException($"find failed: {find.Stderr}");
        var fields = find.Stdout.Split('\0');
        var entries = new SortedDictionary<string, TreeEntry>(StringComparer.Ordinal);
        for (int i = 0; i + 10 < fields.Length; i += 11)
        {
            var rel = fields[i].Length == 0 ? "." : "./" + fields[i];
            char type = fields[i + 1][0];
            string full = fields[i].Length == 0 ? root : Path.Combine(root, fields[i]);
            entries[rel] = new TreeEntry(
                rel, type, Convert.ToInt32(fields[i + 2], 8),
                uint.Parse(fields[i + 3], CultureInfo.InvariantCulture), uint.Parse(fields[i + 4], CultureInfo.InvariantCulture),
                long.Parse(fields[i + 5], CultureInfo.InvariantCulture),
                type == 'l' ? fields[i + 6] : null,
                type == 'f' ? Sha256(full) : null,
                xattrs.TryGetValue(full, out var x) ? x : new SortedDictionary<string, string>(StringComparer.Ordinal),
                ulong.Parse(fields[i + 7], CultureInfo.InvariantCulture), ulong.Parse(fields[i + 8], CultureInfo.InvariantCulture),
                long.Parse(fields[i + 9], CultureInfo.InvariantCulture),
                double.Parse(fields[i + 10], CultureInfo.InvariantCulture),
                type is 'c' or 'b' ? DeviceNumbers(full) : null);
        }
        return new TreeSnapshot(root, entries);
    }

    /// <summary>The listing, one <see cref="TreeEntry.Describe"/> line per path.</summary>
    public string Format(TreeAspects aspects = TreeAspects.Default, Func<string, bool>? ignoreXattr = null) =>
        string.Join('\n', Entries.Values.Select(e => Filter(e, ignoreXattr).Describe(aspects)));

    /// <summary>Lines that differ (missing, extra or changed paths), as "- expected" / "+ actual".</summary>
    public IReadOnlyList<string> Differences(TreeSnapshot actual, TreeAspects aspects = TreeAspects.Default, Func<string, bool>? ignoreXattr = null)
    {
        var diffs = new List<string>();
        foreach (var path in Entries.Keys.Union(actual.Entries.Keys).Order(StringComparer.Ordinal))
        {
            var a = Entries.TryGetValue(path, out var x) ? Filter(x, ignoreXattr).Describe(aspects) : null;
            var b = actual.Entries.TryGetValue(path, out var y) ? Filter(y, ignoreXattr).Describe(aspects) : null;
            if (a == b) continue;
            if (a is not null) diffs.Add("- " + a);
            if (b is not null) diffs.Add("+ " + b);
        }
        return diffs;
    }

    /// <summary>Fails with a readable diff unless both trees agree on <paramref name="aspects"/>.</summary>
    public static void AssertEqual(TreeSnapshot expected, TreeSnapshot actual, TreeAspects aspects = TreeAspects.Default, Func<string, bool>? ignoreXattr = null)
    {
        var diffs = expected.Differences(actual, aspects, ignoreXattr);
        if (diffs.Count > 0)
            throw new Xunit.Sdk.XunitException(
                $"trees differ ({expected.Root} vs {actual.Root}):\n{string.Join('\n', diffs.Take(60))}");
    }

    private static TreeEntry Filter(TreeEntry e, Func<string, bool>? ignoreXattr) =>
        ignoreXattr is null || e.Xattrs.Count == 0
            ? e
            : e with { Xattrs = e.Xattrs.Where(kv => !ignoreXattr(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value) };

    private static string Sha256(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    private static string DeviceNumbers(string path)
    {
        var r = ProcessRunner.Run("stat", ["-c", "%t:%T", path]);
        return r.Stdout.Trim();
    }

    /// <summary><c>getfattr -R -h -d -m - -e hex</c>: every xattr of every path (all namespaces).</summary>
    private static Dictionary<string, SortedDictionary<string, string>> ReadXattrs(string root)
    {
        var r = ProcessRunner.Run("getfattr", ["-R", "-h", "-d", "-m", "-", "-e", "hex", "--absolute-names", root]);
        if (r.ExitCode != 0 && r.Stdout.Length == 0 && r.Stderr.Length > 0 && !r.Stderr.Contains("Operation not supported"))
            throw new InvalidOperationException($"getfattr failed: {r.Stderr}");
        var result = new Dictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        SortedDictionary<string, string>? current = null;
        foreach (var line in r.Stdout.Split('\n'))
        {
            if (line.StartsWith("# file: ", StringComparison.Ordinal))
            {
                current = new SortedDictionary<string, string>(StringComparer.Ordinal);
                result[Unescape(line["# file: ".Length..]).TrimEnd('/')] = current;
            }
            else if (current is not null && line.Length > 0)
            {
                int eq = line.IndexOf('=');
                var name = eq < 0 ? line : line[..eq];
                var value = eq < 0 ? "" : line[(eq + 1)..];
                current[Unescape(name)] = value.StartsWith("0x", StringComparison.Ordinal) ? value[2..] : value;
            }
        }
        return result;
    }

    /// <summary>getfattr writes unprintable bytes (and backslash) as \ooo octal escapes.</summary>
    private static string Unescape(string s)
    {
        if (!s.Contains('\\')) return s;
        var bytes = new List<byte>();
        var raw = Encoding.UTF8.GetBytes(s);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 3 < raw.Length + 0 && IsOctal(raw[i + 1]) && IsOctal(raw[i + 2]) && IsOctal(raw[i + 3]))
            {
                bytes.Add((byte)(((raw[i + 1] - '0') << 6) | ((raw[i + 2] - '0') << 3) | (raw[i + 3] - '0')));
                i += 3;
            }
            else bytes.Add(raw[i]);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsOctal(byte b) => b is >= (byte)'0' and <= (byte)'7';
}
