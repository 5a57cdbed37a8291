using Arbor.Repo.Objects;
using Arbor.Repo.Remotes;
using Arbor.Repo.Store;
using Arbor.Repo.Summary;

namespace Arbor.Repo.Pull;

/// <summary>
/// Fetches a remote's <c>summary</c> and <c>summary.sig</c> (<c>remote refs</c>, <c>remote summary</c>):
/// only those two requests, verified against the remote's summary signature policy.
/// </summary>
public static class RemoteSummaryFetcher
{
    public sealed record Result(SummaryFile Summary, byte[]? Signature, string Url);

    /// <param name="cacheDir"><c>--cache-dir</c>: where the signed summary is cached instead of <c>tmp/cache</c></param>
    public static Task<Result> FetchAsync(Repository repo, RemoteStore remotes, string remoteName, CancellationToken ct, string? cacheDir = null) =>
        FetchAsync(repo, remotes, remotes.Get(remoteName), ct, cacheDir);

    /// <summary>The summary of a remote that need not be configured (a dynamic remote of <c>find-remotes</c>), cached under its name.</summary>
    public static async Task<Result> FetchAsync(Repository repo, RemoteStore remotes, RemoteConfig remote, CancellationToken ct, string? cacheDir = null)
    {
        var remoteName = remote.Name;
        var url = remote.Metalink is not null ? "" : remote.RequireUrl();
        var options = new PullOptions();
        IPullSource source;
        if (url.StartsWith("file://", StringComparison.Ordinal))
            source = new LocalPullSource(Repository.Open(new Uri(url).LocalPath), repo, untrusted: true);
        else
        {
            var fetcher = new HttpFetcher(remote, options, CookieJar.For(repo, remoteName).Cookies());
            try
            {
                // a metalink names where the summary is; the repository is the directory around it
                var baseUri = remote.Metalink is { } metalink
                    ? (await Metalink.ResolveAsync(fetcher, metalink, ct).ConfigureAwait(false)).Base
                    : HttpPullSource.BaseUri(url);
                source = new HttpPullSource(fetcher, [baseUri], [], repo, options);
            }
            catch
            {
                fetcher.Dispose();
                throw;
            }
        }
        using (source)
        {
            var where = source.Describe(RepoLayout.Summary);
            var verifier = CommitVerifier.For(remotes, remote);
            var (bytes, sig) = await SummaryCache.For(repo, remoteName, cacheDir)
                .FetchAsync(source, (s, g) => verifier.VerifySummary(s, g, where), retryStale: false, ct).ConfigureAwait(false);
            if (bytes is null) throw new PullException($"Remote refs not available; server has no summary file ({where})");
            return new Result(SummaryReader.Parse(bytes, where), sig, where);
        }
    }
}
