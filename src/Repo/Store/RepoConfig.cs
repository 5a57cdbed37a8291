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
    /// <summary><c>core.enable-uncompressed-cache</c>: whether user-mode checkouts from an archive repository keep inflated objects in <c>uncompressed-objects-cache/</c>.</summary>
    public bool EnableUncompressedCache => Bool(CoreGroup, "enable-uncompressed-cache", true);
    /// <summary><c>core.per-object-fsync</c>: fsync each object as it is written.</summary>
    public bool PerObjectFsync => Bool(CoreGroup, "per-object-fsync", false);
    /// <summary><c>core.add-remotes-config-dir</c>: whether <c>remote add</c> on the system repository writes <c>/etc/ostree/remotes.d</c>.</summary>
    public bool AddRemotesConfigDir => Bool(CoreGroup, "add-remotes-config-dir", true);
    public bool AutoUpdateSummary => Bool(CoreGroup, "auto-update-summary", false) || Bool(CoreGroup, "commit-update-summary", false);
    public bool TombstoneCommits => Bool(CoreGroup, "tombstone-commits", false);
    public string? CollectionId => KeyFile.GetString(CoreGroup, "collection-id");
    public string? ParentRepo => KeyFile.GetString(CoreGroup, "parent") is { Length: > 0 } p ? p : null; // empty: none, as in ostree
    /// <summary><c>core.min-free-space-percent</c> / <c>-size</c>; throws for an invalid value, as opening the repository does.</summary>
    public MinFreeSpace MinFreeSpace => MinFreeSpace.FromConfig(KeyFile);
    /// <summary><c>core.locking</c> (on unless set to false).</summary>
    public bool Locking => Bool(CoreGroup, "locking", true);
    /// <summary>The repo finders ostree knows, by the names config and options give them.</summary>
    public static readonly string[] RepoFinderNames = ["config", "lan", "mount"];

    /// <summary>
    /// <c>core.default-repo-finders</c>, the finders <c>find-remotes</c> uses without <c>--finders</c>:
    /// <c>config</c> and <c>mount</c> when unset; an empty list or an unknown name fails the open, as in ostree.
    /// </summary>
    public IReadOnlyList<string> DefaultRepoFinders
    {
        get
        {
            var configured = KeyFile.GetStringList(CoreGroup, "default-repo-finders");
            if (configured is null) return ["config", "mount"];
            if (configured.Length == 0) throw new RepoException("Invalid empty default-repo-finders configuration");
            foreach (var name in configured)
                if (!RepoFinderNames.Contains(name)) throw new RepoException($"Invalid configured repo-finder '{name}'");
            return configured;
        }
    }

    /// <summary><c>core.lock-timeout-secs</c>, read as ostree reads it (C's strtol: leading digits, else 0; -1 waits forever).</summary>
    public int LockTimeoutSeconds => KeyFile.GetString(CoreGroup, "lock-timeout-secs") is { } v ? (int)Math.Clamp(GAsciiNumber.ToInt64(v), int.MinValue, int.MaxValue) : 30;

    /// <summary>
    /// The booleans ostree 2022.7 reads when it opens a repository (reload_core_config): a value
    /// that is not one fails the open, whatever the command.
    /// </summary>
    public void ValidateOpenTimeKeys()
    {
        _ = Fsync;
        _ = PerObjectFsync;
        _ = DisableXattrs;
        _ = Locking;
        _ = AddRemotesConfigDir;
        _ = DefaultRepoFinders;
        _ = MinFreeSpace;
    }

    /// <summary><c>archive.zlib-level</c> (6 by default), clamped to 1..9 as ostree does.</summary>
    public int ZlibLevel => KeyFile.GetString("archive", "zlib-level") is { } v ? (int)Math.Clamp(GAsciiNumber.ToUInt64(v), 1UL, 9UL) : 6;

    /// <summary><c>core.tmp-expiry-secs</c>: how old an abandoned <c>tmp/</c> entry gets before it is removed (a day by default).</summary>
    public TimeSpan TmpExpiry => TimeSpan.FromSeconds(Math.Min(KeyFile.GetString(CoreGroup, "tmp-expiry-secs") is { } v ? GAsciiNumber.ToUInt64(v) : 86400, (ulong)TimeSpan.MaxValue.TotalSeconds - 1));

    /// <summary><c>core.payload-link-threshold</c>: "-1" (the default) reads as the largest value, so no payload link is kept.</summary>
    public ulong PayloadLinkThreshold => KeyFile.GetString(CoreGroup, "payload-link-threshold") is { } v ? GAsciiNumber.ToUInt64(v) : ulong.MaxValue;

    private bool Bool(string group, string key, bool defaultValue)
    {
        try { return KeyFile.GetBoolean(group, key, defaultValue); }
        catch (FormatException e) { throw new RepoException(e.Message); }
    }

    /// <summary>Writes the config atomically (temp name, fsync, rename).</summary>
    public void Save() => AtomicFile.WriteAllText(Path, KeyFile.ToString());
}
