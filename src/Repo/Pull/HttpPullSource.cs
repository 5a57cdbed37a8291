using System.Net;
using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Repo.Pull;

/// <summary>
/// An archive repository served as static files over HTTP(S) (pull-protocol.md §1). Metadata is
/// read (size-capped) into memory; content is streamed into the transaction, which verifies it;
/// large objects are mirrored to <c>tmp/</c> so a cut download resumes with a Range request.
/// Several base URLs (a mirrorlist) are tried in turn on failures.
/// </summary>
internal sealed class HttpPullSource : IPullSource
{
    private readonly HttpFetcher _fetcher;
    private readonly IReadOnlyList<Uri> _bases;
    private readonly IReadOnlyList<Uri> _contentBases;
    private readonly PartialDownloads _partials;
    private readonly PullOptions _options;
    private int _preferredBase, _preferredContent; // the mirror that last answered: requests start there

    public HttpPullSource(HttpFetcher fetcher, IReadOnlyList<Uri> bases, IReadOnlyList<Uri> contentBases, Repository target, PullOptions options)
    {
        _fetcher = fetcher;
        _bases = bases;
        _contentBases = contentBases.Count > 0 ? contentBases : bases;
        _partials = new PartialDownloads(target);
        _options = options;
    }

    public bool IsLocal => false;
    public long BytesTransferred => _fetcher.BytesTransferred;

    public string Describe(string relativePath) => HttpFetcher.Redact(Url(_bases, relativePath, 0));

    /// <summary>The URL for an attempt: mirrors in turn, starting with the one that last worked.</summary>
    private Uri Url(IReadOnlyList<Uri> bases, string relativePath, int attempt) =>
        new(bases[(Volatile.Read(ref Preferred(bases)) + attempt) % bases.Count], relativePath);

    private ref int Preferred(IReadOnlyList<Uri> bases) => ref ReferenceEquals(bases, _contentBases) ? ref _preferredContent : ref _preferredBase;

    private void Worked(IReadOnlyList<Uri> bases, Uri url)
    {
        if (bases.Count < 2) return;
        for (int i = 0; i < bases.Count; i++)
            if (url.AbsoluteUri.StartsWith(bases[i].AbsoluteUri, StringComparison.Ordinal)) { Volatile.Write(ref Preferred(bases), i); return; }
    }

    /// <summary>Makes a base URL end with '/', so relative paths append to it.</summary>
    public static Uri BaseUri(string url)
    {
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https"))
            throw new PullException($"Invalid URL '{HttpFetcher.Redact(url)}'");
        return u;
    }

    public Task<byte[]?> FetchFileAsync(string relativePath, bool optional, long maxSize, CancellationToken ct) =>
        FetchBytesAsync(_bases, relativePath, null, optional, maxSize, relativePath, ct);

    public bool TryLinkMetadata(ObjectName name, Transaction transaction) => false;

    public Task<byte[]?> FetchMetadataAsync(ObjectName name, bool optional, long maxSize, CancellationToken ct)
    {
        var rel = RepoLayout.ObjectPath(name, RepoMode.Archive);
        // detached metadata is not content-addressed: its name is the commit's checksum
        Checksum? expected = name.Type == ObjectType.CommitMeta ? null : name.Checksum;
        // as ostree: every object comes from contenturl; only config, summary, refs and .commitmeta from url
        return FetchBytesAsync(name.Type == ObjectType.CommitMeta ? _bases : _contentBases, rel, expected, optional, maxSize, rel, ct);
    }

