using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Diff;

/// <summary>
/// A path on the local file system, for <see cref="TreeDiff"/>: checksummed as ostree would commit
/// it (owner, mode, symlink target, sorted non-empty xattrs, content), directories by their dirmeta.
/// </summary>
public sealed class LocalDiffNode : DiffNode
{
    private const int GLibChunkSize = 1000;
    private readonly string _path;
    private readonly FileStatus _stat;

    private LocalDiffNode(string path, FileStatus stat)
    {
        _path = path;
        _stat = stat;
    }

    /// <summary>The top of a local tree; a one-line error when it cannot be stat'ed.</summary>
    public static LocalDiffNode Open(string path)
    {
        var st = Files.TryLStat(path) ?? throw new RepoException($"Error when getting information for file “{System.IO.Path.GetFullPath(path)}”: No such file or directory");
        return new LocalDiffNode(path, st);
    }

    public string FullPath => _path;
    public override string Name => System.IO.Path.GetFileName(_path);
    public override bool IsRepoFile => false;

    public override DiffFileType Type =>
        _stat.IsDirectory ? DiffFileType.Directory
        : _stat.IsSymlink ? DiffFileType.Symlink
        : _stat.IsRegular ? DiffFileType.Regular
        : DiffFileType.Special;

    /// <summary>GLib's local enumeration order: readdir order in chunks of 1000, each sorted by inode.</summary>
    public override IEnumerable<DiffNode> EnumerateChildren()
    {
        var chunk = new List<LocalDiffNode>(GLibChunkSize);
        foreach (var entry in Directory.EnumerateFileSystemEntries(_path))
        {
            if (Files.TryLStat(entry) is not { } st) continue;
            chunk.Add(new LocalDiffNode(entry, st));
            if (chunk.Count == GLibChunkSize)
            {
                foreach (var n in chunk.OrderBy(c => c._stat.Inode).ToList()) yield return n;
                chunk.Clear();
            }
        }
        foreach (var n in chunk.OrderBy(c => c._stat.Inode).ToList()) yield return n;
    }

    public override DiffNode? TryGetChild(string name)
    {
        var p = System.IO.Path.Combine(_path, name);
        return Files.TryLStat(p) is { } st ? new LocalDiffNode(p, st) : null;
    }

    public override Checksum ComputeChecksum(DiffOptions options)
    {
        uint uid = options.OwnerUid >= 0 ? (uint)options.OwnerUid : _stat.Uid;
        uint gid = options.OwnerGid >= 0 ? (uint)options.OwnerGid : _stat.Gid;
        var xattrs = options.IgnoreXattrs
            ? XattrList.Empty
            : XattrList.Canonical(Xattrs.GetAll(_path).Select(x => new Xattr(x.Name, x.Value)));
        if (_stat.IsDirectory) return new DirMetaObject(uid, gid, _stat.Mode, xattrs).ComputeChecksum();
        if (_stat.IsSymlink) return ContentHasher.Compute(new FileHeader(uid, gid, _stat.Mode, Files.ReadLink(_path), xattrs), (Stream?)null);
        var header = new FileHeader(uid, gid, _stat.Mode, "", xattrs);
        if (!_stat.IsRegular) return ContentHasher.Compute(header, (Stream?)null);
        using var content = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return ContentHasher.Compute(header, content);
    }

    /// <summary><c>g_file_get_relative_path (top, this)</c>.</summary>
    public override string DisplayPath(DiffNode top) =>
        top is LocalDiffNode t ? System.IO.Path.GetRelativePath(t._path, _path) : _path;
}
