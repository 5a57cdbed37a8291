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
    private readonly bool _trustedContent;
    private int _preferredBase, _preferredContent; // the mirror that last answered: requests start there

    public HttpPullSource(HttpFetcher fetcher, IReadOnlyList<Uri> bases, IReadOnlyList<Uri> contentBases, Repository target, PullOptions options)
    {
        _fetcher = fetcher;
        _bases = bases;
        _contentBases = contentBases.Count > 0 ? contentBases : bases;
        _partials = new PartialDownloads(target);
        _options = options;
        // ostree's trusted_http_direct: only a mirror into an archive repository takes content unverified
        _trustedContent = options.HttpTrusted && options.Mirror && target.Mode == RepoMode.Archive && !options.BareUserOnlyFiles;
    }

    public bool IsLocal => false;
    public bool Trusted => false;
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

    /// <summary>
    /// Makes a base URL end with '/', so relative paths append to it. Only http and https are
    /// fetched (file:// remotes are read as local repositories), refused in ostree's words.
    /// </summary>
    public static Uri BaseUri(string url)
    {
        // .NET reads a bare "/path" as a file URI; GLib (ostree) does not
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var u)
            || (u.IsFile && !url.StartsWith("file:", StringComparison.OrdinalIgnoreCase)))
            throw new PullException("URI is not absolute, and no base URI was provided");
        if (u.Scheme != "http" && u.Scheme != "https")
            throw new PullException($"Invalid URI scheme in {HttpFetcher.HidePassword(url)}");
        return u;
    }

    public Task<byte[]?> FetchFileAsync(string relativePath, bool optional, long maxSize, CancellationToken ct) =>
        FetchBytesAsync(_bases, relativePath, null, optional, maxSize, ct);

    public bool TryLinkMetadata(ObjectName name, Transaction transaction) => false;

    public Task<byte[]?> FetchMetadataAsync(ObjectName name, bool optional, long maxSize, CancellationToken ct)
    {
        var rel = RepoLayout.ObjectPath(name, RepoMode.Archive);
        // detached metadata is not content-addressed: its name is the commit's checksum
        ObjectName? expected = name.Type == ObjectType.CommitMeta ? null : name;
        // as ostree: every object comes from contenturl; only config, summary, refs and .commitmeta from url
        return FetchBytesAsync(name.Type == ObjectType.CommitMeta ? _bases : _contentBases, rel, expected, optional, maxSize, ct);
    }

    private async Task<byte[]?> FetchBytesAsync(IReadOnlyList<Uri> bases, string rel, ObjectName? expected, bool optional, long maxSize, CancellationToken ct)
    {
        // the bytes received so far: a cut attempt is resumed from them with a Range request
        using var received = new MemoryStream();
        return await _fetcher.RetryAsync<byte[]?>(async attempt =>
        {
            // as ostree's mirrored requests: a mirror that answers with an error status passes the
            // request to the next one; the last mirror's answer stands
            long have = received.Length;
            var (url, resp) = await GetFromMirrorsAsync(bases, rel, attempt, have, ct).ConfigureAwait(false);
            using var _ = resp;
            if (resp.Status == HttpStatusCode.NotFound)
            {
                if (optional) return null;
                throw new PullException($"Server returned HTTP 404 for {HttpFetcher.Redact(url)}");
            }
            if (resp.Status == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                received.SetLength(0);
                throw new TransientFetchException($"server refused to resume at byte {have}");
            }
            if ((int)resp.Status is < 200 or >= 300)
                throw new PullException($"Server returned HTTP {(int)resp.Status} for {HttpFetcher.Redact(url)}");
            if (resp.Status != HttpStatusCode.PartialContent) received.SetLength(0); // the whole body again
            if (resp.ContentLength is { } len && received.Length + len > maxSize) throw VerifyingReadStream.TooLarge(HttpFetcher.Redact(url), maxSize);
            using var verifying = new VerifyingReadStream(new ResumableBodyStream(received, received.Length, resp.Body), expected, maxSize, HttpFetcher.Redact(url));
            try
            {
                return await verifying.ReadAllAsync((int)Math.Min(received.Length + (resp.ContentLength ?? 4096), maxSize), ct).ConfigureAwait(false);
            }
            catch (CorruptObjectException e)
            {
                received.SetLength(0);
                throw new CorruptObjectException($"{e.Message} (from {HttpFetcher.Redact(url)})");
            }
        }, attempt => HttpFetcher.Redact(Url(bases, rel, attempt)), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// One attempt over the mirrors, starting with the attempt's one: the first answer with a success status, which
    /// is remembered as the mirror to start with next time. A mirror that answers with an error status (as in
    /// ostree's mirrored requests) or cannot be reached passes the request to the next one; when none succeeds, the
    /// last error status stands (a 404 of every reachable mirror is a 404), else the last connection error.
    /// </summary>
    private async Task<(Uri Url, FetchResponse Response)> GetFromMirrorsAsync(IReadOnlyList<Uri> bases, string rel, int attempt, long rangeStart, CancellationToken ct)
    {
        // the first mirror is read once: other requests may move the preference meanwhile
        int first = Volatile.Read(ref Preferred(bases)) + attempt;
        (Uri Url, FetchResponse Response)? lastAnswer = null;
        TransientFetchException? lastError = null;
        for (int m = 0; m < bases.Count; m++)
        {
            var url = new Uri(bases[(first + m) % bases.Count], rel);
            FetchResponse resp;
            try { resp = await _fetcher.GetAsync(url, rangeStart, ct).ConfigureAwait(false); }
            catch (TransientFetchException e) when (bases.Count > 1)
            {
                lastError = e;
                continue;
            }
            bool failed = (int)resp.Status is < 200 or >= 300 && resp.Status != HttpStatusCode.RequestedRangeNotSatisfiable;
            if (!failed)
            {
                lastAnswer?.Response.Dispose();
                Worked(bases, url);
                return (url, resp);
            }
            lastAnswer?.Response.Dispose();
            lastAnswer = (url, resp);
        }
        if (lastAnswer is { } answer) return answer;
        throw lastError!;
    }

    public async Task<ReceivedContent> FetchContentAsync(Checksum checksum, Transaction transaction, CancellationToken ct)
    {
        var rel = RepoLayout.ObjectPath(new ObjectName(checksum, ObjectType.File), RepoMode.Archive);
        bool restartedAfterBadResume = false;
        // a small object is recorded in memory as it arrives, so a retry resumes it with a Range request too
        using var memory = new MemoryStream();
        return await _fetcher.RetryAsync(async attempt =>
        {
            long onDisk = _partials.Length(checksum);
            long have = onDisk > 0 ? onDisk : memory.Length;
            var (url, resp) = await GetFromMirrorsAsync(_contentBases, rel, attempt, have, ct).ConfigureAwait(false);
            using var _ = resp;
            if (resp.Status == HttpStatusCode.NotFound)
                throw new PullException($"Server returned HTTP 404 for {HttpFetcher.Redact(url)}");
            if (resp.Status == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                _partials.Delete(checksum);
                memory.SetLength(0);
                throw new TransientFetchException($"server refused to resume at byte {have}");
            }
            if ((int)resp.Status is < 200 or >= 300)
                throw new PullException($"Server returned HTTP {(int)resp.Status} for {HttpFetcher.Redact(url)}");

            bool resuming = have > 0 && resp.Status == HttpStatusCode.PartialContent;
            if (!resuming)
            {
                have = 0; // the server sent the whole object: start over
                memory.SetLength(0);
            }
            bool toDisk = resuming ? onDisk > 0 : (resp.ContentLength ?? 0) >= _options.ResumableObjectThreshold;
            if (!toDisk && onDisk > 0) _partials.Delete(checksum);
            // a body of unknown length is not recorded in memory: it could be of any size
            Stream? store = toDisk ? new FileStream(_partials.Open(checksum, have), FileAccess.ReadWrite, 0)
                : resuming || resp.ContentLength is not null ? memory : null;
            void Forget()
            {
                if (toDisk)
                {
                    store!.Dispose();
                    _partials.Delete(checksum);
                }
                memory.SetLength(0);
            }
            try
            {
                Stream input = store is null ? resp.Body : new ResumableBodyStream(store, have, resp.Body);
                var result = await transaction.ReceiveArchiveContentAsync(input, checksum, ct, _options.BareUserOnlyFiles, _trustedContent).ConfigureAwait(false);
                Forget();
                return result;
            }
            catch (CorruptObjectException) when (resuming && !restartedAfterBadResume)
            {
                // the saved prefix may be stale; fetch the whole object once more
                restartedAfterBadResume = true;
                Forget();
                throw new TransientFetchException("resumed object failed verification");
            }
            catch (CorruptObjectException e)
            {
                Forget();
                throw new CorruptObjectException($"{e.Message} (file object {checksum} from {HttpFetcher.Redact(url)})");
            }
            finally
            {
                if (toDisk) store!.Dispose();
            }
        }, attempt => HttpFetcher.Redact(Url(_contentBases, rel, attempt)), ct).ConfigureAwait(false);
    }

    public void Dispose() => _fetcher.Dispose();
}
