using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Refs;
using Arbor.Repo.Store;
using Arbor.Repo.Summary;

namespace Arbor.Repo.Pull;

public sealed partial class Puller
{
    /// <summary>
    /// Resolves <see cref="PullOptions.CollectionRefs"/> as ostree 2022.7 does: a pinned commit as given;
    /// otherwise from the source's summary when it has one (the main refs for its own collection, else its
    /// collection map), whether the source is local or not; without a summary, from a local source's
    /// collection–refs, or a remote's <c>refs/mirrors/COLLECTION/REF</c>.
    /// </summary>
    private async Task<PullPlan> ResolveCollectionRefsAsync(CancellationToken ct)
    {
        SummaryFile? summary = null;
        if (_options.CollectionRefs.Any(r => r.Commit is null) || _verifier.VerifiesSummary)
        {
            var sig = await _source.FetchFileAsync(RepoLayout.SummarySig, optional: true, ObjectFormats.MaxMetadataSize, ct).ConfigureAwait(false);
            var bytes = await _source.FetchFileAsync(RepoLayout.Summary, optional: true, long.MaxValue / 2, ct).ConfigureAwait(false);
            _verifier.VerifySummary(bytes, sig, _source.Describe(RepoLayout.Summary));
            if (bytes is not null) summary = SummaryReader.Parse(bytes, _source.Describe(RepoLayout.Summary));
        }
        if (!_source.IsLocal) await CheckRemoteModeAsync(summary, ct).ConfigureAwait(false);
        await PrepareDeltasAsync(summary, ct).ConfigureAwait(false);

        var commits = new List<(Checksum, string?, long)>();
        var refs = new List<(CollectionRef, Checksum)>();
        foreach (var target in _options.CollectionRefs)
        {
            var cref = target.Ref;
            long maxSize = ObjectFormats.MaxMetadataSize;
            Checksum commit;
            if (target.Commit is { } pinned) commit = pinned;
            else if (summary is not null)
            {
                var entry = FindInSummary(summary, cref)
                    ?? throw new PullException($"No such branch ({cref.CollectionId}, {cref.RefName}) in repository summary");
                commit = entry.Commit;
                if (entry.CommitSize > 0) maxSize = (long)Math.Min(entry.CommitSize, (ulong)ObjectFormats.MaxMetadataSize);
            }
            else if (_source is LocalPullSource local)
            {
                CollectionRefListing.List(local.Source, cref.CollectionId).TryGetValue(cref, out var found);
                if (found is null || !Checksum.TryParse(found, out commit))
                    throw new PullException($"Collection–ref ({cref.CollectionId}, {cref.RefName}) not found");
            }
            else commit = await FetchMirrorRefAsync(cref, ct).ConfigureAwait(false);
            commits.Add((commit, cref.RefName, maxSize));
            refs.Add((cref, commit));
        }
        var distinct = commits.GroupBy(c => c.Item1).Select(g => g.First()).ToList();
        return new PullPlan(distinct, [], refs, null, null);
    }

    private static SummaryRef? FindInSummary(SummaryFile summary, CollectionRef cref)
    {
        if (cref.CollectionId == summary.CollectionId) return summary.FindRef(cref.RefName);
        foreach (var (collection, refs) in summary.CollectionMap)
            if (collection == cref.CollectionId)
                return refs.FirstOrDefault(r => r.Name == cref.RefName);
        return null;
    }

    private async Task<Checksum> FetchMirrorRefAsync(CollectionRef cref, CancellationToken ct)
    {
        var rel = $"{RepoLayout.RefsMirrors}/{cref.CollectionId}/{cref.RefName}";
        var bytes = await _source.FetchFileAsync(rel, optional: true, 1024, ct).ConfigureAwait(false)
            ?? throw new PullException($"Server returned HTTP 404 for {_source.Describe(rel)}");
        var text = System.Text.Encoding.UTF8.GetString(bytes).Trim();
        return Checksum.TryParse(text, out var c)
            ? c
            : throw new PullException($"Fetching checksum for ref ({cref.CollectionId}, {cref.RefName}): Invalid checksum in ref file {_source.Describe(rel)}");
    }
}
