using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Store;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Checkout;

/// <summary>
/// An archive repository's <c>uncompressed-objects-cache/</c> (ostree-repo-checkout.c; "should be considered
/// deprecated" there, still on by default): a user-mode checkout inflates each regular file once into
/// <c>uncompressed-objects-cache/XX/REST.file</c> (its mode without setuid and setgid, owned by whoever checked
/// out) and hardlinks the checked-out file to it, so the next checkout links instead of inflating again.
/// Used only when the checkout asks for it (<see cref="CheckoutOptions.UncompressedCache"/>), the repository
/// is writable and <c>core.enable-uncompressed-cache</c> is not false. As with ostree's command line, nothing
/// removes unused entries (<c>ostree_repo_checkout_gc</c>).
/// </summary>
internal sealed class UncompressedCache : IDisposable
{
    private const uint S_ISUID = 0x800, S_ISGID = 0x400;
    private const uint DirectoryMode = 0x1FD; // ostree's DEFAULT_DIRECTORY_MODE, 0775

    private readonly Repository _repo;
    private readonly string _path;
    private readonly Lock _lock = new();
    private SafeFileHandle? _dir;

    private UncompressedCache(Repository repo)
    {
        _repo = repo;
        _path = repo.FullPath(RepoLayout.UncompressedObjectsCache);
        // opened when the checkout starts, if it exists; created by the first object put in it
        if (Files.TryLStat(_path) is not null) _dir = OpenDirectory();
    }

    /// <summary>The cache of <paramref name="repo"/> when this checkout uses one (archive, user mode, asked for, writable, enabled).</summary>
    public static UncompressedCache? For(Repository repo, CheckoutOptions options, bool userMode) =>
        options.UncompressedCache && userMode && repo.Mode == RepoMode.Archive
            && Files.TryAccessWritable(repo.FullPath(RepoLayout.Objects)) == 0 && repo.Config.EnableUncompressedCache
            ? new UncompressedCache(repo)
            : null;

    /// <summary>The cache directory, or null while it does not exist.</summary>
    public SafeFileHandle? Directory => Volatile.Read(ref _dir);

    /// <summary>
    /// Puts the content of <paramref name="source"/> (a regular file) in the cache under <paramref name="looseZ"/>
    /// (<c>XX/REST.file</c>, NUL-terminated) unless an entry is there already (ostree's
    /// <c>checkout_object_for_uncompressed_cache</c>); returns the cache directory to link from.
    /// </summary>
    public SafeFileHandle Add(SourceFile source, ReadOnlySpan<byte> looseZ, byte[] buffer)
    {
        var dir = Directory ?? Create();
        var loose = ObjectStore.LoosePathText(looseZ);
        var target = Path.Combine(_path, loose);
        var tmp = Path.Combine(_repo.FullPath(RepoLayout.Tmp), TempName.Make("checkout-cache-"));
        try
        {
            using (var h = File.OpenHandle(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                source.CopyContentTo(h, buffer, tmp);
                if (_repo.Config.Fsync && !_repo.DisableFsync) Sync.FSync(h, tmp);
                Files.FChmod(h, source.Mode & 0xFFF & ~(S_ISUID | S_ISGID), tmp);
            }
            Files.TryMkdir(Path.Combine(_path, loose[..2]), DirectoryMode);
            // another checkout (or worker) may have put it there first: theirs is as good
            if (!Rename.TryNoReplace(tmp, target)) AtomicFile.TryDelete(tmp);
        }
        catch (Exception e) when (e is ArborException or IOException or UnauthorizedAccessException)
        {
            AtomicFile.TryDelete(tmp);
            throw new CheckoutException($"Unpacking loose object {source.Checksum}: {e.Message}", e);
        }
        return dir;
    }

    private SafeFileHandle Create()
    {
        lock (_lock)
        {
            if (_dir is { } existing) return existing;
            Files.TryMkdir(_path, DirectoryMode);
            var dir = OpenDirectory();
            Volatile.Write(ref _dir, dir);
            return dir;
        }
    }

    private SafeFileHandle OpenDirectory()
    {
        try { return AtFiles.OpenDirectory(_path); }
        catch (NativeIOException e) { throw new CheckoutException($"opendir({RepoLayout.UncompressedObjectsCache}): {Errno.Describe(e.Errno)}"); }
    }

    public void Dispose() => _dir?.Dispose();
}