    private Task<byte[]?> FetchBytesAsync(IReadOnlyList<Uri> bases, string rel, Checksum? expected, bool optional, long maxSize, string what, CancellationToken ct) =>
        _fetcher.RetryAsync<byte[]?>(async attempt =>
        {
            var url = Url(bases, rel, attempt);
            using var resp = await _fetcher.GetAsync(url, 0, ct).ConfigureAwait(false);
            Worked(bases, url);
            if (resp.Status == HttpStatusCode.NotFound)
            {
                if (optional) return null;
                throw new PullException($"Server returned HTTP 404 for {HttpFetcher.Redact(url)}");
            }
            if ((int)resp.Status is < 200 or >= 300)
                throw new PullException($"Server returned HTTP {(int)resp.Status} for {HttpFetcher.Redact(url)}");
            if (resp.ContentLength is { } len && len > maxSize)
                throw new CorruptObjectException($"{what} from {HttpFetcher.Redact(url)} is {len} bytes, over the maximum of {maxSize}");
            using var verifying = new VerifyingReadStream(resp.Body, expected, maxSize, what);
            try
            {
                return await verifying.ReadAllAsync((int)Math.Min(resp.ContentLength ?? 4096, maxSize), ct).ConfigureAwait(false);
            }
            catch (CorruptObjectException e)
            {
                throw new CorruptObjectException($"{e.Message} (from {HttpFetcher.Redact(url)})");
            }
        }, attempt => HttpFetcher.Redact(Url(bases, rel, attempt)), ct);

    public Task<ReceivedContent> FetchContentAsync(Checksum checksum, Transaction transaction, CancellationToken ct)
    {
        var rel = RepoLayout.ObjectPath(new ObjectName(checksum, ObjectType.File), RepoMode.Archive);
        bool restartedAfterBadResume = false;
        return _fetcher.RetryAsync(async attempt =>
        {
            var url = Url(_contentBases, rel, attempt);
            long have = _partials.Length(checksum);
            using var resp = await _fetcher.GetAsync(url, have, ct).ConfigureAwait(false);
            Worked(_contentBases, url);
            if (resp.Status == HttpStatusCode.NotFound)
                throw new PullException($"Server returned HTTP 404 for {HttpFetcher.Redact(url)}");
            if (resp.Status == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                _partials.Delete(checksum);
                throw new TransientFetchException($"server refused to resume at byte {have}");
            }
            if ((int)resp.Status is < 200 or >= 300)
                throw new PullException($"Server returned HTTP {(int)resp.Status} for {HttpFetcher.Redact(url)}");

            bool resuming = have > 0 && resp.Status == HttpStatusCode.PartialContent;
            bool hadPart = have > 0;
            if (hadPart && !resuming) have = 0; // the server sent the whole object: start over
            bool keepPart = resuming || (resp.ContentLength ?? 0) >= _options.ResumableObjectThreshold;
            Microsoft.Win32.SafeHandles.SafeFileHandle? part = keepPart ? _partials.Open(checksum, have) : null;
            if (!keepPart && hadPart) _partials.Delete(checksum);
            try
            {
                Stream input = part is null ? resp.Body : new ResumableBodyStream(part, have, resp.Body);
                var result = await transaction.ReceiveArchiveContentAsync(input, checksum, ct, _options.BareUserOnlyFiles).ConfigureAwait(false);
                if (part is not null)
                {
                    part.Dispose();
                    part = null;
                    _partials.Delete(checksum);
                }
                return result;
            }
            catch (CorruptObjectException) when (resuming && !restartedAfterBadResume)
            {
                // the saved prefix may be stale; fetch the whole object once more
                restartedAfterBadResume = true;
                part?.Dispose();
                part = null;
                _partials.Delete(checksum);
                throw new TransientFetchException("resumed object failed verification");
            }
            catch (CorruptObjectException e)
            {
                part?.Dispose();
                part = null;
                _partials.Delete(checksum);
                throw new CorruptObjectException($"{e.Message} (file object {checksum} from {HttpFetcher.Redact(url)})");
            }
            finally
            {
                part?.Dispose();
            }
        }, attempt => HttpFetcher.Redact(Url(_contentBases, rel, attempt)), ct);
    }

    public void Dispose() => _fetcher.Dispose();
}
