namespace Arbor.Deploy;

/// <summary>
/// A sysroot's deployments in boot order (index 0 = default), with the booted and staged ones
/// and the boot version they were read from (sysroot.md §2).
/// </summary>
public sealed class DeploymentSet
{
    public DeploymentSet(BootLoader.BootVersion bootVersion, IReadOnlyList<Deployment> deployments, Deployment? booted, Deployment? staged, bool rootIsBooted,
        Staged.StagedDeploymentFile? stagedState = null)
    {
        StagedState = stagedState;
        BootVersion = bootVersion;
        Deployments = deployments;
        Booted = booted;
        Staged = staged;
        RootIsBooted = rootIsBooted;
    }

    public BootLoader.BootVersion BootVersion { get; }
    public IReadOnlyList<Deployment> Deployments { get; }

    /// <summary>The deployment "/" is, when the sysroot is the running system.</summary>
    public Deployment? Booted { get; }

    /// <summary>A deployment to be finalized at shutdown (always index 0).</summary>
    public Deployment? Staged { get; }

    /// <summary>The state <see cref="Staged"/> was read from (its merge deployment, kernel arguments, overlay initrds).</summary>
    public Staged.StagedDeploymentFile? StagedState { get; }

    /// <summary>The run directory says ostree booted and the sysroot is "/".</summary>
    public bool RootIsBooted { get; }

    public int Count => Deployments.Count;
    public Deployment this[int index] => Deployments[index];

    /// <summary>The deployments written in the boot loader configuration (everything but the staged one).</summary>
    public IEnumerable<Deployment> NonStaged => Deployments.Where(d => !d.IsStaged);

    public int IndexOf(Deployment d)
    {
        for (int i = 0; i < Deployments.Count; i++) if (Deployments[i].SameAs(d)) return i;
        return -1;
    }

    /// <summary>
    /// The first deployment of the stateroot before the booted one (pending) and the first after
    /// it (rollback); <paramref name="stateroot"/> defaults to the booted deployment's.
    /// </summary>
    public (Deployment? Pending, Deployment? Rollback) QueryFor(string? stateroot)
    {
        stateroot ??= Booted?.Stateroot ?? throw new InvalidOperationException("no stateroot and no booted deployment");
        Deployment? pending = null, rollback = null;
        bool foundBooted = false;
        foreach (var d in Deployments)
        {
            if (d.Stateroot != stateroot) continue;
            if (d.SameAs(Booted)) { foundBooted = true; continue; }
            if (!foundBooted) pending ??= d;
            else rollback ??= d;
        }
        return (pending, rollback);
    }

    /// <summary>The configuration source for a new deployment: the booted one if it is of this stateroot, else its first.</summary>
    public Deployment? MergeDeployment(string? stateroot)
    {
        stateroot ??= Booted?.Stateroot ?? throw new InvalidOperationException("no stateroot and no booted deployment");
        if (Booted is not null && Booted.Stateroot == stateroot) return Booted;
        return QueryFor(stateroot).Pending;
    }

    /// <summary>The deployment at an index, with ostree's errors for a bad one.</summary>
    public Deployment At(int index)
    {
        if (index < 0) throw new DeployException($"Invalid index {index}");
        if (index >= Count) throw new DeployException($"Out of range deployment index {index}, expected < {Count}");
        return Deployments[index];
    }
}
