using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.Read;

/// <summary>One step of a commit's history: the commit, or (at the end) a parent that is not in the repository.</summary>
public readonly record struct HistoryEntry(Checksum Checksum, CommitObject? Commit, byte[]? Bytes)
{
    public bool IsMissing => Commit is null;
}

/// <summary>
/// Walks a commit and its parents as <c>ostree log</c> does: the first commit must exist; the walk
/// stops at a parent that is not stored locally (e.g. after <c>pull --depth=0</c>), yielding it as
/// <see cref="HistoryEntry.IsMissing"/>.
/// </summary>
public static class CommitHistory
{
    public static IEnumerable<HistoryEntry> Walk(Repository repo, Checksum start)
    {
        var seen = new HashSet<Checksum>();
        Checksum? next = start;
        bool first = true;
        while (next is { } c)
        {
            if (!seen.Add(c)) throw new CorruptObjectException($"Commit {c} is its own ancestor");
            var bytes = repo.TryLoadMetadata(new ObjectName(c, ObjectType.Commit));
            if (bytes is null)
            {
                if (first) throw new ObjectNotFoundException(new ObjectName(c, ObjectType.Commit));
                yield return new HistoryEntry(c, null, null);
                yield break;
            }
            var commit = CommitObject.Parse(bytes);
            yield return new HistoryEntry(c, commit, bytes);
            next = commit.Parent;
            first = false;
        }
    }
}
