using Arbor.Repo.Core;
using Arbor.Repo.Fsck;
using Arbor.Repo.Store;

namespace Arbor.Repo.Pull;

/// <summary>
/// A repository on this machine (<c>pull-local</c>, <c>file://</c> remotes, <c>--localcache-repo</c>), in any mode,
/// imported as ostree's <c>_ostree_repo_import_object</c> imports: an object whose file can serve the target
/// as it is (the same mode, metadata in any mode, or a bare-user regular file into bare-user-only) is
/// hardlinked when both repositories have the same owner; with <c>--untrusted</c> only then, and only after
/// the source's object has been checksummed as <c>fsck</c> checksums it (a corrupted one fails the pull and
/// nothing is linked). Otherwise content is read, re-encoded for the target mode and verified against its
/// checksum, unless trusted. With <paramref name="bareUserOnlyFiles"/> a regular file with mode bits outside
/// 0775 is refused before anything is imported.
/// </summary>
internal sealed class LocalPullSource(Repository source, Repository target, bool untrusted, bool bareUserOnlyFiles = false) : IPullSource
{
    public Repository Source => source;
    public bool IsLocal => true;
    public bool Trusted => !untrusted;
    public long BytesTransferred => 0;

    public string Describe(string relativePath) => Path.Combine(source.Path, relativePath);

    public Task<byte[]?> FetchFileAsync(string relativePath, bool optional, long maxSize, CancellationToken ct)
    {
        var path = source.FullPath(relativePath);
        if (!File.Exists(path))
        {
            if (optional) return Task.FromResult<byte[]?>(null);
            throw new PullException($"No such file {path}");
        }
        var len = new FileInfo(path).Length;
        if (len > maxSize) throw VerifyingReadStream.TooLarge(new Uri(path).AbsoluteUri, maxSize);
        return Task.FromResult<byte[]?>(File.ReadAllBytes(path));
    }

    public Task<byte[]?> FetchMetadataAsync(ObjectName name, bool optional, long maxSize, CancellationToken ct)
    {
        var bytes = source.TryLoadMetadata(name);
        if (bytes is null && !optional)
            throw new PullException($"No such metadata object {name} in {source.Path}");
        return Task.FromResult(bytes);
    }

    private readonly Lazy<bool> _sameOwner = new(() => Native.Files.Stat(source.Path).Uid == Native.Files.Stat(target.Path).Uid);
    private readonly Lazy<ContentVerifier> _verifier = new(() => new ContentVerifier(source));

    /// <summary>
    /// Metadata is the same in every mode, so it is hardlinked whatever the modes, as ostree's
    /// <c>import_via_reflink_is_possible</c> allows, when the two repositories have the same owner
    /// (<c>import_one_object_direct</c>); the puller has verified an untrusted source's bytes already.
    /// </summary>
    public bool TryLinkMetadata(ObjectName name, Transaction transaction)
    {
        if (!_sameOwner.Value) return false;
        var path = source.ObjectPath(name);
        return Native.Files.TryLStat(path) is not null && transaction.TryLinkObject(name, path);
    }

    public async Task<ReceivedContent> FetchContentAsync(Checksum checksum, Transaction transaction, CancellationToken ct)
    {
        var path = source.ObjectPath(new ObjectName(checksum, ObjectType.File));
        ContentObject? loaded = null;
        ContentObject Content() => loaded ??= source.LoadContent(checksum);
        // bare-user to bare-user-only: a regular file's object serves both (flatpak#845), a symlink's does not
        bool conversion = source.Mode == RepoMode.BareUser && target.Mode == RepoMode.BareUserOnly;
        bool direct = source.Mode == target.Mode || conversion;
        if (bareUserOnlyFiles || conversion)
        {
            var header = Content().Header;
            if (bareUserOnlyFiles) header.ValidateBareUserOnly(checksum);
            if (header.IsSymlink) direct &= !conversion;
        }
        if (direct && (!untrusted || _sameOwner.Value))
        {
            // untrusted: checksum the source's object before linking it (objects are immutable once named)
            if (untrusted) _verifier.Value.Verify(checksum);
            // linked, not written: ostree counts no content bytes for a direct import
            if (_sameOwner.Value && transaction.TryLinkContent(checksum, path))
                return new ReceivedContent(checksum, Content().Size, Written: false);
        }
        if (source.Mode == RepoMode.Archive)
        {
            await using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
            return await transaction.ReceiveArchiveContentAsync(fs, checksum, ct, bareUserOnlyFiles, Trusted).ConfigureAwait(false);
        }
        var content = Content();
        using var stream = content.Header.IsRegular ? content.OpenContent() : null;
        var written = transaction.WriteContent(content.Header, stream, content.Size, checksum, Trusted);
        return new ReceivedContent(written, content.Size, true);
    }

    public void Dispose() { }
}
