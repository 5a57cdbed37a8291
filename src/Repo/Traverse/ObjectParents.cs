using Arbor.Repo.Core;

namespace Arbor.Repo.Traverse;

/// <summary>
/// Who references each object: its containing dirtree, or the commit for a root tree and root
/// meta. fsck uses it to name the commits an object belongs to ("In commits A, B: ...").
/// Stored compactly: one parent inline, further parents in a side table (most objects have one).
/// </summary>
public sealed class ObjectParents
{
    private readonly Dictionary<ObjectName, ObjectName> _first = new();
    private readonly Dictionary<ObjectName, List<ObjectName>> _more = new();

    internal void Add(ObjectName child, ObjectName parent)
    {
        if (!_first.TryGetValue(child, out var existing))
        {
            _first.Add(child, parent);
            return;
        }
        if (existing == parent) return;
        if (!_more.TryGetValue(child, out var list))
        {
            _more.Add(child, [parent]);
            return;
        }
        if (!list.Contains(parent)) list.Add(parent);
    }

    /// <summary>The direct parents of <paramref name="name"/> (empty for commits and unknown objects).</summary>
    public IEnumerable<ObjectName> DirectParents(ObjectName name)
    {
        if (!_first.TryGetValue(name, out var first)) yield break;
        yield return first;
        if (_more.TryGetValue(name, out var list))
            foreach (var p in list) yield return p;
    }

    /// <summary>
    /// The commits that (transitively) contain <paramref name="name"/>, sorted; a commit is its own
    /// commit. Follows parents with an explicit stack, so deep trees cannot overflow it.
    /// </summary>
    public IReadOnlyList<Checksum> CommitsOf(ObjectName name)
    {
        var commits = new SortedSet<Checksum>();
        var seen = new HashSet<ObjectName>();
        var stack = new Stack<ObjectName>();
        stack.Push(name);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!seen.Add(n)) continue;
            if (n.Type == ObjectType.Commit)
            {
                commits.Add(n.Checksum);
                continue;
            }
            foreach (var p in DirectParents(n)) stack.Push(p);
        }
        return [.. commits];
    }
}
