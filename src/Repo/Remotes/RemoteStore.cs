using System.Text.RegularExpressions;
using Arbor.Repo.Config;
using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Repo.Remotes;

/// <summary>
/// The remotes of a repository: <c>[remote "NAME"]</c> groups in its <c>config</c>, plus, for a
/// system repository, one <c>NAME.conf</c> per remote in a remotes directory (normally
/// <c>SYSROOT/etc/ostree/remotes.d</c>). New remotes go to that directory when
/// <c>core.add-remotes-config-dir</c> is true (the default for system repositories), else to
/// <c>config</c>, as ostree does.
/// </summary>
public sealed partial class RemoteStore
{
    /// <summary>ostree's <c>SYSCONF_REMOTES</c>, relative to a sysroot.</summary>
    public const string SysrootRemotesDir = "etc/ostree/remotes.d";

    private readonly Repository _repo;

    /// <param name="repo">The repository.</param>
    /// <param name="remotesConfigDir">A directory of <c>*.conf</c> remote files, or null for config-only remotes.</param>
    /// <param name="systemRoot">The root whose <c>etc/ostree</c> and <c>usr/share/ostree</c> hold trusted keys (default "/").</param>
    public RemoteStore(Repository repo, string? remotesConfigDir, string systemRoot = "/")
    {
        _repo = repo;
        RemotesConfigDir = remotesConfigDir;
        SystemRoot = systemRoot;
    }

    public Repository Repository => _repo;
    public string? RemotesConfigDir { get; }
    public string SystemRoot { get; }

    /// <summary><c>ROOT/etc/ostree</c>: trusted.ed25519 and friends.</summary>
    public string SysconfDir => Path.Combine(SystemRoot, "etc/ostree");
    /// <summary><c>ROOT/usr/share/ostree</c>: trusted.ed25519, trusted.gpg.d/.</summary>
    public string DataDir => Path.Combine(SystemRoot, "usr/share/ostree");

    /// <summary>The remotes of a repository as ostree opens it by path: the system repo <c>/ostree/repo</c> also reads <c>/etc/ostree/remotes.d</c>.</summary>
    public static RemoteStore For(Repository repo) =>
        new(repo, IsSameDirectory(repo.Path, "/ostree/repo") ? "/" + SysrootRemotesDir : null);

    /// <summary>The remotes of a sysroot's repository: its config plus <c>SYSROOT/etc/ostree/remotes.d</c>.</summary>
    public static RemoteStore ForSysroot(Repository repo, string sysrootPath)
    {
        var root = Path.GetFullPath(sysrootPath);
        return new(repo, Path.Combine(root, SysrootRemotesDir), root);
    }

    /// <summary>True when <c>add</c> writes to the remotes directory (<c>core.add-remotes-config-dir</c>, default true here).</summary>
    public bool AddsToConfigDir => RemotesConfigDir is not null
        && _repo.Config.AddRemotesConfigDir;

    [GeneratedRegex("^remote \"(.+)\"$")]
    private static partial Regex RemoteGroup();

    /// <summary>All remotes by name; a remote defined twice is an error, as in ostree.</summary>
    public SortedDictionary<string, RemoteConfig> LoadAll()
    {
        _repo.ReloadConfig();
        var result = new SortedDictionary<string, RemoteConfig>(StringComparer.Ordinal);
        AddFrom(_repo.Config.KeyFile, null, result);
        if (RemotesConfigDir is not null && Directory.Exists(RemotesConfigDir))
        {
            foreach (var file in Directory.EnumerateFiles(RemotesConfigDir, "*.conf").Order(StringComparer.Ordinal))
            {
                KeyFile kf;
                try { kf = KeyFile.Parse(File.ReadAllText(file)); }
                catch (FormatException e) { throw new RepoException($"Parsing {file}: {e.Message}"); }
                AddFrom(kf, file, result);
            }
        }
        return result;
    }

    private static void AddFrom(KeyFile kf, string? file, SortedDictionary<string, RemoteConfig> into)
    {
        foreach (var group in kf.GroupNames)
        {
            var m = RemoteGroup().Match(group);
            if (!m.Success) continue;
            var name = m.Groups[1].Value;
            if (into.ContainsKey(name)) throw new RepoException($"Multiple specifications found for remote \"{name}\"");
            into[name] = new RemoteConfig(name, kf, file);
        }
    }

    public IReadOnlyList<string> ListNames() => LoadAll().Keys.ToList();

    /// <summary>A remote of this repository, else of its <c>core.parent</c> chain (ostree's <c>_ostree_repo_get_remote_inherited</c>).</summary>
    public RemoteConfig? TryGet(string name) => Chain().Select(store => store.TryGetOwn(name)).FirstOrDefault(r => r is not null);

    /// <summary>A remote defined in this repository itself (what <c>remote add</c> and <c>delete</c> look at).</summary>
    private RemoteConfig? TryGetOwn(string name) => LoadAll().GetValueOrDefault(name);

