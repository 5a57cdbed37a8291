using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Arbor.Repo.Remotes;

namespace Arbor.Repo.Pull;

/// <summary>A transient failure (connection error, 5xx, stall) of one request: worth retrying.</summary>
internal sealed class TransientFetchException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// The one HttpClient of a pull: keep-alive connections (at most one per request in flight),
/// the remote's proxy and TLS settings, a connect timeout and per-read stall timeouts, and the
/// retry policy (exponential backoff with jitter on connection errors, 5xx and stalls). The only
/// place besides <see cref="HttpPullSource"/> that knows HTTP.
/// </summary>
internal sealed partial class HttpFetcher : IDisposable
{
    private readonly HttpClient _client;
    private readonly PullOptions _options;
    private readonly IReadOnlyList<RemoteCookie> _cookies;
    private long _bytes;

    /// <param name="cookies">the remote's cookie jar (<see cref="CookieJar"/>), sent where they match as libcurl sends them for ostree</param>
    public HttpFetcher(RemoteConfig? remote, PullOptions options, IReadOnlyList<RemoteCookie>? cookies = null)
    {
        _options = options;
        _cookies = cookies ?? [];
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, options.MaxConcurrentFetches),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            ConnectTimeout = options.ConnectTimeout,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            AllowAutoRedirect = true,
        };
        if (remote?.Proxy is { Length: > 0 } proxy)
        {
            handler.Proxy = new WebProxy(proxy);
            handler.UseProxy = true;
        }
        ConfigureTls(handler, remote);
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("arbor", "1.0"));
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("(libostree-compatible)"));
        foreach (var (k, v) in options.HttpHeaders) _client.DefaultRequestHeaders.TryAddWithoutValidation(k, v);
    }

    public long BytesTransferred => Interlocked.Read(ref _bytes);

    private static void ConfigureTls(SocketsHttpHandler handler, RemoteConfig? remote)
    {
        if (remote is null) return;
        var ssl = handler.SslOptions;
        if (remote.TlsPermissive)
        {
            ssl.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (remote.TlsCaPath is { Length: > 0 } caPath)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caPath);
            ssl.RemoteCertificateValidationCallback = (_, cert, _, errors) =>
            {
                if (cert is null) return false;
                if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(cert));
            };
        }
        if (remote.TlsClientCertPath is { Length: > 0 } certPath)
        {
            var cert = X509Certificate2.CreateFromPemFile(certPath, remote.TlsClientKeyPath);
            ssl.ClientCertificates = new X509CertificateCollection { cert };
        }
    }

    /// <summary>
    /// Sends a GET and returns once the headers are in; the body is wrapped in a stall guard that
    /// counts bytes. Connection errors and header stalls become <see cref="TransientFetchException"/>.
    /// The caller disposes the response.
    /// </summary>
    public async Task<FetchResponse> GetAsync(Uri url, long rangeFrom, CancellationToken ct)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(_options.StallTimeout);
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (url.UserInfo.Length > 0 && request.Headers.Authorization is null && !_client.DefaultRequestHeaders.Contains("Authorization"))
        {
            // user:password in the URL is HTTP basic auth, as libcurl sends it for ostree
            var credentials = Uri.UnescapeDataString(url.UserInfo);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(credentials)));
        }
        if (CookieJar.HeaderFor(_cookies, url, DateTimeOffset.UtcNow) is { } cookie)
            request.Headers.TryAddWithoutValidation("Cookie", cookie);
        if (rangeFrom > 0) request.Headers.Range = new RangeHeaderValue(rangeFrom, null);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            request.Dispose();
            cts.Dispose();
            throw new TransientFetchException(Describe(e), e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            request.Dispose();
            cts.Dispose();
            throw new TransientFetchException($"no response within {_options.StallTimeout.TotalSeconds:0.#} s", e);
        }
        var status = (int)response.StatusCode;
        if (status >= 500 || status is 408 or 429)
        {
            response.Dispose();
            request.Dispose();
            cts.Dispose();
            throw new TransientFetchException($"Server returned HTTP {status}");
        }
        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            response.Dispose();
            request.Dispose();
            cts.Dispose();
            throw new TransientFetchException(Describe(e), e);
        }
        var guarded = new StallGuardStream(body, cts, ct, _options.StallTimeout, n => Interlocked.Add(ref _bytes, n));
        return new FetchResponse(response, request, cts, guarded);
    }

    /// <summary>
    /// Runs one request attempt after another until it succeeds, fails permanently, or the retries
    /// are used up; waits 250 ms, 500 ms, 1 s … (capped at 5 s, ±20 % jitter) between attempts.
    /// </summary>
    public async Task<T> RetryAsync<T>(Func<int, Task<T>> attempt, Func<int, string> describeTarget, CancellationToken ct)
    {
        for (int i = 0; ; i++)
        {
            try
            {
                return await attempt(i).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, ct))
            {
                if (i >= _options.NetworkRetries)
                {
                    var tries = i == 0 ? "" : $" (after {i} {(i == 1 ? "retry" : "retries")})";
                    // ostree's (libcurl fetcher's) words: "While fetching URL: MESSAGE"
                    throw new PullException($"While fetching {describeTarget(i)}: {Describe(e)}{tries}", e);
                }
                await Task.Delay(Backoff(i), ct).ConfigureAwait(false);
            }
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        double ms = _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 10));
        ms = Math.Min(ms, 5000) * (0.8 + Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>Network failures worth retrying; file-system errors (a full disk) and corrupt data are not.</summary>
    private static bool IsTransient(Exception e, CancellationToken ct) =>
        !ct.IsCancellationRequested && e switch
        {
            TransientFetchException or StallException or HttpRequestException or HttpIOException => true,
            IOException { InnerException: System.Net.Sockets.SocketException } => true,
            _ => false,
        };

    /// <summary>A URL for messages: any user:password in it is left out.</summary>
    public static string Redact(Uri url) => Redact(url.ToString());

    /// <inheritdoc cref="Redact(Uri)"/>
    public static string Redact(string url) => UserInfo().Replace(url, "://");

    [System.Text.RegularExpressions.GeneratedRegex("://[^/@?#]*@")]
    private static partial System.Text.RegularExpressions.Regex UserInfo();

    /// <summary>A URL as GLib prints it with <c>G_URI_HIDE_PASSWORD</c>: the user stays, the password goes.</summary>
    public static string HidePassword(string url) => UserPassword().Replace(url, "://$1@");

    [System.Text.RegularExpressions.GeneratedRegex("://([^/@?#:]*):[^/@?#]*@")]
    private static partial System.Text.RegularExpressions.Regex UserPassword();

    /// <summary>One line for a network failure, without .NET's noise.</summary>
    public static string Describe(Exception e)
    {
        var msg = e.InnerException is System.Net.Sockets.SocketException se ? $"{e.Message.TrimEnd('.')} ({se.SocketErrorCode})" : e.Message;
        // a body cut short, as libcurl reports it to ostree (CURLE_PARTIAL_FILE)
        if (e is HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded }) msg = "[18] Transferred a partial file";
        return msg.ReplaceLineEndings(" ");
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>A response whose headers have arrived; <see cref="Body"/> is stall-guarded. Disposing closes everything.</summary>
internal sealed class FetchResponse(HttpResponseMessage response, HttpRequestMessage request, CancellationTokenSource cts, Stream body) : IDisposable
{
    public HttpStatusCode Status => response.StatusCode;
    public long? ContentLength => response.Content.Headers.ContentLength;
    public Stream Body => body;

    public void Dispose()
    {
        body.Dispose();
        response.Dispose();
        request.Dispose();
        cts.Dispose();
    }
}
