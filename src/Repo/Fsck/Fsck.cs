using Arbor.Repo.Core;
using Arbor.Repo.Refs;
using Arbor.Repo.Store;
using Arbor.Repo.Traverse;

namespace Arbor.Repo.Fsck;

/// <summary>
/// <c>ostree fsck</c> (repo-format.md §9), step for step as 2022.7 runs it:
/// <list type="number">
/// <item>every ref's commit is checked and loadable (and bound to the ref, with --verify-bindings);</item>
/// <item>the same for collection refs;</item>
/// <item>every commit object is enumerated; partial ones are counted, not traversed
/// (--verify-back-refs and --add-tombstones look at each here);</item>
/// <item>every object reachable from the complete commits is verified, on all cores, and reported
/// in a stable order. A missing object marks its commits partial; a corrupt one stops the run
/// unless --all or --delete.</item>
/// </list>
/// Fatal problems throw; otherwise the <see cref="FsckResult"/> says whether the repository is healthy.
/// </summary>
public sealed class Fsck
{
    private readonly Repository _repo;
    private readonly FsckOptions _options;
    private readonly IFsckReporter _reporter;
    private readonly ContentVerifier _content;
    private bool _foundCorruption;

    private Fsck(Repository repo, FsckOptions options, IFsckReporter reporter)
    {
        _repo = repo;
        _options = options;
        _reporter = reporter;
        _content = new ContentVerifier(repo);
    }

    public static FsckResult Run(Repository repo, FsckOptions options, IFsckReporter reporter)
    {
        using var lk = TryLockShared(repo);
        return new Fsck(repo, options, reporter).Run();
    }

    private FsckResult Run()
    {
        _reporter.Phase("Validating refs...");
        // ostree_repo_list_refs' order (its hash table's), with the ref files' text as it is: a ref
        // that does not hold a checksum (garbage, empty, truncated) is a missing commit of that name
        foreach (var (refspec, text) in new RefListing(_repo).List(null).Entries)
        {
            var (_, refName) = RefName.ParseRefspec(refspec);
            if (!Checksum.TryParse(text, out var commit))
            {
                _reporter.Problem($"Object missing: {text}.commit");
                throw new RepoException($"Loading commit for ref {refName}: No such metadata object {text}.commit");
            }
            CheckRefCommit(commit, null, refName, $"ref {refName}");
        }

        _reporter.Phase("Validating refs in collections...");
        var collectionRefs = RefRoots.CollectionRefs(_repo);
        foreach (var (r, commit) in collectionRefs)
            CheckRefCommit(commit, r.CollectionId, r.RefName, $"ref {r}");

        _reporter.Phase("Enumerating commits...");
        var complete = new List<Checksum>();
        var tombstones = new List<Checksum>();
        int partial = 0, fsckPartial = 0;
        foreach (var commit in ObjectEnumerator.ListCommits(_repo).Order())
        {
            var bytes = _repo.TryLoadMetadata(new ObjectName(commit, ObjectType.Commit));
            if (bytes is null) continue; // removed while listing
            if (_options.VerifyBackRefs) RefBindings.VerifyBackRefs(_repo, commit, bytes, collectionRefs);
            if (_options.AddTombstones
                && ObjectLinks.ReadCommit(new ObjectName(commit, ObjectType.Commit), bytes, strict: false)?.Parent is { } parent
                && !_repo.HasObject(parent, ObjectType.Commit))
                tombstones.Add(commit);
            var state = CommitState.Read(_repo, commit);
            if (state.HasFlag(CommitStates.Partial))
            {
                partial++;
                if (state.HasFlag(CommitStates.FsckPartial)) fsckPartial++;
            }
            else complete.Add(commit);
        }

        _reporter.Phase($"Verifying content integrity of {complete.Count} commit objects...");
        VerifyReachable(complete);

        if (_options.AddTombstones)
        {
            if (tombstones.Count > 0) ObjectDeleter.EnableTombstones(_repo);
            foreach (var commit in tombstones)
            {
                _reporter.Info($"Adding tombstone for commit {commit}");
                ObjectDeleter.Delete(_repo, new ObjectName(commit, ObjectType.Commit));
            }
        }
        else if (partial > 0)
        {
            _reporter.Info($"{partial} partial commits not verified");
        }

        return new FsckResult
        {
            VerifiedCommits = complete.Count,
            FoundCorruption = _foundCorruption,
            PartialCommits = partial,
            FsckPartialCommits = fsckPartial,
            Tombstoned = tombstones,
        };
    }

