using Arbor.Repo.Core;
using Arbor.Repo.Progress;
using Arbor.Repo.Native;
using Arbor.Repo.Refs;
using Arbor.Repo.Store;
using Arbor.Repo.Traverse;

namespace Arbor.Repo.Prune;

/// <summary>
/// <c>ostree prune</c>: delete the loose objects no root reaches, under the exclusive repository lock.
/// <list type="bullet">
/// <item>Roots are every commit (default), or with <see cref="PruneOptions.RefsOnly"/> the refs
/// (local, remote, collection and mirror refs, deployment refs <c>ostree/B/S/I</c> included) and any
/// <see cref="PruneOptions.AdditionalRoots"/>; history is followed to <see cref="PruneOptions.Depth"/>.</item>
/// <item>--keep-younger-than, --retain-branch-depth and --only-branch switch to ostree's per-ref rules.</item>
/// <item>Deleting a commit removes its detached metadata and its commitpartial marker, and leaves a
/// tombstone when <c>core.tombstone-commits</c> is set. Static deltas to commits that are gone and
/// cached summaries of unknown remotes go too, as in ostree.</item>
/// </list>
/// Deployment code calls <see cref="ReachableFromRefs"/> plus its own roots, then
/// <see cref="FromReachable"/> (what <c>ostree admin cleanup</c> does), or simply <see cref="Run"/>
/// with RefsOnly and Depth 0.
/// </summary>
public static class Prune
{
    public static PruneResult Run(Repository repo, PruneOptions options)
    {
        using var lk = repo.Lock(exclusive: true);
        if (options.DeleteCommit is { } doomed)
        {
            if (options.NoPrune) throw new RepoException("Cannot specify both --delete-commit and --no-prune");
            if (options.StaticDeltasOnly)
            {
                if (Checksum.TryParse(doomed, out var target)) StaticDeltaPruner.Prune(repo, target);
            }
            else DeleteCommit(repo, doomed);
        }
        else if (options.StaticDeltasOnly)
        {
            throw new RepoException("--static-deltas-only requires --delete-commit; see https://github.com/ostreedev/ostree/issues/1479");
        }
        var reachable = Reachable(repo, options);
        var result = PruneUnreachable(repo, reachable, options.NoPrune, options.CommitOnly, options.Progress);
        // dead transactions' staging directories and expired tmp/ entries go too
        if (!options.NoPrune) TmpDirectory.Clean(repo);
        return result;
    }

    /// <summary>Everything the refs (and collection refs) reach within <paramref name="depth"/> parents.</summary>
    public static Reachability ReachableFromRefs(Repository repo, int depth, bool commitOnly = false)
    {
        var reach = new Reachability(repo, commitOnly: commitOnly);
        foreach (var commit in RefRoots.AllRefs(repo).Values) reach.TraverseCommit(commit, depth);
        foreach (var (_, commit) in RefRoots.CollectionRefs(repo)) reach.TraverseCommit(commit, depth);
        return reach;
    }

    /// <summary>Deletes every loose object <paramref name="reachable"/> does not contain (ostree_repo_prune_from_reachable).</summary>
    public static PruneResult FromReachable(Repository repo, Reachability reachable, bool noPrune = false)
    {
        using var lk = repo.Lock(exclusive: true);
        return PruneUnreachable(repo, reachable, noPrune, reachable.CommitOnly);
    }

    private static Reachability Reachable(Repository repo, PruneOptions options)
    {
        Reachability reach;
        if (!options.UsesPerRefRules)
        {
            if (options.RefsOnly) reach = ReachableFromRefs(repo, options.Depth, options.CommitOnly);
            else
            {
                reach = new Reachability(repo, commitOnly: options.CommitOnly);
                foreach (var o in LooseObjects.List(repo, commitsOnly: true)) reach.TraverseCommit(o.Name.Checksum, options.Depth);
            }
        }
        else
        {
            reach = new Reachability(repo, commitOnly: options.CommitOnly);
            PerRefRules(repo, options, reach);
        }
        foreach (var root in options.AdditionalRoots) reach.TraverseCommit(root, options.Depth);
        return reach;
    }

    /// <summary>The newer per-ref traversal: refs only (not collection refs, as in ostree), each with its own depth or age limit.</summary>
    private static void PerRefRules(Repository repo, PruneOptions options, Reachability reach)
    {
        var refs = RefRoots.AllRefs(repo);
        var depths = new Dictionary<string, int>(options.RetainBranchDepth, StringComparer.Ordinal);
        if (options.OnlyBranches.Count > 0)
        {
            foreach (var branch in options.OnlyBranches) RevParser.Resolve(repo, branch);
            var only = options.OnlyBranches.ToHashSet(StringComparer.Ordinal);
            foreach (var name in refs.Keys)
                if (!only.Contains(name)) depths.TryAdd(name, -1);
        }
        foreach (var (name, commit) in refs)
        {
            // ostree stores depths as hash-table pointers, so a depth of 0 reads back as "none given"
            // and the ref falls through to the other rules; kept as is for identical results
            if (depths.TryGetValue(name, out int depth) && depth != 0) reach.TraverseCommit(commit, depth);
            else if (options.KeepYoungerThan is { } date) KeepYoungerThan(repo, reach, commit, date.ToUnixTimeSeconds());
            else reach.TraverseCommit(commit, options.Depth);
        }
    }

