namespace Arbor.Repo.Diff;

/// <summary>
/// <c>ostree_diff_dirs_with_options</c> (ostree-diff.c): walks the source's children, then the
/// target's; a child missing from the target is removed, one missing from the source is added
/// (with all its descendants), one whose type or checksum differs is modified, and directories
/// present on both sides are compared recursively. Identical commit directories are skipped.
/// </summary>
public static class TreeDiff
{
    public static DiffResult Compare(DiffNode source, DiffNode target, DiffOptions options)
    {
        var modified = new List<DiffItem>();
        var removed = new List<DiffNode>();
        var added = new List<DiffNode>();
        if (source is RepoDiffNode { IgnoresXattrs: true } || target is RepoDiffNode { IgnoresXattrs: true })
            options = options with { IgnoreXattrs = true };
        CompareDirs(source, target, options, modified, removed, added);
        return new DiffResult(modified, removed, added);
    }

    private static void CompareDirs(DiffNode a, DiffNode b, DiffOptions options, List<DiffItem> modified, List<DiffNode> removed, List<DiffNode> added)
    {
        if (a.Type == DiffFileType.Directory && b.Type == DiffFileType.Directory
            && a.ContentsChecksum is { } ca && b.ContentsChecksum is { } cb && ca == cb)
            return;

        foreach (var childA in a.EnumerateChildren())
        {
            var childB = b.TryGetChild(childA.Name);
            if (childB is null)
            {
                removed.Add(childA);
                continue;
            }
            if (childA.Type != childB.Type)
            {
                modified.Add(new DiffItem(childA, childB));
                continue;
            }
            if (childA.ComputeChecksum(options) != childB.ComputeChecksum(options))
                modified.Add(new DiffItem(childA, childB));
            if (childA.Type == DiffFileType.Directory)
                CompareDirs(childA, childB, options, modified, removed, added);
        }

        foreach (var childB in b.EnumerateChildren())
        {
            if (a.TryGetChild(childB.Name) is not null) continue;
            added.Add(childB);
            if (childB.Type == DiffFileType.Directory) AddRecursive(childB, added);
        }
    }

    private static void AddRecursive(DiffNode dir, List<DiffNode> added)
    {
        foreach (var child in dir.EnumerateChildren())
        {
            added.Add(child);
            if (child.Type == DiffFileType.Directory) AddRecursive(child, added);
        }
    }
}
