namespace Arbor.Repo.Core;

/// <summary>
/// Whether the C library's character set for this process would be UTF-8 (the codeset of
/// <c>LC_ALL</c>, else <c>LC_CTYPE</c>, else <c>LANG</c>, when that locale exists), which decides
/// how GLib's <c>g_print</c> passes non-ASCII characters: as they are, or as "?".
/// </summary>
public static class LocaleCharset
{
    private const string LocaleDir = "/usr/lib/locale";

    public static bool IsUtf8 { get; } = Detect(Environment.GetEnvironmentVariable, Directory.Exists, File.Exists);

    /// <summary>The decision for the given environment and file-system probes (pure when they are).</summary>
    public static bool Detect(Func<string, string?> env, Func<string, bool> dirExists, Func<string, bool> fileExists)
    {
        var name = new[] { "LC_ALL", "LC_CTYPE", "LANG" }.Select(env).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        if (name is null) return false;
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0) return false;
        var codeset = name[(dot + 1)..];
        int at = codeset.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0) codeset = codeset[..at];
        if (!codeset.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) && !codeset.Equals("utf8", StringComparison.OrdinalIgnoreCase)) return false;
        var language = name[..dot];
        // glibc builds C.UTF-8 in; any other locale must be installed
        return language is "C" or "POSIX"
            || dirExists($"{LocaleDir}/{language}.utf8") || dirExists($"{LocaleDir}/{name}")
            || fileExists($"{LocaleDir}/locale-archive");
    }
}
