using System.Text;
using Arbor.Repo.Core;

namespace Arbor.Repo.Checkout;

/// <summary>What a (sub)path of a tree names: a directory (dirtree + dirmeta) or a file.</summary>
internal abstract record CheckoutTarget;

internal sealed record DirectoryTarget(Checksum Tree, Checksum Meta) : CheckoutTarget;

internal sealed record FileTarget(Checksum Content, string Name) : CheckoutTarget;

/// <summary>
/// Resolves <c>--subpath</c> exactly as ostree's repo-file resolution does, quirks included: one
/// leading "/" is dropped, "/" alone (at any depth) restarts at the root, a trailing "/" leaves an
/// empty last component (so "sub/" is not found), and "." or ".." are ordinary names that never
/// exist. Errors name the path up to the first missing component.
/// </summary>
internal static class SubpathResolver
{
    public static CheckoutTarget Resolve(MetadataCache metadata, Checksum rootTree, Checksum rootMeta, string? subpath)
    {
        CheckoutTarget current = new DirectoryTarget(rootTree, rootMeta);
        if (subpath is null || subpath == "/") return current;
        var components = Split(subpath);
        for (int i = 0; i < components.Count; i++)
        {
            if (current is not DirectoryTarget dir) throw new CheckoutException("Not a directory");
            var tree = metadata.LoadDirTree(dir.Tree);
            int index = tree.Find(Encoding.UTF8.GetBytes(components[i]));
            if (index < 0) throw new CheckoutPathNotFoundException("/" + string.Join('/', components.Take(i + 1)));
            current = index < tree.FileCount
                ? new FileTarget(tree.FileChecksum(index), components[i])
                : new DirectoryTarget(tree.DirTree(index - tree.FileCount), tree.DirMeta(index - tree.FileCount));
        }
        return current;
    }

    /// <summary>The components from the root that ostree's <c>resolve_relative_path</c> walks.</summary>
    public static List<string> Split(string subpath)
    {
        var components = new List<string>();
        string rel = subpath;
        bool atRoot = true;
        while (true)
        {
            if (rel.StartsWith('/'))
            {
                if (rel == "/")
                {
                    components.Clear();
                    return components;
                }
                rel = rel[1..];
                if (!atRoot)
                {
                    // an absolute rest below the root resolves from the root again
                    components.Clear();
                    atRoot = true;
                    continue;
                }
            }
            int slash = rel.IndexOf('/');
            if (slash < 0)
            {
                components.Add(rel);
                return components;
            }
            components.Add(rel[..slash]);
            rel = rel[(slash + 1)..];
            atRoot = false;
        }
    }
}
