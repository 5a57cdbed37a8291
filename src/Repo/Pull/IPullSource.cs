using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Repo.Pull;

/// <summary>
/// Where a pull reads from: a repository served over HTTP(S) or a local repository (pull-local and
/// <c>file://</c> remotes). Metadata comes back as raw bytes for the puller to verify; content is
/// streamed into the transaction, which verifies it before staging it.
/// </summary>
internal interface IPullSource : IDisposable
{
    /// <summary>True for a local repository: objects are imported rather than downloaded.</summary>
    bool IsLocal { get; }

    /// <summary>True for a local repository pulled without <c>--untrusted</c>: its metadata is imported without checksumming, as ostree does.</summary>
    bool Trusted { get; }

    /// <summary>A URL or path for messages.</summary>
    string Describe(string relativePath);

    /// <summary>Bytes received from the network so far.</summary>
    long BytesTransferred { get; }

    /// <summary>A repo-relative file (summary, summary.sig, config, refs/heads/REF), at most <paramref name="maxSize"/>
    /// bytes; null when absent and <paramref name="optional"/>, else a <see cref="PullException"/> naming it.</summary>
    Task<byte[]?> FetchFileAsync(string relativePath, bool optional, long maxSize, CancellationToken cancellationToken);

    /// <summary>The raw bytes of a metadata object (unverified), or null when absent and optional.</summary>
    Task<byte[]?> FetchMetadataAsync(ObjectName name, bool optional, long maxSize, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the metadata object <paramref name="name"/> (already fetched and verified) into
    /// <paramref name="transaction"/> by hardlinking the source's own file; false when the source
    /// cannot (not local, or not allowed to), and the caller writes the bytes.
    /// </summary>
    bool TryLinkMetadata(ObjectName name, Transaction transaction);

    /// <summary>Stores the FILE object <paramref name="checksum"/> into <paramref name="transaction"/>, verified.</summary>
    Task<ReceivedContent> FetchContentAsync(Checksum checksum, Transaction transaction, CancellationToken cancellationToken);
}
