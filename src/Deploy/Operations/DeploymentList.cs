namespace Arbor.Deploy.Operations;

/// <summary>Pure edits of a deployment list; the operations hand the result to <see cref="WriteDeployments"/>.</summary>
public static class DeploymentList
{
    /// <summary><c>undeploy INDEX</c>: the list without that deployment (never the booted one).</summary>
    public static List<Deployment> Remove(DeploymentSet set, int index)
    {
        var target = set.At(index);
        if (target.SameAs(set.Booted)) throw new DeployException($"Cannot undeploy currently booted deployment {index}");
        var list = set.Deployments.ToList();
        list.RemoveAt(index);
        return list;
    }

    /// <summary><c>set-default INDEX</c>: that deployment first, the others in their order.</summary>
    public static List<Deployment> MoveToFront(DeploymentSet set, int index)
    {
        var target = set.At(index);
        var list = set.Deployments.Where(d => !d.IsStaged || d.SameAs(target)).ToList();
        list.Remove(target);
        list.Insert(0, target);
        return list;
    }

    /// <summary>
    /// <c>rollback</c>, as <c>rpm-ostree rollback</c>: the deployment that was in use before the
    /// current one becomes the default. Booted: the rollback deployment (the first of the booted
    /// stateroot after it) goes first, followed by the booted one; with no rollback but a pending
    /// deployment, the booted one goes back to the front (cancelling the pending update). Not
    /// booted: the default deployment plays the booted one's part.
    /// </summary>
    public static List<Deployment> Rollback(DeploymentSet set)
    {
        if (set.Count == 0) throw new DeployException("No deployments found");
        var current = set.Booted ?? set[0];
        Deployment? pending = null, rollback = null;
        bool passed = false;
        // a staged deployment is a pending one too: rolling back discards it
        foreach (var d in set.Deployments)
        {
            if (d.Stateroot != current.Stateroot) continue;
            if (d.SameAs(current)) { passed = true; continue; }
            if (!passed) pending ??= d; else rollback ??= d;
        }
        if (rollback is null && pending is null) throw new DeployException("No rollback deployment found");
        var first = rollback ?? current;
        var list = new List<Deployment> { first };
        if (!current.SameAs(first)) list.Add(current);
        list.AddRange(set.Deployments.Where(d => !d.IsStaged && !d.SameAs(first) && !d.SameAs(current)));
        return list;
    }

    /// <summary>
    /// Where a new deployment goes and which current ones stay (ostree_sysroot_simple_write_deployment,
    /// sysroot.md §7.1): kept are pinned deployments, other stateroots, the booted and merge
    /// deployments, and pending/rollback ones when asked to retain them (all of them with --retain).
    /// </summary>
    public static List<Deployment> AddDeployment(DeploymentSet set, string? stateroot, Deployment added, Deployment? merge,
        bool retain = false, bool retainPending = false, bool retainRollback = false, bool notAsDefault = false)
    {
        var booted = set.Booted;
        stateroot ??= booted?.Stateroot;
        var list = new List<Deployment>();
        bool addedNew = false;
        if (!notAsDefault) { list.Add(added); addedNew = true; }
        if (booted is null && merge is null && (retainPending || retainRollback)) retain = true;

        bool beforeBooted = true, beforeMerge = true;
        foreach (var d in set.Deployments)
        {
            // a staged deployment is never carried over: writing the list discards it
            if (d.IsStaged) continue;
            bool staterootMatches = stateroot is null || d.Stateroot == stateroot;
            bool isBooted = d.SameAs(booted), isMerge = d.SameAs(merge);
            if (isBooted) beforeBooted = false;
            if (isMerge) beforeMerge = false;
            bool passedCrossover = booted is not null ? !beforeBooted : !beforeMerge;
            if (retain || d.IsPinned || !staterootMatches || (retainPending && !passedCrossover) || isBooted || isMerge
                || (retainRollback && passedCrossover))
                list.Add(d);
            if (!addedNew && passedCrossover)
            {
                list.Add(added);
                addedNew = true;
            }
        }
        if (!addedNew) list.Add(added);
        return list;
    }
}
