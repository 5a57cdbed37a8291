using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Store;

/// <summary>
/// Content (FILE) objects. Each object is written to an anonymous O_TMPFILE file in the staging
/// directory while it is hashed (and, in archive mode, compressed), then linked under its checksum:
/// the slow part of creating a file, allocating its inode, holds no directory lock, so the import
/// workers run side by side; an object that already exists is just closed. File systems without
/// O_TMPFILE get a named temp file and a rename instead.
/// </summary>
public sealed partial class Transaction
{
    private const int CopyBufferSize = 128 * 1024;
    private volatile bool _noTmpFile;

    /// <summary>
    /// Stores a FILE object from its header and content (null for symlinks), hashing while
    /// writing. Throws <see cref="CorruptObjectException"/> on a mismatch with <paramref name="expected"/>,
    /// unless <paramref name="trusted"/> (a trusted local import: stored under that name as it is, as ostree does).
    /// </summary>
    public Checksum WriteContent(FileHeader header, Stream? content, long size, Checksum? expected = null, bool trusted = false)
    {
        _repo.Mode.EnsureStoresContent();
        header.Validate();
        TakeSpace(header, (ulong)size);
        if (header.IsSymlink) return WriteSymlink(header, expected, trusted);
        if (content is null) throw new ArgumentNullException(nameof(content));
        var mode = _repo.Mode;
        if (mode == RepoMode.BareUserOnly && (header.Mode & ObjectFormats.PermissionMask & ~0x1FDu) != 0)
            throw new RepoException($"Content object has invalid mode 0{Convert.ToString(header.Mode & ObjectFormats.PermissionMask, 8)} for a bare-user-only repository: bits 0{Convert.ToString(header.Mode & ObjectFormats.PermissionMask & ~0x1FDu, 8)} are not allowed (use --canonical-permissions)");

        var (h, tmp) = CreateTemp();
        try
        {
            using (h)
            {
                using var hasher = new ContentHasher(header);
                long archived = 0;
                if (mode == RepoMode.Archive)
                {
                    archived = WriteArchive(h, header, content, size, hasher, tmp);
                    Files.FChmod(h, 0x1A4, tmp);
                }
                else
                {
                    long written = CopyHashing(content, h, hasher, tmp);
                    if (written != size) throw new RepoException($"File changed size while being committed ({written} != {size} bytes)");
                    ApplyBareMetadata(h, header, tmp);
                }
                var actual = Verified(expected, hasher.Finish(), trusted);
                var name = new ObjectName(actual, ObjectType.File);
                Sizes?.Record(actual, ObjectType.File, archived, size);
                bool exists = HasObject(name);
                if (exists)
                {
                    if (tmp is not null) AtomicFile.TryDelete(tmp);
                }
                else StageTemp(name, h, tmp);
                CountContent(!exists, size);
                return actual;
            }
        }
        catch { if (tmp is not null) AtomicFile.TryDelete(tmp); throw; }
    }

    /// <summary>
    /// <c>--consume</c> into a bare or bare-user-only repository (ostree's adopt_and_commit_regfile):
    /// the input file itself becomes the object, hashed, then renamed into the staging directory
    /// (in bare-user-only with its mode made canonical first) rather than copied. The caller has
    /// checked that <paramref name="header"/> is the file's own metadata and that the file is on
    /// the repository's file system. A file whose object is already there is just removed.
    /// </summary>
    public Checksum AdoptContent(FileHeader header, string path)
    {
        if (_repo.Mode is not (RepoMode.Bare or RepoMode.BareUserOnly) || !header.IsRegular)
            throw new InvalidOperationException("only regular files are adopted, by bare and bare-user-only repositories");
        using var hasher = new ContentHasher(header);
        long size;
        using (var stream = HandleReadStream.Open(path))
            size = CopyHashing(stream, Stream.Null, hasher);
        var actual = hasher.Finish();
        var name = new ObjectName(actual, ObjectType.File);
        Sizes?.Record(actual, ObjectType.File, 0, size);
        bool exists = HasObject(name);
        CountContent(!exists, size);
        if (exists)
        {
            File.Delete(path);
            return actual;
        }
        if (_repo.Mode == RepoMode.BareUserOnly) Files.Chmod(path, header.Mode & 0x1ED); // mode & 0755
        Stage(name, path);
        return actual;
    }

