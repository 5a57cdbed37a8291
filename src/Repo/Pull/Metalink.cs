using System.Security.Cryptography;
using System.Xml;

namespace Arbor.Repo.Pull;

/// <summary>
/// A remote's <c>metalink=URL</c> (ostree-metalink.c): a Metalink 3 document naming, for the file
/// <c>summary</c>, its size, its sha256/sha512 digest and the http(s) URLs it can be fetched from.
/// The URLs are tried in document order; the first whose content has that size and digest wins,
/// and the repository's base URL is the directory that holds it. Messages are ostree's.
/// </summary>
internal static class Metalink
{
    private enum State { Initial, Metalink, Files, File, Size, Verification, Hash, Resources, Url, Passthrough }

    private sealed class Request
    {
        public State State = State.Initial;
        public State PassthroughPrevious;
        public int PassthroughDepth;
        public bool FoundAFile, FoundOurFile, VerificationKnown;
        public string? InHashType, Sha256, Sha512;
        public ulong Size;
        public readonly List<Uri> Urls = [];
    }

    /// <summary>Fetches the metalink, then the summary through it; returns the base URL and the summary.</summary>
    public static async Task<(Uri Base, byte[] Summary)> ResolveAsync(HttpFetcher fetcher, string metalinkUrl, CancellationToken ct)
    {
        var document = await FetchAsync(fetcher, new Uri(metalinkUrl), ct).ConfigureAwait(false);
        var request = Parse(document, "summary");
        CheckTargets(request);
        string? lastError = null;
        foreach (var url in request.Urls)
        {
            try
            {
                var bytes = await FetchAsync(fetcher, url, ct).ConfigureAwait(false);
                if ((ulong)bytes.Length != request.Size)
                    throw new PullException($"Expected size is {request.Size} bytes but content is {bytes.Length} bytes");
                var (expected, actual) = request.Sha512 is { } sha512
                    ? (sha512, Convert.ToHexStringLower(SHA512.HashData(bytes)))
                    : (request.Sha256!, Convert.ToHexStringLower(SHA256.HashData(bytes)));
                if (expected != actual) throw new PullException($"Expected checksum is {expected} but actual is {actual}");
                return (new Uri(url, "."), bytes);
            }
            catch (PullException e)
            {
                lastError = e.Message;
            }
        }
        throw new PullException($"Exhausted {request.Urls.Count} metalink targets, last error: {lastError}");
    }

    private static async Task<byte[]> FetchAsync(HttpFetcher fetcher, Uri url, CancellationToken ct) =>
        await fetcher.RetryAsync(async _ =>
        {
            using var resp = await fetcher.GetAsync(url, 0, ct).ConfigureAwait(false);
            if ((int)resp.Status is < 200 or >= 300)
                throw new PullException($"Server returned HTTP {(int)resp.Status} for {HttpFetcher.Redact(url)}");
            using var ms = new MemoryStream();
            await resp.Body.CopyToAsync(ms, ct).ConfigureAwait(false);
            return ms.ToArray();
        }, _ => HttpFetcher.Redact(url), ct).ConfigureAwait(false);

    private static void CheckTargets(Request r)
    {
        if (!r.FoundAFile) throw new PullException("No <file> element found");
        if (!r.FoundOurFile) throw new PullException("No <file name='summary'> found");
        if (r.Sha256 is null && r.Sha512 is null) throw new PullException("No <verification> hash for sha256 or sha512 found");
        if (r.Sha256 is { } a && !IsHex(a, 64)) throw new PullException("Invalid hash digest for sha256");
        if (r.Sha512 is { } b && !IsHex(b, 128)) throw new PullException("Invalid hash digest for sha512");
        if (r.Urls.Count == 0) throw new PullException("No <url method='http'> elements found");
    }

    private static bool IsHex(string s, int length) => s.Length == length && s.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>ostree's GMarkup state machine over the document; unknown elements are passed over.</summary>
    private static Request Parse(byte[] document, string requestedFile)
    {
        var r = new Request();
        var text = System.Text.Encoding.UTF8.GetString(document);
        if (!text.TrimStart().StartsWith('<'))
            throw new PullException("Error on line 1 char 1: Document must begin with an element (e.g. <book>)");
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        bool empty = reader.IsEmptyElement;
                        Start(r, reader, requestedFile);
                        if (empty) End(r);
                        break;
                    case XmlNodeType.EndElement:
                        End(r);
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace:
                        Text(r, reader.Value);
                        break;
                }
            }
        }
        catch (XmlException e)
        {
            throw new PullException(e.Message);
        }
        return r;
    }

    private static void Passthrough(Request r)
    {
        r.PassthroughPrevious = r.State;
        r.State = State.Passthrough;
        r.PassthroughDepth = 0;
    }

    private static void Start(Request r, XmlReader x, string requestedFile)
    {
        var name = x.LocalName;
        switch (r.State)
        {
            case State.Initial when name == "metalink": r.State = State.Metalink; break;
            case State.Metalink when name == "files": r.State = State.Files; break;
            case State.Files when r.Urls.Count > 0: Passthrough(r); break;
            case State.Files when name == "file":
                r.FoundAFile = true;
                if (x.GetAttribute("name") != requestedFile) Passthrough(r);
                else
                {
                    r.FoundOurFile = true;
                    r.State = State.File;
                }
                break;
            case State.File when name == "size": r.State = State.Size; break;
            case State.File when name == "verification": r.State = State.Verification; break;
            case State.File when name == "resources": r.State = State.Resources; break;
            case State.Verification when name == "hash":
                r.State = State.Hash;
                r.InHashType = x.GetAttribute("type");
                r.VerificationKnown = r.InHashType is "sha256" or "sha512";
                break;
            case State.Resources:
                if (r.Size == 0) throw new PullException("No <size> element found or it is zero");
                if (!r.VerificationKnown) throw new PullException("No <verification> element with known <hash type=> found");
                if (name != "url") Passthrough(r);
                else if (x.GetAttribute("protocol") is "http" or "https") r.State = State.Url;
                else Passthrough(r);
                break;
            case State.Passthrough: r.PassthroughDepth++; break;
            default: Passthrough(r); break;
        }
    }

    private static void End(Request r)
    {
        r.State = r.State switch
        {
            State.Metalink => State.Initial,
            State.Files => State.Metalink,
            State.File => State.Files,
            State.Size or State.Verification or State.Resources => State.File,
            State.Hash => State.Verification,
            State.Url => State.Resources,
            State.Passthrough when r.PassthroughDepth > 0 => State.Passthrough,
            State.Passthrough => r.PassthroughPrevious,
            _ => r.State,
        };
        if (r.State == State.Passthrough && r.PassthroughDepth > 0) r.PassthroughDepth--;
    }

    private static void Text(Request r, string text)
    {
        switch (r.State)
        {
            case State.Size:
                r.Size = Core.GAsciiNumber.ToUInt64(text);
                break;
            case State.Hash when r.VerificationKnown:
                if (r.InHashType == "sha256") r.Sha256 = text;
                else r.Sha512 = text;
                break;
            case State.Url:
                if (Uri.TryCreate(text, UriKind.Absolute, out var u)) r.Urls.Add(u);
                break;
        }
    }
}
