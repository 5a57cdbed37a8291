using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Store;

/// <summary>Loads objects from the loose store, per repo mode (repo-format.md §6).</summary>
internal sealed class ObjectReader
{
    private static readonly byte[] OstreeMetaXattr = "user.ostreemeta"u8.ToArray();
    private readonly Repository _repo;
    private Repository? _parent;
    private bool _parentResolved;

    public ObjectReader(Repository repo) => _repo = repo;

    /// <summary><c>core.parent</c>: a fallback repository consulted for missing objects.</summary>
    private Repository? Parent
    {
        get
        {
            if (!_parentResolved)
            {
                var p = _repo.Config.ParentRepo;
                _parent = p is null ? null : Repository.Open(p);
                _parentResolved = true;
            }
            return _parent;
        }
    }

    public bool Has(ObjectName name) =>
        Files.TryLStat(_repo.ObjectPath(name)) is not null || (Parent?.HasObject(name) ?? false);

    public byte[]? TryLoadMetadata(ObjectName name)
    {
        var path = _repo.ObjectPath(name);
        try
        {
            using var h = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            long len = RandomAccess.GetLength(h);
            if (len > ObjectFormats.MaxMetadataSize)
                throw new CorruptObjectException($"Metadata object {name} is {len} bytes, over the {ObjectFormats.MaxMetadataSize} byte limit");
            var bytes = new byte[len];
            int read = 0;
            while (read < len)
            {
                int n = RandomAccess.Read(h, bytes.AsSpan(read), read);
                if (n <= 0) throw new CorruptObjectException($"Metadata object {name} was truncated while reading");
                read += n;
            }
            return bytes;
        }
        catch (FileNotFoundException) { return Parent?.TryLoadMetadata(name); }
        catch (DirectoryNotFoundException) { return Parent?.TryLoadMetadata(name); }
        catch (UnauthorizedAccessException e) { throw Unreadable(path, e); }
    }

    /// <summary>ostree's words for an object it cannot open: the path below <c>objects/</c>, as its openat() saw it.</summary>
    private RepoException Unreadable(string path, Exception e) =>
        new($"openat({System.IO.Path.GetRelativePath(_repo.FullPath(RepoLayout.Objects), path)}): {IoErrors.Describe(e)}");

    public byte[] LoadMetadata(ObjectName name) =>
        TryLoadMetadata(name) ?? throw new ObjectNotFoundException(name, $"No such metadata object {name}");

    public ContentObject LoadContent(Checksum checksum)
    {
        var name = new ObjectName(checksum, ObjectType.File);
        var path = _repo.ObjectPath(name);
        var st = Files.TryLStat(path);
        if (st is null)
        {
            if (Parent is { } parent) return parent.LoadContent(checksum);
            throw new ObjectNotFoundException(name, $"Couldn't find file object '{checksum}'");
        }
        var status = st.Value;
        try
        {
            return _repo.Mode switch
            {
                RepoMode.Archive => LoadArchive(path),
                RepoMode.Bare => LoadBare(path, status),
                RepoMode.BareUser => LoadBareUser(path, status, checksum),
                RepoMode.BareUserOnly => LoadBareUserOnly(path, status),
                // ostree 2022.7 neither writes nor reads content objects in a bare-split-xattrs repository
                _ => throw new RepoException($"Reading content object {checksum}: Not allowed due to repo mode"),
            };
        }
        catch (UnauthorizedAccessException e) { throw Unreadable(path, e); }
    }

    private static ContentObject LoadArchive(string path)
    {
        byte[] headerBytes;
        long payloadOffset;
        using (var h = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            Span<byte> prefix = stackalloc byte[8];
            int got = RandomAccess.Read(h, prefix, 0);
            long fileLen = RandomAccess.GetLength(h);
            uint len = FileHeader.CheckArchiveHeaderSize(prefix[..got], fileLen);
            headerBytes = new byte[len];
            if (RandomAccess.Read(h, headerBytes, 8) != len)
                throw new CorruptObjectException($"File header size {len} exceeds size {fileLen}");
            payloadOffset = 8 + len;
        }
        var (header, size) = FileHeader.ParseArchiveHeader(headerBytes);
        return new ContentObject
        {
            Header = header,
            Size = header.IsRegular ? (long)size : 0,
            LoosePath = path,
            IsHardlinkable = false,
            OpenContentStream = () =>
            {
                // strict inflater: a truncated or corrupt payload fails instead of yielding short content
                var h = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
                return new InflatingReadStream(h, payloadOffset, RandomAccess.GetLength(h), ownsFile: true);
            },
        };
    }

