using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;
using Microsoft.Win32.SafeHandles;

namespace Arbor.Repo.Checkout;

/// <summary>
/// A FILE object opened for a copy: its metadata (owner, full mode, size, symlink target, xattrs)
/// read the way its repository mode stores it (repo-format.md §6), and its content, copied with
/// copy_file_range from bare repositories or inflated from an archive <c>.filez</c>.
/// </summary>
internal sealed class SourceFile : IDisposable
{
    /// <summary>Archive objects up to this size are read whole with one read; larger ones are streamed.</summary>
    private const int WholeReadLimit = 1 << 20;
    private static ReadOnlySpan<byte> OstreeMetaZ => "user.ostreemeta\0"u8;

    public required Checksum Checksum { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    /// <summary>Full mode, with S_IFREG or S_IFLNK.</summary>
    public uint Mode { get; init; }
    /// <summary>Content size of a regular file.</summary>
    public long Size { get; init; }
    /// <summary>Symlink target, NUL-terminated.</summary>
    public byte[]? SymlinkTargetZ { get; init; }
    public XattrList Xattrs { get; init; } = XattrList.Empty;

    private SafeFileHandle? _handle;
    private byte[]? _archive;       // whole .filez (pooled) when small
    private long _payloadOffset;    // archive: start of the deflate stream
    private long _objectLength;
    private bool _compressed;

    public bool IsSymlink => ObjectFormats.IsSymlink(Mode);
    public bool IsRegular => ObjectFormats.IsRegular(Mode);

    /// <summary>Opens <paramref name="checksum"/> from the first store of the chain that has it.</summary>
    public static SourceFile Open(ObjectStore[] chain, Checksum checksum, bool wantXattrs)
    {
        foreach (var store in chain)
            if (TryOpen(store, checksum, wantXattrs) is { } f) return f;
        throw new ObjectNotFoundException(new ObjectName(checksum, ObjectType.File), $"Couldn't find file object '{checksum}'");
    }

    private static SourceFile? TryOpen(ObjectStore store, Checksum checksum, bool wantXattrs)
    {
        Span<byte> loose = stackalloc byte[ObjectStore.LooseNameMax];
        loose = store.LooseName(checksum, loose);
        return store.Mode switch
        {
            RepoMode.Archive => OpenArchive(store, checksum, loose),
            RepoMode.BareUser => OpenBareUser(store, checksum, loose, wantXattrs),
            _ => OpenBare(store, checksum, loose, wantXattrs && store.Mode == RepoMode.Bare && !store.DisableXattrs),
        };
    }

    private static SourceFile? OpenBare(ObjectStore store, Checksum checksum, ReadOnlySpan<byte> loose, bool wantXattrs)
    {
        int e = AtFiles.TryStatAt(store.ObjectsDir, loose, follow: false, out var st);
        if (e == Errno.ENOENT) return null;
        if (e != 0) throw Errno.Error("fstatat", ObjectStore.LoosePathText(loose), e);
        bool canonical = store.Mode == RepoMode.BareUserOnly;
        if (st.IsSymlink)
        {
            e = AtFiles.TryReadLinkAt(store.ObjectsDir, loose, out var target);
            if (e != 0) throw Errno.Error("readlinkat", ObjectStore.LoosePathText(loose), e);
            return new SourceFile
            {
                Checksum = checksum,
                Uid = canonical ? 0 : st.Uid,
                Gid = canonical ? 0 : st.Gid,
                Mode = st.Mode,
                SymlinkTargetZ = [.. target, 0],
                Xattrs = wantXattrs ? ReadXattrs(Native.Xattrs.GetAll(AbsolutePath(store, loose))) : XattrList.Empty,
            };
        }
        if (!st.IsRegular) throw new CorruptObjectException($"Corrupted file object {checksum}: not a regular file or symlink");
        var handle = OpenRead(store, loose);
        return new SourceFile
        {
            Checksum = checksum,
            Uid = canonical ? 0 : st.Uid,
            Gid = canonical ? 0 : st.Gid,
            Mode = st.Mode,
            Size = st.Size,
            Xattrs = wantXattrs ? ReadXattrs(Native.Xattrs.GetAll(handle)) : XattrList.Empty,
            _handle = handle,
            _objectLength = st.Size,
        };
    }

    private static SourceFile? OpenBareUser(ObjectStore store, Checksum checksum, ReadOnlySpan<byte> loose, bool wantXattrs)
    {
        int e = AtFiles.TryOpenForRead(store.ObjectsDir, loose, out var handle);
        if (e == Errno.ENOENT) return null;
        if (e != 0) throw Errno.Error("openat", ObjectStore.LoosePathText(loose), e);
        try
        {
            var st = Files.FStat(handle!);
            var meta = Native.Xattrs.Get(handle!, OstreeMetaZ[..^1])
                ?? throw new CorruptObjectException($"Corrupted file object {checksum}: missing user.ostreemeta xattr");
            var (uid, gid, mode, xattrs) = ParseOstreeMeta(meta, checksum);
            if (ObjectFormats.IsSymlink(mode))
            {
                var content = new byte[Math.Min(st.Size, 4097)];
                int n = RandomAccess.Read(handle!, content, 0);
                int nul = Array.IndexOf(content, (byte)0, 0, n);
                var target = content.AsSpan(0, nul < 0 ? n : nul);
                handle!.Dispose();
                return new SourceFile { Checksum = checksum, Uid = uid, Gid = gid, Mode = mode, SymlinkTargetZ = [.. target, 0], Xattrs = wantXattrs ? xattrs : XattrList.Empty };
            }
            if (!ObjectFormats.IsRegular(mode)) throw new CorruptObjectException($"Corrupted file object {checksum}: invalid mode {Convert.ToString(mode, 8)}");
            return new SourceFile
            {
                Checksum = checksum, Uid = uid, Gid = gid, Mode = mode, Size = st.Size,
                Xattrs = wantXattrs ? xattrs : XattrList.Empty, _handle = handle, _objectLength = st.Size,
            };
        }
        catch
        {
            handle!.Dispose();
            throw;
        }
    }

    /// <summary>user.ostreemeta is <c>(uuua(ayay))</c> with big-endian numbers, like a dirmeta.</summary>
    public static (uint Uid, uint Gid, uint Mode, XattrList Xattrs) ParseOstreeMeta(ReadOnlySpan<byte> meta, Checksum checksum)
    {
        try
        {
            var r = new GVariantReader(meta, ObjectFormats.DirMeta);
            return (BinaryPrimitives.ReverseEndianness(r.Member(0).GetUInt32()),
                BinaryPrimitives.ReverseEndianness(r.Member(1).GetUInt32()),
                BinaryPrimitives.ReverseEndianness(r.Member(2).GetUInt32()),
                XattrList.Read(r.Member(3)));
        }
        catch (GVariantFormatException e)
        {
            throw new CorruptObjectException($"Corrupted file object {checksum}: invalid user.ostreemeta: {e.Message}");
        }
    }

    private static SourceFile? OpenArchive(ObjectStore store, Checksum checksum, ReadOnlySpan<byte> loose)
    {
        int e = AtFiles.TryOpenForRead(store.ObjectsDir, loose, out var handle);
        if (e == Errno.ENOENT) return null;
        if (e != 0) throw Errno.Error("openat", ObjectStore.LoosePathText(loose), e);
        byte[]? whole = null;
        try
        {
            long length = RandomAccess.GetLength(handle!);
            Span<byte> prefix = stackalloc byte[8];
            ReadOnlySpan<byte> headerBytes;
            if (length <= WholeReadLimit)
            {
                whole = ArrayPool<byte>.Shared.Rent((int)Math.Max(length, 8));
                int got = ReadFully(handle!, whole.AsSpan(0, (int)length), 0);
                headerBytes = HeaderSlice(whole.AsSpan(0, got));
            }
            else
            {
                uint len = FileHeader.CheckArchiveHeaderSize(prefix[..ReadFully(handle!, prefix, 0)], length);
                var buf = new byte[len];
                if (ReadFully(handle!, buf, 8) != len) throw Truncated(checksum, "header");
                headerBytes = buf;
            }
            var (header, size) = FileHeader.ParseArchiveHeader(headerBytes);
            header.Validate();
            long payload = 8 + headerBytes.Length;
            if (header.IsSymlink)
            {
                handle!.Dispose();
                if (whole is not null) ArrayPool<byte>.Shared.Return(whole);
                return new SourceFile
                {
                    Checksum = checksum, Uid = header.Uid, Gid = header.Gid, Mode = header.Mode,
                    SymlinkTargetZ = [.. System.Text.Encoding.UTF8.GetBytes(header.SymlinkTarget), 0], Xattrs = header.Xattrs,
                };
            }
            return new SourceFile
            {
                Checksum = checksum, Uid = header.Uid, Gid = header.Gid, Mode = header.Mode, Size = (long)size, Xattrs = header.Xattrs,
                _handle = handle, _archive = whole, _payloadOffset = payload, _objectLength = length, _compressed = true,
            };
        }
        catch
        {
            handle!.Dispose();
            if (whole is not null) ArrayPool<byte>.Shared.Return(whole);
            throw;
        }
    }

    private static ReadOnlySpan<byte> HeaderSlice(ReadOnlySpan<byte> file)
    {
        uint len = FileHeader.CheckArchiveHeaderSize(file, file.Length);
        return file.Slice(8, (int)len);
    }

    /// <summary>Copies the content into <paramref name="destination"/> (at offset 0); returns the bytes written.</summary>
    public long CopyContentTo(SafeFileHandle destination, byte[] buffer, string? destinationPath)
    {
        if (_handle is null || Size == 0 && !_compressed) return 0;
        if (!_compressed)
        {
            CopyRange.CopyAll(_handle, destination, _objectLength, destinationPath);
            return _objectLength;
        }
        Stream raw = _archive is not null
            ? new MemoryStream(_archive, (int)_payloadOffset, (int)(_objectLength - _payloadOffset), writable: false)
            : new FileStream(_handle, FileAccess.Read, 0) { Position = _payloadOffset };
        long written = 0;
        try
        {
            using var inflate = new DeflateStream(raw, CompressionMode.Decompress, leaveOpen: false);
            int n;
            while ((n = inflate.Read(buffer, 0, buffer.Length)) > 0)
            {
                RandomAccess.Write(destination, buffer.AsSpan(0, n), written);
                written += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw new CorruptObjectException($"Corrupted file object {Checksum}: {e.Message}");
        }
        if (written != Size) throw new CorruptObjectException($"Corrupted file object {Checksum}: content is {written} bytes, header says {Size}");
        return written;
    }

    public void Dispose()
    {
        _handle?.Dispose();
        _handle = null;
        if (_archive is not null) ArrayPool<byte>.Shared.Return(_archive);
        _archive = null;
    }

    private static SafeFileHandle OpenRead(ObjectStore store, ReadOnlySpan<byte> loose)
    {
        int e = AtFiles.TryOpenForRead(store.ObjectsDir, loose, out var handle);
        if (e != 0) throw Errno.Error("openat", ObjectStore.LoosePathText(loose), e);
        return handle!;
    }

    private static string AbsolutePath(ObjectStore store, ReadOnlySpan<byte> loose) =>
        System.IO.Path.Combine(store.ObjectsPath, ObjectStore.LoosePathText(loose));

    private static XattrList ReadXattrs(List<(byte[] Name, byte[] Value)> raw) =>
        raw.Count == 0 ? XattrList.Empty : XattrList.Canonical(raw.Select(x => new Xattr(x.Name, x.Value)));

    private static int ReadFully(SafeFileHandle h, Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(h, buffer[total..], offset + total);
            if (n <= 0) break;
            total += n;
        }
        return total;
    }

    private static CorruptObjectException Truncated(Checksum checksum, string what) =>
        new($"Corrupted file object {checksum}: truncated archive {what}");
}
