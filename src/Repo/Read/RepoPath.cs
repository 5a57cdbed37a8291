using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.Read;

/// <summary>
/// A path inside a commit's tree, resolved lazily the way ostree's <c>OstreeRepoFile</c> is
/// (ostree-repo-file.c): a child is looked up in its parent's dirtree (files first, then
/// directories), paths print as <c>/a/b</c>, and failures carry ostree's messages
/// ("No such file or directory: /a/b", "Not a directory", "Can't open directory").
/// </summary>
public sealed class RepoPath
{
    /// <summary>Symlinks followed by <see cref="OpenRead"/> before giving up (the kernel's MAXSYMLINKS).</summary>
    private const int MaxSymlinkHops = 40;

    private readonly Repository _repo;
    private readonly RepoPath? _parent;
    private readonly string? _name;

    private DirTreeObject? _tree;
    private Checksum _treeChecksum, _metaChecksum;
    private DirMetaObject? _meta;
    private Checksum _fileChecksum;
    private bool _resolved;

    private RepoPath(Repository repo, RepoPath? parent, string? name)
    {
        _repo = repo;
        _parent = parent;
        _name = name;
    }

    /// <summary>The root of a commit's tree (<c>_ostree_repo_file_new_for_commit</c>).</summary>
    public static RepoPath ForCommit(Repository repo, Checksum commit)
    {
        var c = repo.LoadCommit(commit);
        return ForTree(repo, c.RootTree, c.RootMeta);
    }

    public static RepoPath ForTree(Repository repo, Checksum tree, Checksum meta) =>
        new(repo, null, null) { _treeChecksum = tree, _metaChecksum = meta };

    public Repository Repository => _repo;
    public bool IsRoot => _parent is null;
    public RepoPath? Parent => _parent;
    public string Name => _name ?? "/";

    /// <summary>The path as ostree prints it: "/" for the root, "/a/b" below it.</summary>
    public string Path
    {
        get
        {
            if (_parent is null) return "/";
            var parts = new List<string>();
            for (var p = this; p._parent is not null; p = p._parent) parts.Add(p._name!);
            parts.Reverse();
            return "/" + string.Join('/', parts);
        }
    }

    public override string ToString() => Path;

    /// <summary><c>g_file_get_child</c>: no lookup yet; a trailing '/' is dropped from the name.</summary>
    public RepoPath Child(string name)
    {
        if (name.EndsWith('/')) name = name[..^1];
        return new RepoPath(_repo, this, name);
    }

    public RepoPath Root
    {
        get
        {
            var p = this;
            while (p._parent is not null) p = p._parent;
            return p;
        }
    }

    /// <summary>
    /// <c>g_file_resolve_relative_path</c> as OstreeRepoFile implements it: an absolute path starts
    /// at the root; each '/'-separated component, even "", "." or "..", is a literal child name.
    /// </summary>
    public RepoPath ResolveRelative(string relative)
    {
        var self = this;
        while (true)
        {
            // ostree recurses on what follows each '/': a rest that is itself absolute ("a//b")
            // starts again at the root, so "/sub//nested" names "/nested".
            if (relative.StartsWith('/'))
            {
                if (relative == "/") return self.Root;
                self = self.Root;
                relative = relative[1..];
            }
            int slash = relative.IndexOf('/');
            if (slash < 0) return self.Child(relative);
            self = self.Child(relative[..(slash + 1)]);
            relative = relative[(slash + 1)..];
        }
    }

    /// <summary>Loads what this path names; throws ostree's errors when it does not exist.</summary>
    public void EnsureResolved()
    {
        if (_resolved) return;
        if (_parent is null)
        {
            _tree = _repo.LoadDirTree(_treeChecksum);
            _meta = _repo.LoadDirMeta(_metaChecksum);
            _resolved = true;
            return;
        }
        _parent.EnsureResolved();
        var tree = _parent._tree ?? throw new NotADirectoryException();
        foreach (var f in tree.Files)
        {
            if (f.Name != _name) continue;
            _fileChecksum = f.Checksum;
            _resolved = true;
            return;
        }
        foreach (var d in tree.Dirs)
        {
            if (d.Name != _name) continue;
            _tree = _repo.LoadDirTree(d.Tree);
            _meta = _repo.LoadDirMeta(d.Meta);
            _treeChecksum = d.Tree;
            _metaChecksum = d.Meta;
            _resolved = true;
            return;
        }
        throw new TreePathNotFoundException(Path);
    }

    public bool IsDirectory
    {
        get
        {
            EnsureResolved();
            return _tree is not null;
        }
    }

    /// <summary>A file's object checksum, or a directory's dirmeta checksum (<c>ostree_repo_file_get_checksum</c>).</summary>
    public Checksum Checksum
    {
        get
        {
            EnsureResolved();
            return _tree is not null ? _metaChecksum : _fileChecksum;
        }
    }

    /// <summary>A directory's dirtree checksum (<c>ostree_repo_file_tree_get_contents_checksum</c>).</summary>
    public Checksum ContentsChecksum
    {
        get
        {
            EnsureResolved();
            return _tree is not null ? _treeChecksum : throw new NotADirectoryException();
        }
    }

    public DirTreeObject Tree
    {
        get
        {
            EnsureResolved();
            return _tree ?? throw new NotADirectoryException();
        }
    }

    /// <summary>Type, mode, owner, size, symlink target and xattrs (<c>g_file_query_info</c> + xattrs).</summary>
    public RepoPathInfo QueryInfo()
    {
        EnsureResolved();
        if (_tree is not null)
        {
            var m = _meta!;
            return new RepoPathInfo(Name, TreeEntryKind.Directory, m.Mode, m.Uid, m.Gid, 0, null, m.Xattrs);
        }
        var content = _repo.LoadContent(_fileChecksum);
        var h = content.Header;
        return new RepoPathInfo(Name, h.IsSymlink ? TreeEntryKind.Symlink : TreeEntryKind.Regular, h.Mode, h.Uid, h.Gid,
            content.Size, h.IsSymlink ? h.SymlinkTarget : null, h.Xattrs);
    }

    /// <summary>Children in ostree's enumeration order: the dirtree's files, then its directories.</summary>
    public IEnumerable<RepoPath> EnumerateChildren()
    {
        var tree = Tree;
        foreach (var f in tree.Files)
            yield return new RepoPath(_repo, this, f.Name) { _fileChecksum = f.Checksum, _resolved = true };
        foreach (var d in tree.Dirs)
        {
            var child = new RepoPath(_repo, this, d.Name);
            child.EnsureResolved();
            yield return child;
        }
    }

    /// <summary>
    /// <c>g_file_read</c>: a regular file's content; a symlink is followed inside the commit's tree
    /// (an absolute target starts at the commit's root), as OstreeRepoFile does.
    /// </summary>
    public Stream OpenRead()
    {
        var p = this;
        for (int hop = 0; ; hop++)
        {
            p.EnsureResolved();
            if (p._tree is not null) throw new TreePathException("Can't open directory");
            var content = p._repo.LoadContent(p._fileChecksum);
            if (content.Header.IsRegular) return content.OpenContent();
            if (hop >= MaxSymlinkHops) throw new TreePathException($"Too many levels of symbolic links: {Path}");
            p = p._parent!.ResolveRelative(content.Header.SymlinkTarget);
        }
    }
}
