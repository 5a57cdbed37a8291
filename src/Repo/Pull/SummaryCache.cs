using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.Pull;

/// <summary>
/// A remote's last signed summary, kept as ostree keeps it: <c>summaries/REMOTE</c> and
/// <c>summaries/REMOTE.sig</c> under the cache directory (<c>repo/tmp/cache</c>, or
/// <c>--cache-dir=DIR</c>). Only a summary that came with a <c>summary.sig</c> is cached; when the
/// remote's signature is byte for byte the cached one, the cached summary is used instead of
/// downloading it again (it is still verified against that signature as a fetched one would be).
/// Pulls from a local repository (<c>file://</c>) use no cache, as in ostree.
/// </summary>
public sealed class SummaryCache
{
    private const string Directory = "summaries";
    private readonly string _summaryPath;
    private readonly string _sigPath;

    private readonly string _remote;

    private SummaryCache(string cacheDir, string remote)
    {
        _remote = remote;
        var dir = System.IO.Path.Combine(cacheDir, Directory);
        _summaryPath = System.IO.Path.Combine(dir, remote);
        _sigPath = _summaryPath + ".sig";
    }

    internal static SummaryCache For(Repository repo, string remote, string? cacheDir) =>
        new(cacheDir ?? repo.FullPath(RepoLayout.TmpCache), remote);

    /// <summary>
    /// ostree opens <c>--cache-dir</c> before anything else: a missing one (or a file) is
    /// "opendir(DIR): No such file or directory" ("Not a directory").
    /// </summary>
    public static void CheckCacheDir(string? cacheDir)
    {
        if (cacheDir is null) return;
        var status = Files.TryStat(cacheDir);
        if (status is null) throw new RepoException($"opendir({cacheDir}): {Errno.Describe(Errno.ENOENT)}");
        if (!status.Value.IsDirectory) throw new RepoException($"opendir({cacheDir}): {Errno.Describe(Errno.ENOTDIR)}");
    }

    /// <summary>
    /// Fetches <c>summary.sig</c>, then the summary unless the cache holds it under the same
    /// signature; checks the pair with <paramref name="verify"/>, then caches a fetched pair (only
    /// once it verified, as ostree since c4c2b5eb, so a bad pair never enters the cache).
    /// </summary>
    /// <param name="retryStale">
    /// A pull's way: a cached summary that fails <paramref name="verify"/> is fetched again and
    /// checked once more (unless <c>OSTREE_REPO_TEST_ERROR=invalid-cache</c>, which makes it an error).
    /// </param>
    internal async Task<(byte[]? Summary, byte[]? Signature)> FetchAsync(IPullSource source, Action<byte[]?, byte[]?> verify, bool retryStale, CancellationToken ct)
    {
        var sig = await source.FetchFileAsync(RepoLayout.SummarySig, optional: true, ObjectFormats.MaxMetadataSize, ct).ConfigureAwait(false);
        var summary = sig is not null ? Cached(sig) : null;
        bool fromCache = summary is not null;
        summary ??= await FetchSummaryAsync(source, ct).ConfigureAwait(false);
        try
        {
            verify(summary, sig);
        }
        catch (Signing.SigningException) when (fromCache && retryStale)
        {
            if (TestErrors.InvalidCache)
                throw new PullException($"Remote {_remote} cached summary invalid and OSTREE_REPO_TEST_ERROR_INVALID_CACHE specified");
            summary = await FetchSummaryAsync(source, ct).ConfigureAwait(false);
            fromCache = false;
            verify(summary, sig);
        }
        if (!fromCache && sig is not null && summary is not null) Store(summary, sig);
        return (summary, sig);
    }

    private static Task<byte[]?> FetchSummaryAsync(IPullSource source, CancellationToken ct) =>
        source.FetchFileAsync(RepoLayout.Summary, optional: true, long.MaxValue / 2, ct);

    private byte[]? Cached(byte[] sig)
    {
        if (!File.Exists(_sigPath) || !File.Exists(_summaryPath)) return null;
        if (!File.ReadAllBytes(_sigPath).AsSpan().SequenceEqual(sig)) return null;
        return File.ReadAllBytes(_summaryPath);
    }

    /// <summary>Caches the pair; best effort: a cache that cannot be written (a read-only repository) is skipped.</summary>
    private void Store(byte[] summary, byte[] sig)
    {
        try
        {
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_summaryPath)!);
            // the old signature goes first, so that a crash never pairs it with the new summary
            File.Delete(_sigPath);
            AtomicFile.WriteAllBytes(_summaryPath, summary, 0x1A4, fsync: false);
            AtomicFile.WriteAllBytes(_sigPath, sig, 0x1A4, fsync: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RepoException) { }
    }
}