    /// <summary>
    /// The min-free-space check, before a content object is written (metadata is never counted). As in
    /// ostree, every file a commit writes counts, present or not; callers with an expected checksum
    /// (pull, deltas) write only the objects they found missing.
    /// </summary>
    private void TakeSpace(FileHeader header, ulong size)
    {
        if (_budget is null) return;
        // as ostree sizes a symlink: bare-user stores the target and a NUL; the other modes nothing
        ulong bytes = !header.IsSymlink ? size
            : _repo.Mode == RepoMode.BareUser ? (ulong)Encoding.UTF8.GetByteCount(header.SymlinkTarget) + 1 : 0;
        _budget.Take(bytes);
    }

    private Checksum WriteSymlink(FileHeader header, Checksum? expected, bool trusted)
    {
        var actual = Verified(expected, ContentHasher.Compute(header, ReadOnlySpan<byte>.Empty), trusted);
        var name = new ObjectName(actual, ObjectType.File);
        long targetLength = Encoding.UTF8.GetByteCount(header.SymlinkTarget);
        if (Sizes is { } sizes) // the .filez of a symlink: BE32 header length, 4 zero bytes, the header
            sizes.Record(actual, ObjectType.File, 8 + header.SerializeArchiveHeader(0).Length, targetLength);
        bool exists = HasObject(name);
        CountContent(!exists, 0); // ostree counts a symlink's size as 0 bytes written
        if (exists) return actual;
        if (_repo.Mode is RepoMode.Archive or RepoMode.BareUser)
        {
            var (h, tmp) = CreateTemp();
            try
            {
                using (h)
                {
                    if (_repo.Mode == RepoMode.Archive)
                    {
                        var hdr = header.SerializeArchiveHeader(0);
                        var bytes = new byte[8 + hdr.Length];
                        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)hdr.Length);
                        hdr.CopyTo(bytes, 8);
                        TmpFiles.Write(h, bytes, 0, tmp);
                        Files.FChmod(h, 0x1A4, tmp);
                    }
                    else
                    {
                        TmpFiles.Write(h, Encoding.UTF8.GetBytes(header.SymlinkTarget + "\0"), 0, tmp);
                        Native.Xattrs.Set(h, OstreeMetaXattr, OstreeMeta(header), tmp);
                        Files.FChmod(h, 0x1A4, tmp);
                        Files.FSetMtime(h, 0, tmp);
                    }
                    StageTemp(name, h, tmp);
                }
            }
            catch { if (tmp is not null) AtomicFile.TryDelete(tmp); throw; }
            return actual;
        }

        var link = TempPath();
        try
        {
            Files.Symlink(header.SymlinkTarget, link);
            if (_repo.Mode == RepoMode.Bare)
            {
                if (_isRoot || header.Uid != Files.EffectiveUid || header.Gid != Files.EffectiveGid)
                    Files.LChown(link, header.Uid, header.Gid);
                foreach (var x in header.Xattrs.Items) Native.Xattrs.Set(link, x.Name, x.Value);
            }
            Files.LSetTimes(link, 0);
            Stage(name, link);
        }
        catch { AtomicFile.TryDelete(link); throw; }
        return actual;
    }

    /// <summary>The <c>.filez</c> layout: BE32 header length, 4 zero bytes, the header, then raw DEFLATE of the content.</summary>
    /// <returns>The length of the <c>.filez</c>.</returns>
    private long WriteArchive(SafeFileHandle h, FileHeader header, Stream content, long size, ContentHasher hasher, string? tmp)
    {
        var hdr = header.SerializeArchiveHeader((ulong)size);
        using var sink = new HandleWriteStream(h, tmp);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)hdr.Length);
        prefix[4..].Clear();
        sink.Write(prefix);
        sink.Write(hdr);
        long start = sink.Position;
        long total;
        // the sizes index records compressed sizes: then compress as ostree does, with the system's zlib
        using (Stream deflate = Sizes is not null
            ? new SystemDeflateStream(sink, _repo.Config.ZlibLevel)
            : new DeflateStream(sink, new ZLibCompressionOptions { CompressionLevel = _repo.Config.ZlibLevel }, leaveOpen: true))
        {
            total = CopyHashing(content, deflate, hasher);
        }
        // DeflateStream emits nothing for empty input; zlib (and ostree's reader) expect an empty final block
        if (sink.Position == start) sink.Write(EmptyDeflateStream);
        sink.Flush();
        if (total != size) throw new RepoException($"File changed size while being committed ({total} != {size} bytes)");
        return sink.Position;
    }

    private void ApplyBareMetadata(SafeFileHandle h, FileHeader header, string? tmp)
    {
        uint perms = header.Mode & ObjectFormats.PermissionMask;
        switch (_repo.Mode)
        {
            case RepoMode.Bare:
                if (_isRoot || header.Uid != Files.EffectiveUid || header.Gid != Files.EffectiveGid)
                    Files.FChown(h, header.Uid, header.Gid, tmp);
                foreach (var x in header.Xattrs.Items) Native.Xattrs.Set(h, x.Name, x.Value, tmp);
                Files.FChmod(h, perms, tmp); // after chown, which clears setuid bits
                break;
            case RepoMode.BareUser:
                Native.Xattrs.Set(h, OstreeMetaXattr, OstreeMeta(header), tmp);
                Files.FChmod(h, (perms & 0x1FD) | 0x100, tmp); // (mode & 0775) | S_IRUSR
                break;
            case RepoMode.BareUserOnly:
                Files.FChmod(h, perms, tmp);
                break;
        }
        Files.FSetMtime(h, 0, tmp);
    }

    private static long CopyHashing(Stream source, SafeFileHandle destination, ContentHasher hasher, string? tmp)
    {
        var buf = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        long total = 0;
        try
        {
            int n;
            while ((n = source.Read(buf, 0, CopyBufferSize)) > 0)
            {
                hasher.Append(buf.AsSpan(0, n));
                TmpFiles.Write(destination, buf.AsSpan(0, n), total, tmp);
                total += n;
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
        return total;
    }

    private static long CopyHashing(Stream source, Stream destination, ContentHasher hasher)
    {
        var buf = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        long total = 0;
        try
        {
            int n;
            while ((n = source.Read(buf, 0, CopyBufferSize)) > 0)
            {
                hasher.Append(buf.AsSpan(0, n));
                destination.Write(buf, 0, n);
                total += n;
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
        return total;
    }

    /// <summary>With <see cref="Repository.PerObjectFsync"/> (and fsync on), each object's data reaches the disk before it is staged.</summary>
    private void SyncObject(SafeFileHandle handle, string? path)
    {
        if (_repo.PerObjectFsync && _repo.Config.Fsync && !_repo.DisableFsync) Sync.FSync(handle, path ?? _staging);
    }

    /// <summary>An anonymous file in the staging directory (Tmp null), or a named temp file where O_TMPFILE is missing.</summary>
    private (SafeFileHandle Handle, string? Tmp) CreateTemp()
    {
        if (!_noTmpFile)
        {
            if (TmpFiles.TryOpen(_staging, 0x1A4) is { } h) return (h, null);
            _noTmpFile = true;
        }
        var tmp = TempPath();
        return (File.OpenHandle(tmp, FileMode.CreateNew, FileAccess.ReadWrite), tmp);
    }

    /// <summary>Gives a complete temp file from <see cref="CreateTemp"/> its staged name (the first writer of an object wins).</summary>
    private void StageTemp(ObjectName name, SafeFileHandle handle, string? tmp)
    {
        SyncObject(handle, tmp);
        if (tmp is not null) { Stage(name, tmp); return; }
        var path = StagedPath(name);
        int e = TmpFiles.TryLink(handle, path);
        if (e == 0) Staged(name);
        else if (e != Errno.EEXIST) throw Errno.Error("linkat", path, e);
    }
}
