using Arbor.Repo.Core;

namespace Arbor.Repo.Read;

/// <summary>A path inside a commit that cannot be read (ostree's GFile errors).</summary>
public class TreePathException : RepoException
{
    public TreePathException(string message) : base(message) { }
}

public sealed class TreePathNotFoundException(string path) : TreePathException($"No such file or directory: {path}")
{
    public string TreePath { get; } = path;
}

public sealed class NotADirectoryException() : TreePathException("Not a directory");
