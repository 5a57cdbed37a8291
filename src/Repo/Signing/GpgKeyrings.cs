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
        if (remote.GpgKeyPath is { Length: > 0 } paths)
            foreach (var p in paths.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                v.AddPath(p);
        return v;
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
