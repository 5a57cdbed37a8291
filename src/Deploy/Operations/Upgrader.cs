using Arbor.Repo.Core;
using Arbor.Repo.Pull;
using Arbor.Repo.Refs;
using Arbor.Repo.Remotes;

namespace Arbor.Deploy.Operations;

/// <summary>The deployment an upgrade or switch starts from and what its origin tracks.</summary>
public sealed record UpgradeSource(string Stateroot, Deployment Merge, OriginFile Origin, string? Remote, string Ref)
{
    /// <summary>The refspec as the repo knows it after a pull: <c>REMOTE:REF</c> or a local <c>REF</c>.</summary>
    public string Refspec => Remote is null ? Ref : $"{Remote}:{Ref}";
}

/// <summary>
/// ostree's sysroot upgrader (admin upgrade, admin switch): the merge deployment's origin names a
/// refspec; pull it from its remote into the system repo (remotes as the sysroot defines them:
/// the repo config plus <c>SYSROOT/etc/ostree/remotes.d</c>), then deploy the new commit with the
/// origin carried over, unless it is the commit already deployed.
/// </summary>
public static class Upgrader
{
    /// <summary>The merge deployment of <paramref name="stateroot"/> (else the booted one's) and its origin, or ostree's errors.</summary>
    public static UpgradeSource Source(Sysroot sysroot, DeploymentSet set, string? stateroot, string? newRefspec = null)
    {
        if (set.Booted is null && stateroot is null)
            throw new DeployException("Not currently booted into an OSTree system and no OS specified");
        var os = SysrootLayout.CheckName(stateroot ?? set.Booted!.Stateroot, "stateroot");
        var merge = set.MergeDeployment(os) ?? throw new DeployException($"No previous deployment for OS '{os}'");
        var origin = (merge.Origin ?? throw new DeployException($"No origin known for deployment {merge.Name}")).WithoutTransientState();
        if (origin.UnconfiguredState is { } unconfigured) throw new DeployException($"origin unconfigured-state: {unconfigured}");
        if (newRefspec is not null)
        {
            var (newRemote, newRef) = ParseSwitchTarget(origin.Refspec, newRefspec);
            var combined = newRemote is null ? newRef : $"{newRemote}:{newRef}";
            if (combined == origin.Refspec) throw new DeployException($"Old and new refs are equal: {combined}");
            origin.Refspec = combined;
            origin.OverrideCommit = null;
        }
        var refspec = origin.Refspec ?? throw new DeployException("No origin/refspec in current deployment origin; cannot upgrade via ostree");
        var (remote, name) = Refspec.Parse(refspec);
        return new UpgradeSource(os, merge, origin, remote, name);
    }

    /// <summary>switch's rule: <c>REMOTE:REF</c> replaces both, a bare <c>REF</c> keeps the current remote.</summary>
    private static (string? Remote, string Ref) ParseSwitchTarget(string? current, string target)
    {
        var (remote, name) = RefName.ParseRefspec(target);
        if (target.Contains(':')) return (remote, name);
        string? currentRemote = current is null ? null : RefName.ParseRefspec(current).Remote;
        return (currentRemote, name);
    }

    /// <summary>
    /// Pulls the origin's ref from its remote (nothing to pull for a local ref); with <paramref name="dryRun"/>, stores nothing.
    /// <paramref name="progress"/> is told how far the pull is, as <c>pull</c>'s is.
    /// </summary>
    public static async Task<PullResult?> PullAsync(Sysroot sysroot, UpgradeSource source, bool dryRun, CancellationToken ct = default,
        IProgress<Arbor.Repo.Progress.ProgressEvent>? progress = null)
    {
        if (source.Remote is null) return null;
        var repo = sysroot.Repo;
        var options = new PullOptions { Refs = [source.Ref], DryRun = dryRun, Progress = progress };
        return await Puller.PullAsync(repo, RemoteStore.ForSysroot(repo, sysroot.Path), source.Remote, options, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The commit to deploy: the origin's override-commit, else the refspec as the repo resolves it.
    /// Null when it is the merge deployment's commit. An older commit is refused unless allowed.
    /// </summary>
    public static Checksum? NewRevision(Sysroot sysroot, UpgradeSource source, bool allowDowngrade, string? overrideCommit = null)
    {
        var target = overrideCommit ?? source.Origin.OverrideCommit;
        var commit = target is not null ? RevParser.Resolve(sysroot.Repo, target) : RevParser.Resolve(sysroot.Repo, source.Refspec);
        if (commit == source.Merge.Commit) return null;
        if (!allowDowngrade) CheckTimestamps(sysroot, source.Merge.Commit, commit);
        return commit;
    }

    private static void CheckTimestamps(Sysroot sysroot, Checksum from, Checksum to)
    {
        if (!sysroot.Repo.HasObject(new ObjectName(from, ObjectType.Commit))) return;
        var old = sysroot.Repo.LoadCommit(from);
        var neu = sysroot.Repo.LoadCommit(to);
        if (neu.Timestamp < old.Timestamp)
            throw new DeployException($"Upgrade target revision '{to}' with timestamp '{CLocaleTime.Format(neu.Date.ToUniversalTime())}' is chronologically older than current revision '{from}' with timestamp '{CLocaleTime.Format(old.Date.ToUniversalTime())}'; use --allow-downgrade to permit");
    }
}
