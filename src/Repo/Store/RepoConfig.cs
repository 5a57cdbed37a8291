using Arbor.Repo.Config;
using Arbor.Repo.Core;
using Arbor.Repo.Native;

namespace Arbor.Repo.Store;

/// <summary>Typed view of a repository's <c>config</c> key file (repo-format.md §3).</summary>
public sealed class RepoConfig
{
    public const string CoreGroup = "core";

    public KeyFile KeyFile { get; }
    public string Path { get; }

    private RepoConfig(string path, KeyFile keyFile)
    {
        Path = path;
        KeyFile = keyFile;
    }

    public static RepoConfig Load(string path)
    {
        string text;
        try { text = Utf8File.ReadAllText(path); }
        catch (UnauthorizedAccessException e) { throw new RepoException($"openat({System.IO.Path.GetFileName(path)}): {IoErrors.Describe(e)}"); }
        catch (FileNotFoundException) { throw new RepoException($"Couldn't find config file '{path}'"); }
        catch (DirectoryNotFoundException) { throw new RepoException($"Couldn't find config file '{path}'"); }
        try
        {
            return new RepoConfig(path, KeyFile.Parse(text));
        }
        catch (FormatException e)
        {
            throw new RepoException($"Couldn't parse config file: {e.Message}");
        }
    }

    public static RepoConfig CreateNew(string path, RepoMode mode, string? collectionId)
    {
        var kf = new KeyFile();
        kf.SetValue(CoreGroup, "repo_version", "1");
        kf.SetValue(CoreGroup, "mode", mode.ToConfigString());
        if (collectionId is not null) kf.SetString(CoreGroup, "collection-id", collectionId);
        return new RepoConfig(path, kf);
    }

    public RepoMode Mode
    {
        get
        {
            if (KeyFile.GetBoolean(CoreGroup, "archive") == true)
                throw new RepoException("This version of OSTree no longer supports \"archive\" repositories; use archive-z2 instead");
            var m = KeyFile.GetString(CoreGroup, "mode") ?? "bare";
            return RepoModes.TryParse(m, out var mode) ? mode : throw new RepoException($"Invalid mode '{m}' in repository configuration");
        }
    }

    public int RepoVersion => (int)(KeyFile.GetInt64(CoreGroup, "repo_version") ?? throw new RepoException(KeyFile.HasGroup(CoreGroup)
        ? "Key file does not have key “repo_version” in group “core”"
        : "Key file does not have group “core”"));

    public bool Fsync => Bool(CoreGroup, "fsync", true);
    public bool DisableXattrs => Bool(CoreGroup, "disable-xattrs", false);
    public bool AutoUpdateSummary => Bool(CoreGroup, "auto-update-summary", false) || Bool(CoreGroup, "commit-update-summary", false);
    public bool TombstoneCommits => Bool(CoreGroup, "tombstone-commits", false);
    public string? CollectionId => KeyFile.GetString(CoreGroup, "collection-id");
    public string? ParentRepo => KeyFile.GetString(CoreGroup, "parent");
    /// <summary><c>core.min-free-space-percent</c> / <c>-size</c>; throws for an invalid value, as opening the repository does.</summary>
    public MinFreeSpace MinFreeSpace => MinFreeSpace.FromConfig(KeyFile);
    public int LockTimeoutSeconds => (int)(KeyFile.GetInt64(CoreGroup, "lock-timeout-secs") ?? 30);

    public int ZlibLevel
    {
        get
        {
            long level = KeyFile.GetInt64("archive", "zlib-level") ?? 6;
            return (int)Math.Clamp(level, 1, 9);
        }
    }

    private bool Bool(string group, string key, bool defaultValue)
    {
        try { return KeyFile.GetBoolean(group, key, defaultValue); }
        catch (FormatException e) { throw new RepoException($"Invalid config {group}.{key}: {e.Message}"); }
    }

    /// <summary>Writes the config atomically (temp name, fsync, rename).</summary>
    public void Save() => AtomicFile.WriteAllText(Path, KeyFile.ToString());
}
