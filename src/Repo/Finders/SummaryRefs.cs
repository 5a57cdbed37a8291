using Arbor.Repo.Refs;
using Arbor.Repo.Summary;

namespace Arbor.Repo.Finders;

/// <summary>The collection–refs a summary lists (<c>ostree_repo_remote_list_collection_refs</c>): its own collection's refs and its collection map.</summary>
public static class SummaryRefs
{
    public static Dictionary<CollectionRef, string> List(SummaryFile summary)
    {
        var refs = new Dictionary<CollectionRef, string>();
        if (summary.CollectionId is { } main)
            foreach (var r in summary.Refs) refs[new CollectionRef(main, r.Name)] = r.Commit.ToString();
        foreach (var (collection, list) in summary.CollectionMap)
            foreach (var r in list) refs[new CollectionRef(collection, r.Name)] = r.Commit.ToString();
        return refs;
    }
}
