using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;

namespace Arbor.Repo.Commit;

/// <summary>
/// A directory of the tree being built (ostree's OstreeMutableTree): files by name (their FILE
/// checksums), subdirectories by name, and the directory's dirmeta checksum. Several trees can be
/// overlaid into one: a later file replaces an earlier one, a later directory merges into an
/// earlier one and replaces its metadata. A node can also stand for an existing dirtree
/// (<c>--tree=ref</c>) without being loaded until something is overlaid into it. A node whose
/// dirtree has been written for good is <em>sealed</em>: it keeps only its two checksums and
/// refuses any change (a streaming directory import seals each directory as soon as it is complete).
/// Thread-safe: importers add files from worker threads.
/// </summary>
public sealed class MutableTree
{
    private readonly object _gate = new();
    private Dictionary<string, Checksum>? _files;
    private Dictionary<string, MutableTree>? _dirs;
    private Checksum? _meta;
    // a dirtree already in the repository that this node still equals (lazy until modified)
    private Checksum? _contents;
    private Repository? _lazyRepo;
    private bool _sealed;

    /// <summary>The dirmeta checksum; null until some tree gave this directory metadata.</summary>
    public Checksum? MetadataChecksum
    {
        get { lock (_gate) return _meta; }
        set
        {
            lock (_gate)
            {
                ThrowIfSealed();
                _meta = value;
            }
        }
    }

    /// <summary>The dirtree checksum when it is known (an untouched <c>--tree=ref</c> directory, or after writing).</summary>
    public Checksum? ContentsChecksum
    {
        get { lock (_gate) return _contents; }
    }

    /// <summary>True once <see cref="Seal"/> dropped the entries: only the checksums remain.</summary>
    public bool IsSealed
    {
        get { lock (_gate) return _sealed; }
    }

    public bool IsEmpty
    {
        get
        {
            lock (_gate)
                return _meta is null && _contents is null && (_files?.Count ?? 0) == 0 && (_dirs?.Count ?? 0) == 0;
        }
    }

    /// <summary>Makes an empty node stand for an existing dirtree; false when the node already has content.</summary>
    public bool TryFillEmptyFromDirTree(Repository repo, Checksum contents, Checksum meta)
    {
        lock (_gate)
        {
            if (_meta is not null || _contents is not null || (_files?.Count ?? 0) != 0 || (_dirs?.Count ?? 0) != 0) return false;
            _lazyRepo = repo;
            _contents = contents;
            _meta = meta;
            return true;
        }
    }

    /// <summary>Adds or replaces a file; a directory of that name is an error (as in ostree).</summary>
    public void ReplaceFile(string name, Checksum checksum)
    {
        lock (_gate)
        {
            MakeWhole();
            if (_dirs is not null && _dirs.ContainsKey(name))
                throw new RepoException($"Can't replace directory with file: {name}");
            (_files ??= new(StringComparer.Ordinal))[name] = checksum;
            _contents = null;
        }
    }

    /// <summary>Returns the subdirectory <paramref name="name"/>, creating it; a file of that name is an error.</summary>
    public MutableTree EnsureDir(string name)
    {
        lock (_gate)
        {
            MakeWhole();
            if (_files is not null && _files.ContainsKey(name))
                throw new RepoException($"Can't replace file with directory: {name}");
            _dirs ??= new(StringComparer.Ordinal);
            if (!_dirs.TryGetValue(name, out var dir))
            {
                dir = new MutableTree();
                _dirs.Add(name, dir);
                _contents = null;
            }
            return dir;
        }
    }

    /// <summary>Looks up an entry: its file checksum, or its directory node; both null when absent.</summary>
    public (Checksum? File, MutableTree? Dir) Lookup(string name)
    {
        lock (_gate)
        {
            MakeWhole();
            if (_files is not null && _files.TryGetValue(name, out var c)) return (c, null);
            if (_dirs is not null && _dirs.TryGetValue(name, out var d)) return (null, d);
            return (null, null);
        }
    }

    /// <summary>The directory at <paramref name="components"/> (all existing directories); null when one is missing.</summary>
    public MutableTree? Walk(IReadOnlyList<string> components, int count)
    {
        var node = this;
        for (int i = 0; i < count; i++)
        {
            var (_, dir) = node.Lookup(components[i]);
            if (dir is null) return null;
            node = dir;
        }
        return node;
    }

    /// <summary>Files and subdirectories, each sorted as dirtrees sort them (strcmp of UTF-8 names).</summary>
    internal (List<KeyValuePair<string, Checksum>> Files, List<KeyValuePair<string, MutableTree>> Dirs) Snapshot()
    {
        lock (_gate)
        {
            MakeWhole();
            var files = _files is null ? new List<KeyValuePair<string, Checksum>>() : _files.ToList();
            var dirs = _dirs is null ? new List<KeyValuePair<string, MutableTree>>() : _dirs.ToList();
            files.Sort((a, b) => DirTreeObject.CompareNames(a.Key, b.Key));
            dirs.Sort((a, b) => DirTreeObject.CompareNames(a.Key, b.Key));
            return (files, dirs);
        }
    }

    internal void SetWrittenContents(Checksum contents)
    {
        lock (_gate) _contents = contents;
    }

    /// <summary>
    /// Keeps only the dirtree checksum <paramref name="contents"/> (already written) and the
    /// dirmeta checksum, dropping the entries: nothing may be overlaid into this node any more.
    /// </summary>
    internal void Seal(Checksum contents)
    {
        lock (_gate)
        {
            if (_meta is null) throw new InvalidOperationException("a directory is sealed only once it has metadata");
            _contents = contents;
            _sealed = true;
            _lazyRepo = null;
            _files = null;
            _dirs = null;
        }
    }

    private void ThrowIfSealed()
    {
        if (_sealed) throw new InvalidOperationException("directory already written and sealed; it cannot change any more");
    }

    /// <summary>
    /// Loads a lazy node's entries (children stay lazy) so it can be looked into or modified. A
    /// node made whole is written again from its entries, so a modified child never leaves a
    /// stale parent checksum behind.
    /// </summary>
    private void MakeWhole()
    {
        ThrowIfSealed();
        if (_lazyRepo is null || _contents is null) return;
        var tree = _lazyRepo.LoadDirTree(_contents.Value);
        var repo = _lazyRepo;
        _lazyRepo = null;
        _contents = null; // from now on the node is re-serialized from its entries
        _files = new(StringComparer.Ordinal);
        _dirs = new(StringComparer.Ordinal);
        foreach (var f in tree.Files) _files[f.Name] = f.Checksum;
        foreach (var d in tree.Dirs)
        {
            var child = new MutableTree();
            child.TryFillEmptyFromDirTree(repo, d.Tree, d.Meta);
            _dirs[d.Name] = child;
        }
    }
}
