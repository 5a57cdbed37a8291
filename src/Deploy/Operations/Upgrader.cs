using Arbor.Repo.Core;
using Arbor.Repo.Pull;
using Arbor.Repo.Refs;
using Arbor.Repo.Remotes;

namespace Arbor.Deploy.Operations;

/// <summary>What an upgrader pull found: the source (its ref followed through an end-of-life rebase), the commit to deploy, and whether it is new.</summary>
public sealed record UpgradePullOutcome(UpgradeSource Source, Checksum NewRevision, bool Changed);

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
    /// <summary>
    /// The merge deployment of <paramref name="stateroot"/> (else the booted one's) and the origin to deploy with, or ostree's
    /// errors. For an upgrade (no <paramref name="newRefspec"/>) that is the merge deployment's origin without its transient
    /// state (the <c>libostree-transient</c> group, <c>override-commit</c>, <c>unlocked</c>), as <c>ostree admin upgrade</c>
    /// strips it; for a switch a new origin holding only the new refspec, as ostree's switch makes it.
    /// </summary>
    public static UpgradeSource Source(Sysroot sysroot, DeploymentSet set, string? stateroot, string? newRefspec = null)
    {
        if (set.Booted is null && stateroot is null)
            throw new DeployException("Not currently booted into an OSTree system and no OS specified");
        var os = SysrootLayout.CheckName(stateroot ?? set.Booted!.Stateroot, "stateroot");
        var merge = set.MergeDeployment(os) ?? throw new DeployException($"No previous deployment for OS '{os}'");
        var current = merge.Origin ?? throw new DeployException($"No origin known for deployment {merge.Name}");
        // the upgrader reads the merge deployment's origin first, for a switch too (which only lets an unconfigured state pass)
        if (newRefspec is null && current.UnconfiguredState is { } unconfigured) throw new DeployException($"origin unconfigured-state: {unconfigured}");
        if (current.Refspec is null) throw new DeployException("No origin/refspec in current deployment origin; cannot upgrade via ostree");
        if (current.OverrideCommit is { } pinned) RevParser.ParseChecksum(pinned);
        OriginFile origin;
        if (newRefspec is not null)
        {
            var (newRemote, newRef) = ParseSwitchTarget(current.Refspec, newRefspec);
            var combined = newRemote is null ? newRef : $"{newRemote}:{newRef}";
            if (combined == current.Refspec) throw new DeployException($"Old and new refs are equal: {combined}");
            origin = OriginFile.FromRefspec(combined);
        }
        else origin = current.WithoutTransientState();
        var refspec = origin.Refspec!;
        var (remote, name) = Refspec.Parse(refspec);
        return new UpgradeSource(os, merge, origin, remote, name);
    }

    /// <summary>
    /// switch's rule: <c>REMOTE:REF</c> replaces both, a bare <c>REF</c> keeps the current remote, and <c>REMOTE:</c>
    /// keeps the current ref on another remote.
    /// </summary>
    private static (string? Remote, string Ref) ParseSwitchTarget(string current, string target)
    {
        var (currentRemote, currentRef) = RefName.ParseRefspec(current);
        if (target.EndsWith(':'))
            return (target[..^1], currentRef);
        var (remote, name) = RefName.ParseRefspec(target);
        if (target.Contains(':')) return (remote, name);
        return (currentRemote, name);
    }

    /// <summary>
    /// Pulls the origin's ref from its remote (nothing to pull for a local ref); with <paramref name="dryRun"/>, stores nothing.
    /// <paramref name="progress"/> is told how far the pull is, as <c>pull</c>'s is. Used by <c>upgrade --check</c>.
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
    /// ostree_sysroot_upgrader_pull: pulls the origin's override-commit, else its ref, from the origin's remote (not with
    /// <paramref name="deployOnly"/>, nor for a local ref), refusing an older commit than the merge deployment's unless
    /// <paramref name="allowOlder"/>; follows the commit's <c>ostree.endoflife-rebase</c> to another ref (pulled too, and
    /// written into the origin); an override-commit moves the ref to it. The outcome holds the commit to deploy, whether it
    /// differs from the merge deployment's, and the source with the ref followed.
    /// </summary>
    public static async Task<UpgradePullOutcome> PullForDeployAsync(Sysroot sysroot, UpgradeSource source, bool allowOlder, bool deployOnly,
        CancellationToken ct = default, IProgress<Arbor.Repo.Progress.ProgressEvent>? progress = null)
    {
        var repo = sysroot.Repo;
        var overrideCommit = source.Origin.OverrideCommit;
        var from = source.Merge.Commit;
        bool pulls = source.Remote is not null && !deployOnly;
        var remotes = RemoteStore.ForSysroot(repo, sysroot.Path);
        if (pulls)
        {
            var options = new PullOptions
            {
                Refs = [overrideCommit ?? source.Ref],
                TimestampCheckFromRev = allowOlder ? null : from.ToString(),
                Progress = progress,
            };
            await Puller.PullAsync(repo, remotes, source.Remote!, options, ct).ConfigureAwait(false);
        }

        var head = RevParser.Resolve(repo, source.Refspec);
        if (repo.LoadCommit(head).Metadata.GetString(EndOfLifeRebaseKey) is { } rebase)
        {
            if (pulls)
                await Puller.PullAsync(repo, remotes, source.Remote!,
                    new PullOptions { Refs = [rebase], Progress = progress }, ct).ConfigureAwait(false);
            source = source with { Ref = rebase };
            source.Origin.Refspec = source.Refspec;
        }

        Checksum target;
        if (overrideCommit is not null)
        {
            target = RevParser.Resolve(repo, overrideCommit);
            repo.Refs.Write(source.Remote, source.Ref, target);
        }
        else target = RevParser.Resolve(repo, source.Refspec);

        bool changed = target != from;
        if (changed && !allowOlder) CheckTimestamps(sysroot, from, target);
        return new UpgradePullOutcome(source, target, changed);
    }

    /// <summary>The commit metadata key that ends a ref's life and names the ref to follow instead.</summary>
    public const string EndOfLifeRebaseKey = "ostree.endoflife-rebase";

    private static void CheckTimestamps(Sysroot sysroot, Checksum from, Checksum to)
    {
        if (!sysroot.Repo.HasObject(new ObjectName(from, ObjectType.Commit))) return;
        var old = sysroot.Repo.LoadCommit(from);
        var neu = sysroot.Repo.LoadCommit(to);
        if (neu.Timestamp < old.Timestamp)
            throw new DeployException($"Upgrade target revision '{to}' with timestamp '{CLocaleTime.Format(neu.Date.ToUniversalTime())}' is chronologically older than current revision '{from}' with timestamp '{CLocaleTime.Format(old.Date.ToUniversalTime())}'; use --allow-downgrade to permit");
    }
}
