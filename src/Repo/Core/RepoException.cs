namespace Arbor.Repo.Core;

/// <summary>A repository operation failed (missing repo, bad config, lock timeout, ...).</summary>
public class RepoException : ArborException
{
    public RepoException(string message) : base(message) { }
    public RepoException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>Opening a repository found no directory, <c>objects/</c> or <c>config</c> there (ostree's G_IO_ERROR_NOT_FOUND).</summary>
public sealed class RepoNotFoundException : RepoException
{
    public RepoNotFoundException(string message) : base(message) { }
}

/// <summary>An object's bytes do not match its name, or are not a valid object of its type.</summary>
public sealed class CorruptObjectException : RepoException
{
    public CorruptObjectException(string message) : base(message) { }
    public CorruptObjectException(string message, Exception inner) : base(message, inner) { }

    /// <summary>ostree's <c>_ostree_compare_object_checksum</c> message: "Corrupted commit object; checksum expected='…' actual='…'".</summary>
    public static CorruptObjectException ChecksumMismatch(ObjectName expected, Checksum actual) =>
        new($"Corrupted {expected.Type.DisplayName()} object; checksum expected='{expected.Checksum}' actual='{actual}'");
}

/// <summary>An object that should be in the repo is not.</summary>
public sealed class ObjectNotFoundException : RepoException
{
    public ObjectNotFoundException(ObjectName name)
        : base($"No such metadata object {name}") { Name = name; }
    public ObjectNotFoundException(ObjectName name, string message) : base(message) { Name = name; }
    public ObjectName Name { get; }
}

/// <summary>A ref or revision that does not resolve.</summary>
public sealed class RefNotFoundException : RepoException
{
    public RefNotFoundException(string message) : base(message) { }
}
