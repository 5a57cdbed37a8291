using Arbor.Repo.Native;

namespace Arbor.Boot;

/// <summary>One row of a <see cref="MountPlan"/>: the system call, its paths and flags, and why it is there.</summary>
internal sealed record MountStep(
    MountOperation Operation,
    string? Source,
    string Target,
    MountFlags Flags,
    string? Data,
    uint Mode,
    string Reason)
{
    /// <summary>The operation's name in text and JSON output.</summary>
    public string OperationName => Operation switch
    {
        MountOperation.MakePrivate => "make-private",
        MountOperation.Bind => "bind",
        MountOperation.RemountBind => "remount-bind",
        MountOperation.Remount => "remount",
        MountOperation.Overlay => "overlay",
        MountOperation.Move => "move",
        MountOperation.MakeDirectory => "mkdir",
        MountOperation.RemoveDirectory => "rmdir",
        MountOperation.WriteFile => "write-file",
        _ => Operation.ToString(),
    };

    /// <summary>The mount flags as the C names, e.g. ["MS_BIND", "MS_REMOUNT", "MS_RDONLY"].</summary>
    public IReadOnlyList<string> FlagNames
    {
        get
        {
            var names = new List<string>();
            void Add(MountFlags f, string n) { if ((Flags & f) != 0) names.Add(n); }
            Add(MountFlags.Bind, "MS_BIND");
            Add(MountFlags.Move, "MS_MOVE");
            Add(MountFlags.Remount, "MS_REMOUNT");
            Add(MountFlags.Recursive, "MS_REC");
            Add(MountFlags.Private, "MS_PRIVATE");
            Add(MountFlags.ReadOnly, "MS_RDONLY");
            Add(MountFlags.NoSuid, "MS_NOSUID");
            Add(MountFlags.NoDev, "MS_NODEV");
            Add(MountFlags.NoExec, "MS_NOEXEC");
            Add(MountFlags.Silent, "MS_SILENT");
            return names;
        }
    }
}
