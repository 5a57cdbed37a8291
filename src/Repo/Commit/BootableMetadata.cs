using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.Commit;

/// <summary>
/// <c>commit --bootable</c> (ostree_commit_metadata_for_bootable, 2022.7): the committed tree (read through the transaction that wrote it) must
/// hold exactly one <c>/usr/lib/modules/VERSION/</c> directory with a <c>vmlinuz</c> in it; the
/// metadata gains <c>ostree.bootable</c> = true and <c>ostree.linux</c> = VERSION, inserted through
/// a GVariantDict (so the whole dictionary takes GLib's hash order, as in ostree).
/// </summary>
public static class BootableMetadata
{
    public const string BootableKey = "ostree.bootable";
    public const string LinuxKey = "ostree.linux";

    public static VariantDictionary Add(Transaction repo, Checksum rootTree, VariantDictionary? metadata)
    {
        var release = FindKernelRelease(repo, rootTree);
        var dict = new GVariantDict(metadata?.Entries ?? []);
        dict.Insert(BootableKey, GVariantValue.Boolean(true));
        dict.Insert(LinuxKey, GVariantValue.String(release));
        var result = new VariantDictionary();
        foreach (var (k, v) in dict.End()) result.Add(k, v);
        return result;
    }

    private static string FindKernelRelease(Transaction repo, Checksum rootTree)
    {
        var modules = Lookup(repo, rootTree, ["usr", "lib", "modules"]);
        string? release = null;
        foreach (var dir in repo.LoadDirTree(modules).Dirs)
        {
            var tree = repo.LoadDirTree(dir.Tree);
            if (!tree.Files.Any(f => f.Name == "vmlinuz") && !tree.Dirs.Any(d => d.Name == "vmlinuz")) continue;
            if (release is not null) throw new RepoException("Multiple kernels found in /usr/lib/modules");
            release = dir.Name;
        }
        return release ?? throw new RepoException("No kernel found in /usr/lib/modules");
    }

    /// <summary>The dirtree at <paramref name="path"/>; a missing directory is named as ostree's repo file names it.</summary>
    private static Checksum Lookup(Transaction repo, Checksum tree, string[] path)
    {
        var walked = "";
        foreach (var name in path)
        {
            walked += "/" + name;
            var dirs = repo.LoadDirTree(tree).Dirs;
            int i = dirs.ToList().FindIndex(d => d.Name == name);
            if (i < 0) throw new RepoException($"No such file or directory: {walked}");
            tree = dirs[i].Tree;
        }
        return tree;
    }
}
