namespace Arbor.TestKit;

/// <summary>Locates the test vectors made by the real ostree 2022.7 (<c>fixtures/vectors</c>, a copy of
/// <c>../shared/vectors</c>, so that a lone clone has them) and reads checksums.txt.</summary>
public static class Vectors
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);
    private static readonly Lazy<Dictionary<string, string>> ValuesLazy = new(LoadValues);

    public static string Root => RootLazy.Value;

    public static string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>A value from checksums.txt by key.</summary>
    public static string Value(string key) => ValuesLazy.Value.TryGetValue(key, out var v)
        ? v
        : throw new KeyNotFoundException($"checksums.txt has no key '{key}'");

    public static IReadOnlyDictionary<string, string> Values => ValuesLazy.Value;

    private static string FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("ARBOR_VECTORS");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            foreach (var candidate in new[] { System.IO.Path.Combine(dir.FullName, "fixtures", "vectors"), System.IO.Path.Combine(dir.FullName, "shared", "vectors"), System.IO.Path.Combine(dir.FullName, "..", "shared", "vectors") })
                if (File.Exists(System.IO.Path.Combine(candidate, "checksums.txt"))) return System.IO.Path.GetFullPath(candidate);
            dir = dir.Parent;
        }
        throw new DirectoryNotFoundException("fixtures/vectors (or shared/vectors) not found above the test directory; set ARBOR_VECTORS");
    }

    private static Dictionary<string, string> LoadValues()
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(PathOf("checksums.txt")))
        {
            var t = line.Trim();
            if (t.Length == 0 || t.StartsWith('#')) continue;
            int sp = t.IndexOf(' ');
            if (sp < 0) continue;
            d[t[..sp]] = t[(sp + 1)..].Trim();
        }
        return d;
    }
}