    /// <summary>The ref's commit, then its ancestors while they are at least as recent as <paramref name="seconds"/>.</summary>
    private static void KeepYoungerThan(Repository repo, Reachability reach, Checksum head, long seconds)
    {
        reach.TraverseCommit(head, 0);
        Checksum? next = head;
        while (next is { } c)
        {
            var name = new ObjectName(c, ObjectType.Commit);
            var bytes = repo.TryLoadMetadata(name);
            if (bytes is null) return;
            var links = ObjectLinks.ReadCommit(name, bytes, strict: true)!.Value;
            if (seconds > 0 && links.Timestamp < (ulong)seconds) return;
            reach.TraverseCommit(c, 0);
            next = links.Parent;
        }
    }

    /// <summary>--delete-commit: refused while any ref points at it; turns tombstones on, then deletes it.</summary>
    private static void DeleteCommit(Repository repo, string commit)
    {
        foreach (var (name, target) in RefRoots.AllRefs(repo))
            if (target.ToString() == commit) throw new RepoException($"Commit '{commit}' is referenced by '{name}'");
        foreach (var (r, target) in RefRoots.CollectionRefs(repo))
            if (target.ToString() == commit) throw new RepoException($"Commit '{commit}' is referenced by ({r.CollectionId}, {r.RefName})");
        ObjectDeleter.EnableTombstones(repo);
        if (!Checksum.TryParse(commit, out var checksum))
        {
            // never build a path from an arbitrary string; ostree fails here with the same words
            var loose = commit.Length > 2 ? $"{commit[..2]}/{commit[2..]}.commit" : $"{commit}.commit";
            throw new RepoException($"Deleting object {commit}.commit: unlinkat({loose}): No such file or directory");
        }
        ObjectDeleter.Delete(repo, new ObjectName(checksum, ObjectType.Commit));
    }

    private static PruneResult PruneUnreachable(Repository repo, Reachability reachable, bool noPrune, bool commitOnly,
        IProgress<PruneResult>? progress = null)
    {
        int total = 0, pruned = 0;
        ulong freed = 0;
        ulong payloadThreshold = PayloadLinkThreshold(repo);
        var gate = new ProgressGate();
        foreach (var o in LooseObjects.List(repo, commitOnly))
        {
            total++;
            if (progress is not null && gate.IsDue()) progress.Report(new PruneResult(total, pruned, freed));
            if (!o.IsPayloadLink && reachable.Contains(o.Name)) continue;
            var path = repo.FullPath(o.RelativePath(repo.Mode));
            var st = Files.TryLStat(path)
                ?? throw new RepoException($"Querying object {o.Name.Checksum}.{(o.IsPayloadLink ? "payload-link" : o.Name.Type.DisplayName())}: No such file or directory");
            freed += (ulong)st.Size;
            if (!noPrune)
            {
                if (o.IsPayloadLink)
                {
                    if (PayloadTargetKept(repo, reachable, o.Name.Checksum, payloadThreshold)) continue;
                    File.Delete(path);
                }
                else
                {
                    if (o.Name.Type == ObjectType.Commit) CommitState.Clear(repo, o.Name.Checksum);
                    ObjectDeleter.Delete(repo, o.Name);
                }
            }
            pruned++;
        }
        StaticDeltaPruner.Prune(repo, null);
        PruneSummaryCache(repo);
        return new PruneResult(total, pruned, freed);
    }

    /// <summary><c>core.payload-link-threshold</c>; -1 (the default) means no payload link is ever kept.</summary>
    private static ulong PayloadLinkThreshold(Repository repo) => repo.Config.PayloadLinkThreshold;

    /// <summary>A payload link survives while its target file object is kept and at least the threshold in size.</summary>
    private static bool PayloadTargetKept(Repository repo, Reachability reachable, Checksum link, ulong threshold)
    {
        var linkPath = repo.FullPath($"{RepoLayout.Objects}/{link.DirectoryPrefix}/{link.ToString()[2..]}.payload-link");
        string target;
        try { target = Files.ReadLink(linkPath); }
        catch (NativeIOException) { return false; }
        // "../XX/REST.file": the checksum is the two-character directory plus the name before the dot
        var parts = target.Split('/');
        if (parts.Length < 2) return false;
        var file = parts[^1];
        int dot = file.IndexOf('.');
        if (dot < 0 || !Checksum.TryParse(parts[^2] + file[..dot], out var targetChecksum)) return false;
        var targetName = new ObjectName(targetChecksum, ObjectType.File);
        if (!reachable.Contains(targetName)) return false;
        var st = Files.TryLStat(repo.ObjectPath(targetName));
        return st is not null && (ulong)st.Value.Size >= threshold;
    }

    /// <summary>Cached summaries (<c>tmp/cache/summaries/REMOTE[.sig]</c>) of remotes no longer configured.</summary>
    private static void PruneSummaryCache(Repository repo)
    {
        var dir = repo.FullPath(RepoLayout.SummaryCache);
        if (!Directory.Exists(dir)) return;
        var remotes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in repo.Config.KeyFile.GroupNames)
            if (group.StartsWith("remote \"", StringComparison.Ordinal) && group.EndsWith('"') && group.Length > 9)
                remotes.Add(group[8..^1]);
        foreach (var entry in Directory.EnumerateFiles(dir).ToList())
        {
            var name = Path.GetFileName(entry);
            var remote = name.Length > 4 && name.EndsWith(".sig", StringComparison.Ordinal) ? name[..^4] : name;
            if (!remotes.Contains(remote)) File.Delete(entry);
        }
    }
}
