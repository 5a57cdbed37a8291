using Arbor.Repo.Core;
using Arbor.Repo.Store;

namespace Arbor.Repo.Pull;

/// <summary>
/// A repository on this machine (<c>pull-local</c>, <c>file://</c> remotes), in any mode.
/// Objects of the same mode are hardlinked into the transaction and metadata is taken without
/// checksumming it, as ostree does for trusted local imports; otherwise (or with <c>--untrusted</c>)
/// content is read, re-encoded for the target mode and verified against its checksum. With <paramref name="bareUserOnlyFiles"/> a regular
/// file with mode bits outside 0775 is refused before anything is imported, as ostree's
/// <c>_ostree_repo_import_object</c> checks it.
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

    /// <summary>
    /// Metadata is the same in every mode, so it is hardlinked whatever the modes, as ostree's
    /// <c>import_via_reflink_is_possible</c> allows; an untrusted pull only between repositories of
    /// the same owner.
    /// </summary>
    public bool TryLinkMetadata(ObjectName name, Transaction transaction)
    {
        if (untrusted && Native.Files.Stat(source.Path).Uid != Native.Files.Stat(target.Path).Uid) return false;
        var path = source.ObjectPath(name);
        return Native.Files.TryLStat(path) is not null && transaction.TryLinkObject(name, path);
    }

    public async Task<ReceivedContent> FetchContentAsync(Checksum checksum, Transaction transaction, CancellationToken ct)
    {
        var name = new ObjectName(checksum, ObjectType.File);
        var path = source.ObjectPath(name);
        if (bareUserOnlyFiles) source.LoadContent(checksum).Header.ValidateBareUserOnly(checksum);
        if (!untrusted && source.Mode == target.Mode && Native.Files.TryLStat(path) is not null
            && transaction.TryLinkContent(checksum, path))
        {
            return new ReceivedContent(checksum, source.LoadContent(checksum).Size, true);
        }
        if (source.Mode == RepoMode.Archive)
        {
            await using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
            return await transaction.ReceiveArchiveContentAsync(fs, checksum, ct, bareUserOnlyFiles, Trusted).ConfigureAwait(false);
        }
        var content = source.LoadContent(checksum);
        using var stream = content.Header.IsRegular ? content.OpenContent() : null;
        var written = transaction.WriteContent(content.Header, stream, content.Size, checksum, Trusted);
        return new ReceivedContent(written, content.Size, true);
    }

    public void Dispose() { }
}
