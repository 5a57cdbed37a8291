using Arbor.Repo.Core;
using Arbor.Repo.Refs;

namespace Arbor.Cli.Commands.Usb;

/// <summary>COLLECTION-ID REF pairs from the command line (<c>create-usb</c>, <c>find-remotes</c>).</summary>
internal static class CollectionRefArguments
{
    /// <summary>Pairs the arguments up, with ostree's usage errors; validation comes later, where ostree does it.</summary>
    public static List<CollectionRef> Pair(string[] args)
    {
        if (args.Length < 2) throw new RepoException("At least one COLLECTION-ID REF pair must be specified");
        if (args.Length % 2 == 1) throw new RepoException("Only complete COLLECTION-ID REF pairs may be specified");
        var refs = new List<CollectionRef>();
        for (int i = 0; i < args.Length; i += 2) refs.Add(new CollectionRef(args[i], args[i + 1]));
        return refs;
    }

    /// <summary><c>ostree_validate_collection_id</c> and <c>ostree_validate_rev</c>, pair by pair.</summary>
    public static void Validate(IEnumerable<CollectionRef> refs)
    {
        foreach (var r in refs)
        {
            CollectionRefListing.ValidateCollectionId(r.CollectionId);
            RefName.Validate(r.RefName);
        }
    }
}