    private static ContentObject LoadBare(string path, FileStatus st)
    {
        var xattrs = XattrList.Canonical(Native.Xattrs.GetAll(path).Select(x => new Xattr(x.Name, x.Value)));
        if (st.IsSymlink)
        {
            return new ContentObject
            {
                Header = new FileHeader(st.Uid, st.Gid, st.Mode, Files.ReadLink(path), xattrs),
                Size = 0,
                LoosePath = path,
                IsHardlinkable = true,
                OpenContentStream = () => throw new InvalidOperationException(),
            };
        }
        if (!st.IsRegular) throw new CorruptObjectException($"Corrupted file object {path}: not a regular file or symlink");
        return new ContentObject
        {
            Header = new FileHeader(st.Uid, st.Gid, st.Mode, "", xattrs),
            Size = st.Size,
            LoosePath = path,
            IsHardlinkable = true,
            OpenContentStream = () => OpenRead(path),
        };
    }

    private static ContentObject LoadBareUser(string path, FileStatus st, Checksum checksum)
    {
        var meta = Native.Xattrs.Get(path, OstreeMetaXattr)
            ?? throw new CorruptObjectException($"Corrupted file object {checksum}: missing user.ostreemeta xattr");
        DirMetaObject m;
        try
        {
            // user.ostreemeta shares dirmeta's shape (uuua(ayay)) but holds a file mode
            var r = new GVariantReader(meta, ObjectFormats.DirMeta);
            m = new DirMetaObject(
                System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(r.Member(0).GetUInt32()),
                System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(r.Member(1).GetUInt32()),
                System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(r.Member(2).GetUInt32()),
                XattrList.Read(r.Member(3)));
        }
        catch (GVariantFormatException e)
        {
            throw new CorruptObjectException($"Corrupted file object {checksum}: invalid user.ostreemeta: {e.Message}");
        }
        if (!st.IsRegular) throw new CorruptObjectException($"Corrupted file object {checksum}: not a regular file");
        if (ObjectFormats.IsSymlink(m.Mode))
        {
            var target = File.ReadAllBytes(path);
            int nul = Array.IndexOf(target, (byte)0);
            var text = Encoding.UTF8.GetString(target, 0, nul < 0 ? target.Length : nul);
            return new ContentObject
            {
                Header = new FileHeader(m.Uid, m.Gid, m.Mode, text, m.Xattrs),
                Size = 0,
                LoosePath = path,
                IsHardlinkable = false,
                OpenContentStream = () => throw new InvalidOperationException(),
            };
        }
        return new ContentObject
        {
            Header = new FileHeader(m.Uid, m.Gid, m.Mode, "", m.Xattrs),
            Size = st.Size,
            LoosePath = path,
            // in user mode the object's own mode is (mode & 0775) | 0400, so hardlinks are right only for -U checkouts
            IsHardlinkable = false,
            OpenContentStream = () => OpenRead(path),
        };
    }

    private static ContentObject LoadBareUserOnly(string path, FileStatus st)
    {
        if (st.IsSymlink)
        {
            return new ContentObject
            {
                Header = new FileHeader(0, 0, st.Mode, Files.ReadLink(path), XattrList.Empty),
                Size = 0,
                LoosePath = path,
                IsHardlinkable = true,
                OpenContentStream = () => throw new InvalidOperationException(),
            };
        }
        return new ContentObject
        {
            Header = new FileHeader(0, 0, st.Mode, "", XattrList.Empty),
            Size = st.Size,
            LoosePath = path,
            IsHardlinkable = true,
            OpenContentStream = () => OpenRead(path),
        };
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
}
