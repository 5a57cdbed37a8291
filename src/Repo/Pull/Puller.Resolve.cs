using Arbor.Repo.Config;
using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Refs;
using Arbor.Repo.Store;
using Arbor.Repo.Summary;

namespace Arbor.Repo.Pull;

public sealed partial class Puller
{
    private sealed record PullPlan(
        IReadOnlyList<(Checksum Commit, string? Ref, long MaxSize)> Commits,
        IReadOnlyList<(string? Remote, string Ref, Checksum Commit)> RefsToWrite,
        IReadOnlyList<(CollectionRef Ref, Checksum Commit)> CollectionRefsToWrite,
        byte[]? MirrorSummary,
        byte[]? MirrorSummarySig);

    /// <summary>Resolves what to pull: each requested ref to a commit, from the summary or <c>refs/heads</c> (§3.1 steps 1–4).</summary>
    private async Task<PullPlan> ResolveAsync(CancellationToken ct)
    {
        if (_options.CollectionRefs.Count > 0) return await ResolveCollectionRefsAsync(ct).ConfigureAwait(false);
        var targets = _options.Refs.Select(PullTarget.Parse).ToList();
        bool pullAll = targets.Count == 0 && (_options.Mirror || _remote is null);
        if (targets.Count == 0 && !pullAll)
        {
            var branches = _remote!.Branches;
            if (branches.Length == 0) throw new PullException($"No configured branches for remote {_remote.Name}");
            targets = branches.Select(b => new PullTarget(b, null)).ToList();
        }

        bool needRefs = pullAll || targets.Any(t => t.Ref is not null && t.Commit is null);
        SummaryFile? summary = null;
        byte[]? summaryBytes = null, sigBytes = null;
        // a remote that requires a signed summary is checked the same way over any transport
        // (http, file://, pull-local --gpg-verify-summary), as ostree does
        // with --require-static-deltas, a local source's summary says which deltas it has
        if (((!_source.IsLocal || _options.RequireStaticDeltas) && needRefs) || _verifier.VerifiesSummary)
        {
            var where = _source.Describe(RepoLayout.Summary);
            if (_remote is not null && !_source.IsLocal)
            {
                (summaryBytes, sigBytes) = await SummaryCache.For(_repo, _remote.Name, _options.CacheDir)
                    .FetchAsync(_source, (s, g) => _verifier.VerifySummary(s, g, where), retryStale: true, ct).ConfigureAwait(false);
            }
            else
            {
                sigBytes = await _source.FetchFileAsync(RepoLayout.SummarySig, optional: true, ObjectFormats.MaxMetadataSize, ct).ConfigureAwait(false);
                summaryBytes = await _source.FetchFileAsync(RepoLayout.Summary, optional: true, long.MaxValue / 2, ct).ConfigureAwait(false);
                _verifier.VerifySummary(summaryBytes, sigBytes, where);
            }
            if (summaryBytes is not null) summary = SummaryReader.Parse(summaryBytes, _source.Describe(RepoLayout.Summary));
        }
        if (!_source.IsLocal) await CheckRemoteModeAsync(summary, ct).ConfigureAwait(false);
        await PrepareDeltasAsync(summary, ct).ConfigureAwait(false);

        if (pullAll)
        {
            if (_source is LocalPullSource local && summary is null)
            {
                targets = local.Source.Refs.ListHeads().Select(kv => new PullTarget(kv.Key, kv.Value)).ToList();
            }
            else
            {
                if (summary is null)
                    throw new PullException($"Fetching all refs was requested in mirror mode, but remote repository does not have a summary ({_source.Describe(RepoLayout.Summary)})");
                targets = summary.Refs.Select(r => new PullTarget(r.Name, null)).ToList();
            }
        }

        var commits = new List<(Checksum, string?, long)>();
        var refs = new List<(string?, string, Checksum)>();
        foreach (var t in targets)
        {
            long maxSize = ObjectFormats.MaxMetadataSize;
            Checksum commit;
            if (t.Commit is { } pinned) commit = pinned;
            else
            {
                var name = t.Ref!;
                if (_source is LocalPullSource local && summary is null)
                {
                    commit = local.Source.Refs.TryRead(null, name)
                        ?? throw new PullException($"Refspec '{name}' not found");
                }
                else if (summary is not null)
                {
                    var entry = summary.FindRef(name)
                        ?? throw new PullException($"No such branch '{name}' in repository summary ({_source.Describe(RepoLayout.Summary)})");
                    commit = entry.Commit;
                    if (entry.CommitSize > 0) maxSize = (long)Math.Min(entry.CommitSize, (ulong)ObjectFormats.MaxMetadataSize);
                }
                else
                {
                    commit = await FetchRefAsync(name, ct).ConfigureAwait(false);
                }
            }
            commits.Add((commit, t.Ref, maxSize));
            if (t.Ref is not null) refs.Add((_refRemote, t.Ref, commit));
        }
        var distinct = commits.GroupBy(c => c.Item1).Select(g => g.First()).ToList();
        bool copySummary = _options.Mirror && pullAll && summaryBytes is not null && !_options.DryRun;
        return new PullPlan(distinct, refs, [], copySummary ? summaryBytes : null, copySummary ? sigBytes : null);
    }

    private async Task<Checksum> FetchRefAsync(string name, CancellationToken ct)
    {
        var rel = RepoLayout.HeadRefPath(name);
        var bytes = await _source.FetchFileAsync(rel, optional: true, 1024, ct).ConfigureAwait(false)
            ?? throw new PullException($"Server returned HTTP 404 for {_source.Describe(rel)}: no ref '{name}' (and no summary)");
        // g_strchomp, then ostree_validate_checksum_string's messages
        var text = System.Text.Encoding.UTF8.GetString(bytes).TrimEnd(' ', '\t', '\n', '\r', '\f', '\v');
        try { return RevParser.ParseChecksum(text); }
        catch (RepoException e) { throw new PullException($"Fetching checksum for ref ((empty), {name}): {e.Message}"); }
    }

    /// <summary>The remote must be an archive repository (from the summary's mode, else its <c>config</c>).</summary>
    private async Task CheckRemoteModeAsync(SummaryFile? summary, CancellationToken ct)
    {
        var mode = summary?.Mode;
        if (mode is null)
        {
            var config = await _source.FetchFileAsync(RepoLayout.Config, optional: true, 1024 * 1024, ct).ConfigureAwait(false);
            if (config is null) return; // an old or minimal server; objects are verified anyway
            try
            {
                var kf = KeyFile.Parse(System.Text.Encoding.UTF8.GetString(config));
                mode = kf.GetString("core", "mode") ?? "bare";
            }
            catch (FormatException e)
            {
                throw new PullException($"Invalid remote config {_source.Describe(RepoLayout.Config)}: {e.Message}");
            }
        }
        if (!RepoModes.TryParse(mode, out var m) || m != RepoMode.Archive)
            throw new PullException($"Can't pull from archives with mode \"{mode}\"");
    }
}
