using Arbor.Repo.Remotes;

namespace Arbor.Repo.Finders;

/// <summary><c>ostree_repo_resolve_keyring_for_collection</c>: the configured remote whose keyring a dynamic remote of a collection uses.</summary>
internal static class KeyringRemotes
{
    /// <summary>The first configured remote (by name) of that collection, or null.</summary>
    public static string? For(RemoteStore remotes, string collectionId) =>
        remotes.LoadAll().Where(kv => kv.Value.CollectionId == collectionId).Select(kv => kv.Key).FirstOrDefault();

    /// <summary>The keyring file a remote's name gives (<c>REMOTE.trustedkeys.gpg</c>).</summary>
    public static string Keyring(string remoteName) => remoteName + ".trustedkeys.gpg";
}
