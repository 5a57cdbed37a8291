using Arbor.Repo.Objects;

namespace Arbor.Repo.Read;

public enum TreeEntryKind { Regular, Directory, Symlink }

/// <summary>What <c>ls</c> shows of one entry. <see cref="Mode"/> includes the file-type bits.</summary>
public sealed record RepoPathInfo(string Name, TreeEntryKind Kind, uint Mode, uint Uid, uint Gid, long Size, string? SymlinkTarget, XattrList Xattrs);