    /// <summary>fsck_commit_for_ref: verify the commit object, load it, check its bindings.</summary>
    private void CheckRefCommit(Checksum commit, string? collectionId, string refName, string what)
    {
        var name = new ObjectName(commit, ObjectType.Commit);
        Handle(name, Check(name), commits: null);
        var bytes = _repo.TryLoadMetadata(name)
            ?? throw new ObjectNotFoundException(name, $"Loading commit for {what}: No such metadata object {commit}.commit");
        // --verify-back-refs implies --verify-bindings only after the refs are checked, as in ostree
        if (_options.VerifyBindings) RefBindings.Verify(commit, collectionId, refName, bytes);
    }

    private void VerifyReachable(IReadOnlyList<Checksum> commits)
    {
        // a first walk counts (the progress total), a second hands each object to the checks as it
        // is found: no list of the objects, only one compact set of those seen
        var counting = new Reachability(_repo, strict: false);
        foreach (var commit in commits) counting.TraverseCommit(commit, maxDepth: 0);
        int total = counting.Count;
        var walk = Reachability.Rewalk(counting);
        int done = 0;
        // who contains what is only needed to name the commits of a damaged object: traced on the
        // first failure rather than held for every object of a sound repository
        ObjectParents? parents = null;
        OrderedParallel.Run(commits.SelectMany(c => walk.EnumerateCommit(c, maxDepth: 0)), Math.Max(1, _options.Parallelism),
            Check,
            (name, failure) =>
            {
                if (failure is not null) Handle(name, failure, (parents ??= TraceParents(commits)).CommitsOf(name));
                _reporter.Progress(++done, total);
                return true;
            });
    }

    private ObjectParents TraceParents(IReadOnlyList<Checksum> commits)
    {
        var reach = new Reachability(_repo, trackParents: true, strict: false);
        foreach (var commit in commits) reach.TraverseCommit(commit, maxDepth: 0);
        return reach.Parents!;
    }

    /// <summary>ostree_repo_fsck_object: null when the object is sound; the failure otherwise.</summary>
    private RepoException? Check(ObjectName name)
    {
        try
        {
            if (name.Type == ObjectType.File) _content.Verify(name.Checksum);
            else MetadataVerifier.Verify(_repo, name);
            return null;
        }
        catch (ObjectNotFoundException e) { return e; }
        catch (CorruptObjectException e) { return e; }
    }

    /// <summary>fsck_one_object's handling of a failure: report, maybe delete, mark commits partial, or stop.</summary>
    private void Handle(ObjectName name, RepoException? failure, IReadOnlyList<Checksum>? commits)
    {
        if (failure is null) return;
        var inCommits = commits is { Count: > 0 } ? string.Join(", ", commits) : null;
        var display = $"{name.Checksum}.{name.Type.DisplayName()}";
        bool missing;
        if (failure is ObjectNotFoundException)
        {
            _reporter.Problem(inCommits is null ? $"Object missing: {display}" : $"Object missing in commits {inCommits}: {display}");
            missing = true;
        }
        else
        {
            var message = inCommits is null ? failure.Message : $"In commits {inCommits}: {failure.Message}";
            if (_options.Delete)
            {
                _reporter.Problem(message);
                TryDelete(name);
                missing = true;
            }
            else if (_options.All)
            {
                _foundCorruption = true;
                _reporter.Problem(message);
                return;
            }
            else
            {
                throw new CorruptObjectException(message);
            }
        }
        _foundCorruption = true;
        if (!missing || commits is null || name.Type == ObjectType.Commit) return;
        foreach (var commit in commits)
        {
            if (CommitState.Read(_repo, commit).HasFlag(CommitStates.Partial)) continue;
            _reporter.Problem($"Marking commit as partial: {commit}");
            CommitState.MarkFsckPartial(_repo, commit);
        }
    }

    private void TryDelete(ObjectName name)
    {
        try { ObjectDeleter.Delete(_repo, name); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RepoException)
        {
            // ostree ignores a failed delete here too: the object is already reported as corrupt
        }
    }

    /// <summary>
    /// A shared lock keeps a concurrent prune from deleting objects under fsck (ostree takes none).
    /// A repository we cannot lock (read-only, no .lock yet) is still checked.
    /// </summary>
    private static RepoLock? TryLockShared(Repository repo)
    {
        try { return repo.Lock(exclusive: false); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
