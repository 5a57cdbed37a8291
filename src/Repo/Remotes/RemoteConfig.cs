using Arbor.Repo.Config;
using Arbor.Repo.Core;

namespace Arbor.Repo.Remotes;

/// <summary>
/// One remote: the <c>[remote "NAME"]</c> group of the repo config or of a
/// <c>remotes.d/*.conf</c> file, with typed accessors for the keys pull uses (pull-protocol.md §2).
/// </summary>
public sealed class RemoteConfig
{
    private readonly KeyFile _keyFile;

    internal RemoteConfig(string name, KeyFile keyFile, string? sourceFile)
    {
        Name = name;
        _keyFile = keyFile;
        SourceFile = sourceFile;
    }

    public string Name { get; }
    /// <summary>The key-file group name, <c>remote "NAME"</c>.</summary>
    public string Group => GroupName(Name);
    /// <summary>The <c>remotes.d</c> file that defines the remote, or null when it lives in the repo config.</summary>
    public string? SourceFile { get; }

    public static string GroupName(string remote) => $"remote \"{remote}\"";

    /// <summary>
    /// A remote that exists only for one pull (<c>ostree_remote_new_dynamic</c> as the mount finder makes it):
    /// named after the configured remote whose keyring it uses (so refs go to <c>refs/remotes/NAME/</c>),
    /// with only <c>url</c>, <c>gpg-verify=true</c> and <c>gpg-verify-summary=false</c>.
    /// </summary>
    public static RemoteConfig Dynamic(string name, string url)
    {
        var keyFile = KeyFile.Parse("");
        var group = GroupName(name);
        keyFile.SetString(group, "url", url);
        keyFile.SetBoolean(group, "gpg-verify", true);
        keyFile.SetBoolean(group, "gpg-verify-summary", false);
        return new RemoteConfig(name, keyFile, null);
    }

    /// <summary>A raw option (<c>ostree_repo_get_remote_option</c>), or null.</summary>
    public string? Get(string key) => _keyFile.GetString(Group, key);

    public IEnumerable<string> Keys => _keyFile.Keys(Group);

    public bool GetBoolean(string key, bool defaultValue)
    {
        try { return _keyFile.GetBoolean(Group, key, defaultValue); }
        catch (FormatException e) { throw new RepoException($"Remote \"{Name}\": {e.Message}"); }
    }

    public string? Url => Get("url");
    public string? ContentUrl => Get("contenturl");
    public string? Metalink => Get("metalink");

    /// <summary>The fetch URL; a remote with only a metalink has none (ostree: "No "url" option").</summary>
    public string RequireUrl() => Url ?? throw new RepoException($"No \"url\" option in remote \"{Name}\"");

    /// <summary>Default refs for <c>pull REMOTE</c> with no ref (<c>branches=a;b;</c>).</summary>
    public string[] Branches => _keyFile.GetStringList(Group, "branches") ?? [];

    public bool GpgVerify => GetBoolean("gpg-verify", true);
    public bool GpgVerifySummary => GetBoolean("gpg-verify-summary", false);
    public string? GpgKeyPath => Get("gpgkeypath");
    public string? CollectionId => Get("collection-id");
    public string? Proxy => Get("proxy");
    public bool TlsPermissive => GetBoolean("tls-permissive", false);
    public string? TlsCaPath => Get("tls-ca-path");
    public string? TlsClientCertPath => Get("tls-client-cert-path");
    public string? TlsClientKeyPath => Get("tls-client-key-path");
    public string? UnconfiguredState => Get("unconfigured-state");
    public string? CustomBackend => Get("custom-backend");

    public string? VerificationKey(string signType) => Get($"verification-{signType}-key");
    public string? VerificationFile(string signType) => Get($"verification-{signType}-file");
}
