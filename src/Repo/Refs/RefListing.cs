using Arbor.Repo.Core;
using Arbor.Repo.GLib;
using Arbor.Repo.Native;
using Arbor.Repo.Store;

namespace Arbor.Repo.Refs;

/// <summary>
/// Lists refs exactly as <c>ostree_repo_list_refs{,_ext}</c> does (ostree-repo-refs.c): directories
/// walked in readdir order, depth first, names that are not valid ref fragments skipped, and every
/// ref inserted into a <c>g_str_hash</c> table, whose bucket order is the order ostree prints.
/// Values are the ref files' contents (whitespace-trimmed), or alias targets with
/// <see cref="AliasesOnly"/>.
/// </summary>
public sealed class RefListing
{
    private readonly Repository _repo;

    /// <summary>Keep the prefix in returned names (<c>list_refs_ext</c>) instead of cutting it (<c>list_refs</c>).</summary>
    public bool KeepPrefix { get; init; }
    /// <summary>Return only symlinked refs, mapped to their targets (<c>OSTREE_REPO_LIST_REFS_EXT_ALIASES</c>).</summary>
    public bool AliasesOnly { get; init; }
    /// <summary>Skip refs/remotes (<c>OSTREE_REPO_LIST_REFS_EXT_EXCLUDE_REMOTES</c>).</summary>
    public bool ExcludeRemotes { get; init; }

    public RefListing(Repository repo) => _repo = repo;

    /// <summary>All refs (heads, then each remote) or those under <paramref name="refspecPrefix"/>.</summary>
    public GStrHashTable<string> List(string? refspecPrefix)
    {
        try
        {
            return ListInternal(refspecPrefix);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepoException($"Listing refs: {e.Message}", e);
        }
        catch (RepoException e)
        {
            throw new RepoException($"Listing refs: {e.Message}", e);
        }
    }

    private GStrHashTable<string> ListInternal(string? refspecPrefix)
    {
        var refs = new GStrHashTable<string>();
        if (refspecPrefix is not null)
        {
            string? remote = null;
            string? refPrefix = null;
            // "<remote>:" and "<remote>:." list a whole remote; ostree_parse_refspec refuses them
            if (refspecPrefix.EndsWith(':') || refspecPrefix.EndsWith(":.", StringComparison.Ordinal))
            {
                var r = refspecPrefix[..refspecPrefix.LastIndexOf(':')];
                if (RefName.IsValidRemote(r)) { remote = r; refPrefix = "."; }
            }
            if (refPrefix is null) (remote, refPrefix) = Refspec.Parse(refspecPrefix);

            string prefixPath = !ExcludeRemotes && remote is not null
                ? $"{RepoLayout.RefsRemotes}/{remote}/"
                : $"{RepoLayout.RefsHeads}/";
            string path = prefixPath + refPrefix;
            FileStatus? st;
            try { st = Files.TryStat(_repo.FullPath(path), notDirectoryIsMissing: false); }
            catch (NativeIOException e) { throw new RepoException($"fstatat({path}): {Errno.Describe(e.Errno)}"); }
            if (st is null) return refs;
            if (st.Value.IsDirectory)
            {
                string basePath = KeepPrefix ? refPrefix + "/" : "";
                Recurse(remote, basePath, _repo.FullPath(path), refs);
            }
            else
            {
                AddRef(remote, Path.Combine(_repo.FullPath(prefixPath), refPrefix), refPrefix, refs);
            }
            return refs;
        }

        var heads = _repo.FullPath(RepoLayout.RefsHeads);
        Recurse(null, "", heads, refs);
        if (!ExcludeRemotes)
        {
            var remotes = _repo.FullPath(RepoLayout.RefsRemotes);
            foreach (var entry in Entries(remotes))
            {
                if (Files.TryLStat(entry) is not { IsDirectory: true }) continue;
                Recurse(Path.GetFileName(entry), "", entry, refs);
            }
        }
        return refs;
    }

    /// <summary>A directory's entries, or ostree's <c>opendir(refs/remotes): No such file or directory</c>.</summary>
    private string[] Entries(string dir)
    {
        try { return Directory.GetFileSystemEntries(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepoException($"opendir({Path.GetRelativePath(_repo.Path, dir)}): {IoErrors.Describe(e)}");
        }
    }

    /// <summary><c>enumerate_refs_recurse</c>: names are <paramref name="basePath"/> + the path below <paramref name="dir"/>.</summary>
    private void Recurse(string? remote, string basePath, string dir, GStrHashTable<string> refs)
    {
        foreach (var entry in Entries(dir))
        {
            var name = Path.GetFileName(entry);
            if (!RefName.IsValidRemote(name)) continue; // not a valid ref fragment
            var st = Files.TryLStat(entry);
            if (st is null) continue;
            var refName = basePath + name;
            if (st.Value.IsDirectory)
            {
                Recurse(remote, refName + "/", entry, refs);
            }
            else if (AliasesOnly && st.Value.IsSymlink)
            {
                var target = Files.ReadLink(entry);
                while (target.StartsWith("../", StringComparison.Ordinal)) target = target[3..];
                refs.Insert(refName, target);
            }
            else if ((!AliasesOnly && st.Value.IsRegular) || st.Value.IsSymlink)
            {
                AddRef(remote, entry, refName, refs);
            }
        }
    }

    private static void AddRef(string? remote, string file, string refName, GStrHashTable<string> refs)
    {
        string contents;
        // ostree names the file as openat() saw it, relative to its directory
        try { contents = File.ReadAllText(file).TrimEnd(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RepoException($"openat({Path.GetFileName(file)}): {IoErrors.Describe(e)}");
        }
        refs.Insert(Refspec.Format(remote, refName), contents);
    }
}
