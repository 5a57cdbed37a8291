using Arbor.Repo.Remotes;

namespace Arbor.Repo.Signing;

/// <summary>
/// Which keyrings ostree 2022.7 consults (<c>_ostree_repo_gpg_prepare_verifier</c>): a remote's
/// own keyring (<c>NAME.trustedkeys.gpg</c>) and its <c>gpgkeypath</c>, with the global keyring
/// directory (<c>$OSTREE_GPG_HOME</c>, else <c>/usr/share/ostree/trusted.gpg.d</c>) only when the
/// remote has no keyring of its own; or, for a commit already in the repository, every
/// <c>*.gpg</c> keyring in the repository directory plus the global directory.
/// </summary>
public static class GpgKeyrings
{
    /// <summary>The keys that verify data from <paramref name="remote"/> (pull, <c>show --gpg-verify-remote</c>).</summary>
    public static GpgVerifier ForRemote(RemoteStore store, RemoteConfig remote, bool addGlobal = true)
    {
        var v = new GpgVerifier();
        if (store.FindKeyring(remote.Name) is { } keyring)
        {
            v.AddKeyring(File.ReadAllBytes(keyring));
            addGlobal = false;
        }
        if (addGlobal) v.AddKeyringDirectory(GlobalDirectory(store));
        if (remote.GpgKeyPath is { } paths)
            foreach (var p in KeyPaths(paths)) v.AddPath(p);
        return v;
    }

    /// <summary>
    /// <c>gpgkeypath</c> as ostree reads it (ot_keyfile_get_string_list_with_separator_choice): one
    /// path, or a list separated by ';' or by ',' (not both), split as GKeyFile splits lists: an
    /// empty entry counts (and fails as the path ""), except after the last separator.
    /// </summary>
    public static IReadOnlyList<string> KeyPaths(string value)
    {
        var separators = ";,".Where(c => value.Contains(c)).ToList();
        if (separators.Count == 0) return [value];
        if (separators.Count > 1) throw new SigningException("key value list contains more than one separator");
        var items = value.Split(separators[0]).ToList();
        if (items[^1].Length == 0) items.RemoveAt(items.Count - 1);
        return items;
    }

    /// <summary>
    /// The keys <c>show</c> checks a stored commit with (<c>ostree_repo_verify_commit_ext</c>): every
    /// remote's keyring in the repository directory, the global directory, and the <c>*.gpg</c>
    /// keyrings of <paramref name="keyringDirectory"/> (<c>--gpg-homedir</c>), which must be a directory.
    /// </summary>
    public static GpgVerifier ForAllRemotes(RemoteStore store, string? keyringDirectory)
    {
        var v = new GpgVerifier();
        v.AddKeyringDirectory(store.Repository.Path);
        v.AddKeyringDirectory(GlobalDirectory(store));
        if (keyringDirectory is not null)
        {
            // ostree names the directory through a GFile, so by its absolute path
            var full = Path.GetFullPath(keyringDirectory);
            if (!Directory.Exists(full))
                throw new SigningException($"opendir({full}): {(File.Exists(full) ? "Not a directory" : "No such file or directory")}");
            v.AddKeyringDirectory(full);
        }
        return v;
    }

    /// <summary>The global keys alone (<c>remote gpg-list-keys</c> without a name).</summary>
    public static GpgVerifier Global(RemoteStore store)
    {
        var v = new GpgVerifier();
        v.AddKeyringDirectory(GlobalDirectory(store));
        return v;
    }

    private static string GlobalDirectory(RemoteStore store) =>
        Environment.GetEnvironmentVariable("OSTREE_GPG_HOME") ?? Path.Combine(store.DataDir, "trusted.gpg.d");
}
