namespace Arbor.Deploy.Etc;

/// <summary>What the /etc merge will do to one path (<c>deploy --dry-run</c>, beyond ostree).</summary>
public enum EtcPlanAction
{
    /// <summary>Changed locally, default unchanged: the local version is carried over.</summary>
    KeptLocal,
    /// <summary>Not touched locally, default changed, added or removed: the new default applies.</summary>
    NewDefault,
    /// <summary>Added locally: carried over.</summary>
    Added,
    /// <summary>Deleted locally: stays deleted.</summary>
    Removed,
    /// <summary>Changed both locally and in the new defaults: the local side wins, as in ostree; worth a look.</summary>
    Conflict,
}

public sealed record EtcPlanItem(string Path, EtcPlanAction Action, string Detail)
{
    public static string Label(EtcPlanAction a) => a switch
    {
        EtcPlanAction.KeptLocal => "kept local",
        EtcPlanAction.NewDefault => "new default",
        EtcPlanAction.Added => "added",
        EtcPlanAction.Removed => "removed",
        _ => "conflict",
    };

    public override string ToString() => $"{Label(Action),-12}{Path}{(Detail.Length > 0 ? $" ({Detail})" : "")}";
}

/// <summary>
/// Predicts the merge per path without writing anything: the local changes (old defaults → old
/// /etc) against the default changes (old defaults → new defaults), with ostree's rule that a
/// local change always wins. Computes only; the deploy applies <see cref="EtcMerge"/>.
/// </summary>
public static class EtcMergePlan
{
    public static List<EtcPlanItem> Compute(EtcDiff local, string oldDefaults, string newDefaults)
    {
        var defaults = EtcDiff.Compute(oldDefaults, newDefaults);
        var dMod = defaults.Modified.ToHashSet(StringComparer.Ordinal);
        var dRem = defaults.Removed.ToHashSet(StringComparer.Ordinal);
        var dAdd = defaults.Added.ToHashSet(StringComparer.Ordinal);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var items = new List<EtcPlanItem>();

        foreach (var p in local.Modified)
        {
            touched.Add(p);
            if (dMod.Contains(p)) items.Add(new(p, EtcPlanAction.Conflict, "modified locally and in the new defaults; local version kept"));
            else if (dRem.Contains(p) || UnderAny(p, dRem)) items.Add(new(p, EtcPlanAction.Conflict, "modified locally, removed from the new defaults; local version kept"));
            else items.Add(new(p, EtcPlanAction.KeptLocal, ""));
        }
        foreach (var p in local.Removed)
        {
            touched.Add(p);
            items.Add(dMod.Contains(p)
                ? new(p, EtcPlanAction.Conflict, "removed locally, changed in the new defaults; stays removed")
                : new(p, EtcPlanAction.Removed, ""));
        }
        foreach (var p in local.Added)
        {
            touched.Add(p);
            items.Add(dAdd.Contains(p)
                ? new(p, EtcPlanAction.Conflict, "added locally and in the new defaults; local version kept")
                : new(p, EtcPlanAction.Added, ""));
        }
        var removedLocally = local.Removed.ToHashSet(StringComparer.Ordinal);
        foreach (var (set, detail) in new[] { (defaults.Modified, "updated"), (defaults.Added, "new file"), (defaults.Removed, "no longer a default") })
        {
            foreach (var p in set)
            {
                if (touched.Contains(p) || UnderAny(p, removedLocally)) continue;
                items.Add(new(p, EtcPlanAction.NewDefault, detail));
            }
        }
        items.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return items;
    }

    private static bool UnderAny(string path, HashSet<string> dirs)
    {
        for (int i = path.LastIndexOf('/'); i > 0; i = path.LastIndexOf('/', i - 1))
            if (dirs.Contains(path[..i])) return true;
        return false;
    }
}
