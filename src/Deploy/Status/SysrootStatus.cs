using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Pull;
using Arbor.Repo.Refs;
using Arbor.Repo.Remotes;
using Arbor.Repo.Signing;
using Arbor.Repo.Store;

namespace Arbor.Deploy.Status;

/// <summary>What <c>admin status</c> shows for one deployment; rendered as text or JSON by the CLI.</summary>
public sealed record DeploymentStatus
{
    public required int Index { get; init; }
    public required string Stateroot { get; init; }
    public required Checksum Commit { get; init; }
    public required int DeploySerial { get; init; }
    public required string BootChecksum { get; init; }
    public required int BootSerial { get; init; }
    public bool Booted { get; init; }
    public bool Pending { get; init; }
    public bool Rollback { get; init; }
    public bool Staged { get; init; }
    public bool Pinned { get; init; }
    public UnlockedState Unlocked { get; init; }

    /// <summary>The commit's <c>version</c> metadata (null when absent or when the commit is not in the repo).</summary>
    public string? Version { get; init; }

    /// <summary>The commit's <c>ostree.source-title</c> metadata.</summary>
    public string? SourceTitle { get; init; }

    public string? Subject { get; init; }
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>False when the deployment has no origin file.</summary>
    public bool HasOrigin { get; init; }

    /// <summary><c>origin.refspec</c>; null with an origin file means "unknown origin type".</summary>
    public string? Refspec { get; init; }

    public string? KernelArgs { get; init; }

    /// <summary>With <c>--verify</c>: the commit's GPG signatures checked with its origin remote's keyrings (empty when the remote only checks ed25519 signatures).</summary>
    public IReadOnlyList<GpgSignatureResult>? GpgSignatures { get; init; }

    /// <summary>Without <c>--verify</c>: the signatures ostree prints under the deployment (indented, no blank line)
    /// when its origin remote has gpg-verify; see <see cref="SysrootStatus.Build"/>.</summary>
    public IReadOnlyList<GpgSignatureResult>? PlainGpgSignatures { get; init; }

    /// <summary>With <c>--verify</c>: why this deployment could not be verified; ostree prints the deployments up to this one, then fails with it.</summary>
    public string? VerifyError { get; init; }

    /// <summary>The deployment directory, relative to the sysroot.</summary>
    public required string Path { get; init; }

    public string Name => SysrootLayout.DeploymentName(Commit, DeploySerial);
}

/// <summary>The typed model behind <c>admin status</c> (text) and <c>admin status --json</c>.</summary>
public sealed record SysrootStatus
{
    public required IReadOnlyList<DeploymentStatus> Deployments { get; init; }
    public required int BootVersion { get; init; }
    public required int SubBootVersion { get; init; }

    /// <summary>True when the sysroot is the running system.</summary>
    public bool IsBooted { get; init; }

    /// <param name="verify"><c>-V</c>: check each commit's GPG signatures with its origin remote's keyrings.</param>
    /// <param name="plainGpg">
    /// What ostree's status does without <c>-V</c>: when a deployment's origin remote has gpg-verify,
    /// its commit must carry GPG signatures (else the listing stops there with ostree's error), and they
    /// are checked and listed with the keyrings of the remote named like the stateroot (ostree 2022.7
    /// passes the osname), silently skipped when no such remote exists.
    /// </param>
    public static SysrootStatus Build(Sysroot sysroot, DeploymentSet set, bool verify = false, bool plainGpg = false)
    {
        Deployment? pending = null, rollback = null;
        if (set.Booted is not null) (pending, rollback) = set.QueryFor(null);
        var repo = sysroot.Repo;
        RemoteStore? remotes = null;
        var list = new List<DeploymentStatus>(set.Count);
        foreach (var d in set.Deployments)
        {
            var commit = TryLoadCommit(repo, d.Commit);
            IReadOnlyList<GpgSignatureResult>? signatures = null;
            string? verifyError = null;
            if (verify)
            {
                try { signatures = VerifyCommit(sysroot, remotes ??= RemoteStore.ForSysroot(repo, sysroot.Path), d); }
                catch (SigningException e) { verifyError = e.Message; }
                catch (RepoException e) { verifyError = e.Message; }
            }
            IReadOnlyList<GpgSignatureResult>? plain = null;
            if (!verify && plainGpg && OriginGpgVerify(remotes ??= RemoteStore.ForSysroot(repo, sysroot.Path), d))
            {
                try { plain = CommitVerifier.DescribeStoredCommitGpg(repo, remotes, d.Stateroot, d.Commit); }
                catch (SigningException e) { verifyError = e.Message; }
                catch (RepoException e) { verifyError = e.Message; }
            }
            list.Add(new DeploymentStatus
            {
                GpgSignatures = signatures,
                PlainGpgSignatures = plain,
                VerifyError = verifyError,
                Index = d.Index,
                Stateroot = d.Stateroot,
                Commit = d.Commit,
                DeploySerial = d.DeploySerial,
                BootChecksum = d.BootChecksum,
                BootSerial = d.BootSerial,
                Booted = d.SameAs(set.Booted),
                Pending = d.SameAs(pending),
                Rollback = d.SameAs(rollback),
                Staged = d.IsStaged,
                Pinned = d.IsPinned,
                Unlocked = d.Unlocked,
                Version = commit?.Version,
                SourceTitle = commit?.Metadata.GetString("ostree.source-title"),
                Subject = commit?.Subject,
                Timestamp = commit?.Date,
                HasOrigin = d.Origin is not null,
                Refspec = d.Origin?.Refspec,
                KernelArgs = d.BootConfig.Options,
                Path = d.RelativePath,
            });
            if (verifyError is not null) break;
        }
        return new SysrootStatus
        {
            Deployments = list,
            BootVersion = set.BootVersion.Version,
            SubBootVersion = set.BootVersion.SubVersion,
            IsBooted = set.RootIsBooted,
        };
    }

    /// <summary>ostree's deployment_get_gpg_verify: the origin's refspec names a remote that exists and has gpg-verify.</summary>
    private static bool OriginGpgVerify(RemoteStore remotes, Deployment d)
    {
        // an origin refspec that does not parse verifies nothing; status still lists the deployment
        var refspec = d.Origin?.Refspec;
        string? remote = null;
        return refspec is not null && Refspec.TryParse(refspec, out remote, out _)
            && remote is not null && remotes.TryGet(remote) is { GpgVerify: true };
    }

    /// <summary><c>status --verify</c> for one deployment: its origin must name a remote whose policy the commit's signatures meet.</summary>
    private static IReadOnlyList<GpgSignatureResult> VerifyCommit(Sysroot sysroot, RemoteStore remotes, Deployment d)
    {
        var refspec = d.Origin?.Refspec ?? throw new SigningException("No origin/refspec, cannot verify");
        var (remote, _) = Refspec.Parse(refspec);
        if (remote is null) throw new SigningException("Cannot verify deployment without remote");
        return CommitVerifier.VerifyStoredCommit(sysroot.Repo, remotes, remote, d.Commit);
    }

    /// <summary>The commit, or null when it is missing or unreadable: status stumbles on, as ostree's does.</summary>
    private static CommitObject? TryLoadCommit(Repository repo, Checksum commit)
    {
        try { return repo.LoadCommit(commit); }
        catch (RepoException) { return null; }
        catch (IOException) { return null; }
    }
}
