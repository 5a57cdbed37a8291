using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Arbor.Repo.Commit;
using Arbor.Repo.Core;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Import;

/// <summary>
/// Overlays a tar or cpio archive (plain or gzip, detected by magic; cpio through <see cref="CpioReader"/>) into a <see cref="MutableTree"/>,
/// with the semantics of ostree's libarchive importer (ostree-repo-libarchive.c): modes and owners
/// from the archive (overrides apply), pax <c>SCHILY.xattr.*</c> xattrs in archive order,
/// directories must precede their entries unless parents are auto-created, hardlinks resolved at
/// the end to their target's object. Unlike ostree, empty and absolute names are refused.
/// </summary>
/// <remarks>
/// Uses System.Formats.Tar rather than SharpZipLib: SharpZipLib 1.4.2 keeps only the <c>path</c>
/// pax record (no xattrs, no <c>linkpath</c>), ignores GNU long link names (<c>K</c>, so long
/// symlink targets are cut at 100 bytes) and silently skips device and fifo entries, which ostree
/// refuses.
/// </remarks>
public static class TarImporter
{
    private const uint DefaultDirMode = ObjectFormats.S_IFDIR | 0x1ED; // 0755
    private const string PaxXattrPrefix = "SCHILY.xattr.";

    private sealed record DeferredLink(MutableTree Parent, string Name, long Size);