    /// <summary>This store, then those of the <c>core.parent</c> repositories (each once).</summary>
    private IEnumerable<RemoteStore> Chain()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var store = this; seen.Add(Path.GetFullPath(store._repo.Path)); )
        {
            yield return store;
            if (store._repo.Config.ParentRepo is not { } parent) yield break;
            store = For(Repository.Open(parent));
        }
    }

    public RemoteConfig Get(string name) => TryGet(name) ?? throw new RepoException($"Remote \"{name}\" not found");

    /// <summary><c>remote add</c>: url (or <c>metalink=URL</c>) first, then the options in order.</summary>
    /// <returns>False when the remote existed and <paramref name="ifNotExists"/> left it alone.</returns>
    public bool Add(string name, string? url, IReadOnlyList<RemoteOption> options, bool ifNotExists = false, bool replace = false)
    {
        ValidateName(name);
        using var _ = _repo.Lock(exclusive: false);
        var existing = TryGetOwn(name);
        if (existing is not null && ifNotExists) return false;
        if (existing is not null && !replace)
            throw new RepoException($"Remote configuration for \"{name}\" already exists: {existing.SourceFile ?? "(in config)"}");

        var group = RemoteConfig.GroupName(name);
        var fresh = new KeyFile();
        if (url is not null)
        {
            if (url.StartsWith("metalink=", StringComparison.Ordinal)) fresh.SetString(group, "metalink", url["metalink=".Length..]);
            else fresh.SetString(group, "url", url);
        }
        foreach (var o in options) o.WriteTo(fresh, group);

        var targetFile = existing?.SourceFile
            ?? (existing is null && AddsToConfigDir ? Path.Combine(RemotesConfigDir!, name + ".conf") : null);
        if (targetFile is not null)
        {
            if (existing is not null)
            {
                // replace the group inside its file, keeping the file's other content
                var kf = KeyFile.Parse(File.ReadAllText(targetFile));
                kf.RemoveGroup(group);
                CopyGroup(fresh, kf, group);
                fresh = kf;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(targetFile)!);
            AtomicFile.WriteAllText(targetFile, KeyFileData.ToGLibData(fresh));
        }
        else
        {
            var config = _repo.Config;
            config.KeyFile.RemoveGroup(group);
            CopyGroup(fresh, config.KeyFile, group);
            SaveConfig();
        }
        return true;
    }

    /// <summary><c>remote delete</c>: removes the group (or the remotes.d file) and the remote's keyring.</summary>
    /// <returns>False when the remote did not exist and <paramref name="ifExists"/> was given.</returns>
    public bool Delete(string name, bool ifExists = false)
    {
        ValidateName(name);
        using var _ = _repo.Lock(exclusive: false);
        var remote = TryGetOwn(name);
        if (remote is null)
        {
            if (ifExists) return false;
            throw new RepoException($"Remote \"{name}\" not found");
        }
        if (remote.SourceFile is not null) File.Delete(remote.SourceFile);
        else if (_repo.Config.KeyFile.RemoveGroup(remote.Group)) SaveConfig();
        var keyring = _repo.FullPath(name + ".trustedkeys.gpg");
        if (File.Exists(keyring)) File.Delete(keyring);
        return true;
    }

    /// <summary>
    /// Where the GPG keyring of a remote lives: the repo's <c>NAME.trustedkeys.gpg</c>, else the remotes
    /// directory's, else the <c>core.parent</c> repository's (ostree's <c>find_keyring</c>).
    /// </summary>
    public string? FindKeyring(string name) => Chain().Select(store => store.FindOwnKeyring(name)).FirstOrDefault(k => k is not null);

    private string? FindOwnKeyring(string name)
    {
        var inRepo = _repo.FullPath(name + ".trustedkeys.gpg");
        if (File.Exists(inRepo)) return inRepo;
        if (RemotesConfigDir is not null)
        {
            var inDir = Path.Combine(RemotesConfigDir, name + ".trustedkeys.gpg");
            if (File.Exists(inDir)) return inDir;
        }
        return null;
    }

    /// <summary>Writes the repo config as ostree does (GLib without comments), then reloads it.</summary>
    private void SaveConfig()
    {
        AtomicFile.WriteAllText(_repo.Config.Path, KeyFileData.ToGLibData(_repo.Config.KeyFile));
        _repo.ReloadConfig();
    }

    public static void ValidateName(string name)
    {
        if (!RefName.IsValidRemote(name)) throw new RepoException($"Invalid remote name {name}");
    }

    private static void CopyGroup(KeyFile from, KeyFile to, string group)
    {
        foreach (var key in from.Keys(group)) to.SetValue(group, key, from.GetValue(group, key)!);
    }

    private static bool IsSameDirectory(string a, string b)
    {
        try
        {
            if (!Directory.Exists(b)) return false;
            var sa = Native.Files.Stat(a);
            var sb = Native.Files.Stat(b);
            return sa.SameFileAs(sb);
        }
        catch (IOException) { return false; }
    }
}
