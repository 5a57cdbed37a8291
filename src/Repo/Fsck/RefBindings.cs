using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Refs;
using Arbor.Repo.Store;

namespace Arbor.Repo.Fsck;

/// <summary>
/// Ref bindings (repo-format.md §5.1 <c>ostree.ref-binding</c>, <c>ostree.collection-binding</c>):
/// --verify-bindings checks that a ref's commit names the ref; --verify-back-refs checks that every
/// ref a commit names points back at it. Messages are ostree's, typographic quotes included.
/// </summary>
internal static class RefBindings
{
    private const string RefBindingKey = "ostree.ref-binding";
    private const string CollectionBindingKey = "ostree.collection-binding";

    /// <summary>The binding keys of a commit; a commit too damaged to read has none.</summary>
    public static (string[]? Refs, string? Collection) Read(ReadOnlySpan<byte> commit)
    {
        try
        {
            var meta = VariantDictionary.Read(new GVariantReader(commit, ObjectFormats.Commit).Member(0));
            var refs = meta[RefBindingKey] is { } v && v.Type.Signature == "as" ? v.AsStringArray() : null;
            var collection = meta[CollectionBindingKey] is { } c && c.Type.Signature == "s" ? c.AsString() : null;
            return (refs, collection);
        }
        catch (GVariantFormatException)
        {
            return (null, null);
        }
    }

    /// <summary>_ostree_repo_verify_bindings, prefixed with the commit as fsck reports it.</summary>
    public static void Verify(Checksum commit, string? collectionId, string refName, ReadOnlySpan<byte> commitBytes)
    {
        var (refs, binding) = Read(commitBytes);
        string? problem = null;
        if (refs is null)
        {
            if (collectionId is not null) problem = "Expected commit metadata to have ref binding information, found none";
        }
        else if (!refs.Contains(refName, StringComparer.Ordinal))
        {
            var listed = refs.Length > 0 ? string.Join(", ", refs.Select(r => $"‘{r}’")) : "no refs";
            problem = $"Commit has no requested ref ‘{refName}’ in ref binding metadata ({listed})";
        }
        if (problem is null && refs is not null && collectionId is not null)
        {
            if (binding is null) problem = "Expected commit metadata to have collection ID binding information, found none";
            else if (binding != collectionId)
                problem = $"Commit has collection ID ‘{binding}’ in collection binding metadata, while the remote it came from has collection ID ‘{collectionId}’";
        }
        if (problem is not null) throw new CorruptObjectException($"Commit {commit}: {problem}");
    }

    /// <summary>Every ref named in the commit's bindings exists and points at the commit.</summary>
    public static void VerifyBackRefs(Repository repo, Checksum commit, ReadOnlySpan<byte> commitBytes,
        IReadOnlyList<(CollectionRef Ref, Checksum Commit)> collectionRefs)
    {
        var (refs, collection) = Read(commitBytes);
        if (refs is null) return;
        foreach (var name in refs)
        {
            Checksum? target;
            if (collection is not null)
            {
                target = null;
                foreach (var (r, c) in collectionRefs)
                    if (r.CollectionId == collection && r.RefName == name) { target = c; break; }
            }
            else
            {
                target = RevParser.TryResolve(repo, name);
            }
            string what = collection is not null ? $"Collection–ref ({collection}, {name})" : $"Ref ‘{name}’";
            if (target is null) throw new CorruptObjectException($"{what} in bindings for commit {commit} does not exist");
            if (target != commit) throw new CorruptObjectException($"{what} in bindings for commit {commit} does not resolve to that commit");
        }
    }
}