    public static void Import(ImportContext ctx, string file, MutableTree root, bool autocreateParents, TarPathnameFilter? pathnameFilter = null)
    {
        Stream input;
        try
        {
            input = File.OpenRead(file == "-" ? "/dev/stdin" : file); // "-": the process's standard input
        }
        // libarchive's words, behind the name of the call that failed, as ostree propagates them
        catch (UnauthorizedAccessException) when (Directory.Exists(file))
        {
            throw new RepoException($"archive_read_open_filename: Error reading '{file}'");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new RepoException($"archive_read_open_filename: Failed to open '{file}'");
        }
        using (input)
        {
            var (data, gzip) = OpenDecompressed(input);
            bool cpio;
            try { cpio = IsCpio(ref data); }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException) { throw new RepoException(ArchiveError(e, gzip, 0)); }
            if (cpio)
            {
                using (data)
                {
                    try { ImportCpio(ctx, new CpioReader(data), root, autocreateParents, pathnameFilter); }
                    catch (InvalidDataException e) when (e.Source == GzipSource) { throw new RepoException("gzip decompression failed"); }
                }
                return;
            }
            var raw = new TarRawNames(data);
            try
            {
                using (data)
                using (var reader = new TarReader(raw, leaveOpen: true))
                    Import(ctx, reader, raw, gzip, root, autocreateParents, pathnameFilter);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw new RepoException(ArchiveError(e, gzip, raw.EntriesRead));
            }
        }
    }

    /// <summary>
    /// libarchive's words (as ostree 2022.7 prints them) for an archive that ends early or does not
    /// parse: the BCL's own ("Unable to read beyond the end of the stream.") say nothing of the archive.
    /// </summary>
    private static string ArchiveError(Exception e, bool gzip, int entriesRead) => e switch
    {
        InvalidDataException when gzip && e.Source == GzipSource => "gzip decompression failed",
        EndOfStreamException when gzip => "archive_read_open_filename: truncated gzip input",
        EndOfStreamException => "Truncated tar archive",
        _ when entriesRead == 0 => "archive_read_open_filename: Unrecognized archive format",
        _ => "Damaged tar archive",
    };

    private const string GzipSource = "gzip";

    /// <summary>gzip (magic 1f 8b) is decompressed on the fly; anything else is read as a plain tar.</summary>
    private static (Stream Data, bool Gzip) OpenDecompressed(Stream input)
    {
        var magic = new byte[2];
        int n = input.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        var replayed = new PrefixedStream(magic.AsMemory(0, n), input);
        return n == 2 && magic[0] == 0x1F && magic[1] == 0x8B
            ? (new GzipErrors(new GZipStream(replayed, CompressionMode.Decompress)), true)
            : (replayed, false);
    }

    /// <summary>libarchive tells the formats apart by their first bytes: a cpio magic reads the archive as cpio (the bytes read are replayed).</summary>
    private static bool IsCpio(ref Stream data)
    {
        var magic = new byte[6];
        int n = data.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        data = new PrefixedStream(magic.AsMemory(0, n), data);
        return CpioReader.Detect(magic.AsSpan(0, n));
    }

    /// <summary>Marks the InvalidDataException of a corrupt deflate stream, so it is not taken for a damaged tar header.</summary>
    private sealed class GzipErrors(Stream inner) : ReadOnlyStream
    {
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            try { return inner.Read(buffer); }
            catch (InvalidDataException e) { throw new InvalidDataException(e.Message, e) { Source = GzipSource }; }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>An entry's data, which must be as long as its header says: a short one is a truncated archive.</summary>
    private sealed class ExactLength(Stream inner, long length) : ReadOnlyStream
    {
        private long _left = length;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_left == 0 || buffer.IsEmpty) return 0;
            int n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
            if (n == 0) throw new EndOfStreamException();
            _left -= n;
            return n;
        }
    }

    private static void Import(ImportContext ctx, TarReader reader, TarRawNames raw, bool gzip, MutableTree root, bool autocreateParents, TarPathnameFilter? pathnameFilter)
    {
        var links = new DeferredLinks();
        TarEntry? entry = null;
        while (true)
        {
            entry?.DataStream?.CopyTo(Stream.Null); // the rest of the previous entry's data, so only headers are recorded
            // no end-of-archive blocks after the last entry: libarchive takes the end of the file for
            // them; a gzip stream that ends there is taken as cut short (.NET's GZipStream does not
            // report a missing trailer, and a compressed tar has its end blocks)
            if (raw.EndsAtBlockBoundary())
            {
                if (gzip) throw new EndOfStreamException();
                break;
            }
            raw.BeginHeaders();
            entry = reader.GetNextEntry();
            if (entry is null) break;
            raw.EndHeaders(entry.Length);
            var member = new ArchiveMember(entry.Name, entry.EntryType, (uint)entry.Mode, (uint)entry.Uid, (uint)entry.Gid, entry.LinkName,
                entry.Length, entry.DataStream, ctx.Modifier.SkipArchiveXattrs ? XattrList.Empty : ArchiveXattrs(entry), raw.RawName);
            ImportMember(ctx, member, root, autocreateParents, pathnameFilter, links);
        }
        Finish(ctx, root, autocreateParents, links);
    }

    private static void ImportCpio(ImportContext ctx, CpioReader reader, MutableTree root, bool autocreateParents, TarPathnameFilter? pathnameFilter)
    {
        var links = new DeferredLinks();
        while (reader.Next() is { } member)
            ImportMember(ctx, member, root, autocreateParents, pathnameFilter, links);
        Finish(ctx, root, autocreateParents, links);
    }

    /// <summary>Hardlinks by target, in the order their targets were first named.</summary>
    private sealed class DeferredLinks
    {
        public readonly Dictionary<string, List<DeferredLink>> ByTarget = new(StringComparer.Ordinal);
        public readonly List<string> Order = [];
    }

    private static void ImportMember(ImportContext ctx, ArchiveMember entry, MutableTree root, bool autocreateParents, TarPathnameFilter? pathnameFilter, DeferredLinks deferred)
    {
        var entryName = pathnameFilter is null ? entry.Name : pathnameFilter.Apply(entry.Name);
        // the filter gets the root as "" and may give "" back
        var components = entryName.Length == 0 && pathnameFilter is not null ? [] : SplitPath(entryName);
        var path = string.Join('/', components);
        uint type = TypeBits(entry.Type, path);
        if (entry.Name.Contains('\uFFFD')) CheckUtf8(entry.RawName(), type == ObjectFormats.S_IFDIR, autocreateParents);
        // without a filter ostree drops a leading "./" (the root entry); a filter's result is taken as it is
        if (type == ObjectFormats.S_IFDIR && pathnameFilter is not null && entryName.Length > 0 && entryName.TrimEnd('/').Split('/')[^1] == ".")
            throw new RepoException("ostree-tar: Failed to handle directory: Invalid self-referential filename '.'");
        if (type != ObjectFormats.S_IFDIR && entryName.TrimEnd('/').Split('/')[^1] == ".")
            throw new RepoException("ostree-tar: Failed to handle file: ostree-tar: Failed to import file: Invalid self-referential filename '.'");
        uint uid = entry.Uid, gid = entry.Gid, mode = type | (entry.Mode & ObjectFormats.PermissionMask);
        // the filter sees the path from the archive's root ("/" + path), as ostree's aic_apply_modifier_filter
        if (!ctx.Modifier.TryApply(ctx.Modifier.Filter is null ? null : "/" + path, ref uid, ref gid, ref mode)) return;

        var parent = ParentDir(ctx, root, components, entry, autocreateParents);
        var xattrs = entry.Xattrs;
        if (Labeled(ctx)) xattrs = ctx.Modifier.AppendLabel("/" + path, mode, xattrs);
        if (type == ObjectFormats.S_IFDIR)
        {
            var dir = components.Count == 0 ? root : parent.EnsureDir(components[^1]);
            dir.MetadataChecksum = ctx.WriteDirMeta(new DirMetaObject(uid, gid, mode, xattrs), applyModifier: false);
            return;
        }
        if (components.Count == 0)
            throw new RepoException($"ostree-tar: Invalid path \"{entryName}\": not a directory at the root of the archive");
        string name = components[^1];
        string? hardlink = entry.Type == TarEntryType.HardLink ? string.Join('/', SplitPath(pathnameFilter is null ? entry.LinkName : pathnameFilter.Apply(entry.LinkName))) : null;
        if (hardlink is null || entry.Length > 0)
        {
            var header = new FileHeader(uid, gid, mode, type == ObjectFormats.S_IFLNK ? entry.LinkName : "", xattrs);
            if (type == ObjectFormats.S_IFLNK && entry.LinkName.Length == 0)
                throw new RepoException($"ostree-tar: Invalid empty symlink target for path \"{path}\"");
            var checksum = type == ObjectFormats.S_IFLNK
                ? ctx.WriteFile(header, null, 0)
                : ctx.WriteFile(header, entry.Data is { } data ? new ExactLength(data, entry.Length) : Stream.Null, entry.Length);
            parent.ReplaceFile(name, checksum);
        }
        if (hardlink is not null)
        {
            if (!deferred.ByTarget.TryGetValue(hardlink, out var links))
            {
                deferred.ByTarget[hardlink] = links = new List<DeferredLink>();
                deferred.Order.Add(hardlink);
            }
            links.Add(new DeferredLink(parent, name, entry.Length));
        }
    }

    private static void Finish(ImportContext ctx, MutableTree root, bool autocreateParents, DeferredLinks deferred)
    {
        foreach (var target in deferred.Order)
            ResolveHardlinks(root, target, deferred.ByTarget[target]);

        // an archive of metadata only (e.g. a container layer) still gets a root directory
        if (autocreateParents && root.MetadataChecksum is null)
            root.MetadataChecksum = ctx.WriteDirMeta(new DirMetaObject(0, 0, DefaultDirMode, CreatedDirXattrs(ctx, "/")));
    }

    private static bool Labeled(ImportContext ctx) => ctx.Modifier.SePolicy is { Enabled: true };

    /// <summary>The xattrs of a directory the archive does not have: only the policy's label for it (as 0755), if any.</summary>
    private static XattrList CreatedDirXattrs(ImportContext ctx, string path) =>
        Labeled(ctx) ? ctx.Modifier.AppendLabel(path, DefaultDirMode, XattrList.Empty) : XattrList.Empty;

    /// <summary>
    /// The decoded name holds a U+FFFD: refuse the entry, as ostree does, if that comes from bytes
    /// that are not UTF-8 (rather than from a real U+FFFD). The first bad component is named, with
    /// ostree's context: a parent it would create, the directory or the file itself.
    /// </summary>
    private static void CheckUtf8(byte[]? name, bool isDirectory, bool autocreateParents)
    {
        if (name is null) throw new RepoException("ostree-tar: Failed to import file: Invalid UTF-8 in filename");
        var parts = new List<byte[]>();
        foreach (var range in name.AsSpan().Split((byte)'/'))
        {
            var part = name.AsSpan(range);
            if (part.Length == 0 || part.SequenceEqual("."u8)) continue;
            parts.Add(part.ToArray());
        }
        for (int i = 0; i < parts.Count; i++)
        {
            if (System.Text.Unicode.Utf8.IsValid(parts[i])) continue;
            string shown = Encoding.UTF8.GetString(parts[i]);
            if (i < parts.Count - 1)
                throw new RepoException(autocreateParents
                    ? $"ostree-tar: Failed to create parent: Invalid UTF-8 in filename {shown}"
                    : $"No such file or directory: {shown}");
            throw new RepoException(isDirectory
                ? $"ostree-tar: Failed to handle directory: Invalid UTF-8 in filename {shown}"
                : $"ostree-tar: Failed to handle file: ostree-tar: Failed to import file: Invalid UTF-8 in filename {shown}");
        }
    }

    private static uint TypeBits(TarEntryType type, string path) => type switch
    {
        TarEntryType.Directory => ObjectFormats.S_IFDIR,
        TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile => ObjectFormats.S_IFREG,
        TarEntryType.HardLink => ObjectFormats.S_IFREG, // ostree reads hardlink entries as regular files
        TarEntryType.SymbolicLink => ObjectFormats.S_IFLNK,
        _ => throw new RepoException($"Unsupported file type for path \"{path}\""),
    };

    /// <summary>
    /// The entry's path as components: "./" prefixes, "." and empty components dropped (so "./"
    /// is the root); "..", absolute and empty names refused.
    /// </summary>
    internal static List<string> SplitPath(string raw)
    {
        if (raw.Length == 0) throw new RepoException("ostree-tar: Invalid empty path in archive");
        if (raw[0] == '/') throw new RepoException($"ostree-tar: Invalid absolute path \"{raw}\" in archive");
        var components = new List<string>();
        foreach (var part in raw.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..") throw new RepoException($"While making relative path \"{raw}\":Invalid uplink '..' in path {raw}");
            if (!TreeEntryName.IsValid(part))
                throw new RepoException($"ostree-tar: Invalid filename '{TreeEntryName.Escape(part)}' in path \"{TreeEntryName.Escape(raw)}\"");
            components.Add(part);
        }
        return components;
    }

    /// <summary>
    /// The directory that will hold the entry. Missing parents are an error unless
    /// <paramref name="autocreate"/>; then, as ostree does, every directory from the root down is
    /// (re)given 0755 metadata owned by the entry's raw uid/gid.
    /// </summary>
    private static MutableTree ParentDir(ImportContext ctx, MutableTree root, List<string> components, ArchiveMember entry, bool autocreate)
    {
        if (components.Count <= 1) return root;
        var parent = root.Walk(components, components.Count - 1);
        if (parent is not null) return parent;
        if (!autocreate)
        {
            var node = root;
            foreach (var c in components.Take(components.Count - 1))
            {
                node = node.Lookup(c).Dir ?? throw new RepoException($"No such file or directory: {c}");
            }
            return node;
        }
        // each is labeled as its own path when a policy labels the commit, so the metadata differs per directory
        Checksum Meta(string path) => ctx.WriteDirMeta(
            new DirMetaObject(entry.Uid, entry.Gid, DefaultDirMode, CreatedDirXattrs(ctx, path)), applyModifier: false);
        var shared = Labeled(ctx) ? (Checksum?)null : Meta("/");
        var dir = root;
        dir.MetadataChecksum = shared ?? Meta("/");
        for (int i = 0; i < components.Count - 1; i++)
        {
            dir = dir.EnsureDir(components[i]);
            dir.MetadataChecksum = shared ?? Meta("/" + string.Join('/', components.Take(i + 1)));
        }
        return dir;
    }

    /// <summary>pax <c>SCHILY.xattr.NAME=value</c> records, in reverse archive order: libarchive prepends each xattr it reads to the entry's list and
    /// ostree 2022.7 commits that list as is (neither sorted nor filtered).</summary>
    private static XattrList ArchiveXattrs(TarEntry entry)
    {
        if (entry is not PaxTarEntry pax) return XattrList.Empty;
        List<Xattr>? list = null;
        foreach (var (key, value) in pax.ExtendedAttributes)
        {
            if (!key.StartsWith(PaxXattrPrefix, StringComparison.Ordinal) || key.Length == PaxXattrPrefix.Length) continue;
            (list ??= new()).Add(new Xattr(Encoding.UTF8.GetBytes(key[PaxXattrPrefix.Length..]), Encoding.UTF8.GetBytes(value)));
        }
        if (list is null) return XattrList.Empty;
        list.Reverse();
        return new XattrList(list);
    }

    /// <summary>
    /// Hardlinks point at an earlier entry; like ostree, they are resolved after the whole archive:
    /// a link entry with data (cpio style) becomes the target's content, then every link gets the
    /// target's object.
    /// </summary>
    private static void ResolveHardlinks(MutableTree root, string target, List<DeferredLink> links)
    {
        var components = target.Split('/').ToList();
        string context = $"ostree-tar: Processing deferred hardlink {target}";
        var targetParent = root.Walk(components, components.Count - 1)
            ?? throw new RepoException($"{context}: Failed to find object: No such file or directory: {components[0]}");
        var payload = links.FirstOrDefault(l => l.Size > 0);
        if (payload is not null)
        {
            var payloadChecksum = payload.Parent.Lookup(payload.Name).File
                ?? throw new RepoException($"{context}: Failed importing hardlink: No such file or directory: {payload.Name}");
            targetParent.ReplaceFile(components[^1], payloadChecksum);
        }
        var (file, dir) = targetParent.Lookup(components[^1]);
        if (dir is not null)
            throw new RepoException($"{context}: Failed to find object: Expected hardlink file target at \"{target}\" but found a directory");
        var checksum = file ?? throw new RepoException($"{context}: Failed to find object: No such file or directory: {components[^1]}");
        foreach (var link in links)
        {
            if (ReferenceEquals(link, payload)) continue;
            link.Parent.ReplaceFile(link.Name, checksum);
        }
    }

    /// <summary>Replays the bytes read to sniff the compression, then the rest of the stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : ReadOnlyStream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty) return inner.Read(buffer);
            int n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }
    }
}
