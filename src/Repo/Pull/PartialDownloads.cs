using Arbor.Repo.Core;
using Arbor.Repo.Store;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Pull;

/// <summary>
/// Large objects being downloaded are mirrored to <c>tmp/pull-partial/CHECKSUM.filez.part</c> as
/// their bytes arrive; when a download is cut, the next attempt (or the next pull) sends
/// <c>Range: bytes=N-</c> and continues. The part file holds exactly the bytes received, so the
/// object is verified over all of them once complete; a part file that does not verify is deleted.
/// </summary>
internal sealed class PartialDownloads(Repository repo)
{
    public const string DirectoryName = "pull-partial";
    private const string Suffix = ".filez.part";
    private readonly object _lock = new();
    private HashSet<Checksum>? _present;

    private string Dir => repo.FullPath(Path.Combine(RepoLayout.Tmp, DirectoryName));

    public string PathFor(Checksum checksum) => Path.Combine(Dir, checksum + Suffix);

    /// <summary>The part files left by earlier attempts, listed once (no per-object system call).</summary>
    private HashSet<Checksum> Present
    {
        get
        {
            lock (_lock)
            {
                if (_present is not null) return _present;
                _present = new HashSet<Checksum>();
                if (!Directory.Exists(Dir)) return _present;
                // like ostree's tmp/ files, part files expire after core.tmp-expiry-secs (a day)
                var expiry = repo.Config.TmpExpiry;
                foreach (var f in Directory.EnumerateFiles(Dir, "*" + Suffix))
                {
                    var name = Path.GetFileName(f);
                    if (DateTime.UtcNow - File.GetLastWriteTimeUtc(f) > expiry) AtomicFile.TryDelete(f);
                    else if (Checksum.TryParse(name.AsSpan(0, Math.Min(Checksum.HexLength, name.Length)), out var c)) _present.Add(c);
                }
                return _present;
            }
        }
    }

    /// <summary>Bytes already received for the object, 0 when there is no part file.</summary>
    public long Length(Checksum checksum)
    {
        var present = Present;
        lock (_lock)
        {
            if (!present.Contains(checksum)) return 0;
        }
        var st = Native.Files.TryLStat(PathFor(checksum));
        return st is { IsRegular: true } s ? s.Size : 0;
    }

    public void Delete(Checksum checksum)
    {
        var present = Present;
        lock (_lock) present.Remove(checksum);
        AtomicFile.TryDelete(PathFor(checksum));
    }

    /// <summary>Opens (creating or truncating to <paramref name="keep"/> bytes) the part file for appending.</summary>
    public SafeFileHandle Open(Checksum checksum, long keep)
    {
        var present = Present;
        System.IO.Directory.CreateDirectory(Dir);
        var h = File.OpenHandle(PathFor(checksum), FileMode.OpenOrCreate, FileAccess.ReadWrite);
        if (RandomAccess.GetLength(h) != keep) RandomAccess.SetLength(h, keep);
        lock (_lock) present.Add(checksum);
        return h;
    }
}

/// <summary>
/// The bytes of an object as one stream: first those already received (<paramref name="existing"/> bytes of
/// <paramref name="store"/>: a part file, or memory for a small object retried within the pull), then the
/// network body, each network byte also written to the store, so a cut attempt can be resumed from it.
/// </summary>
internal sealed class ResumableBodyStream(Stream store, long existing, Stream network) : ReadOnlyStream
{
    private long _position;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < existing)
        {
            int want = (int)Math.Min(buffer.Length, existing - _position);
            store.Position = _position;
            int r = store.Read(buffer.Span[..want]);
            if (r <= 0) throw new IOException("part file shrank while resuming");
            _position += r;
            return r;
        }
        int n = await network.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (n > 0)
        {
            store.Position = _position;
            store.Write(buffer.Span[..n]);
            _position += n;
        }
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("network bodies are read asynchronously");
}
