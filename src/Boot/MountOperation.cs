namespace Arbor.Boot;

/// <summary>What one step of a <see cref="MountPlan"/> does.</summary>
internal enum MountOperation
{
    /// <summary>mount(NULL, target, NULL, MS_PRIVATE [| MS_REC]): stop propagation.</summary>
    MakePrivate,
    /// <summary>mount(source, target, NULL, MS_BIND).</summary>
    Bind,
    /// <summary>mount(target, target, NULL, MS_BIND|MS_REMOUNT [| MS_RDONLY]): per-mount flags only.</summary>
    RemountBind,
    /// <summary>mount(target, target, NULL, MS_REMOUNT [| MS_RDONLY]): the filesystem's flags.</summary>
    Remount,
    /// <summary>mount("overlay", target, "overlay", 0, data).</summary>
    Overlay,
    /// <summary>mount(source, target, NULL, MS_MOVE).</summary>
    Move,
    /// <summary>mkdir(target, mode).</summary>
    MakeDirectory,
    /// <summary>rmdir(target).</summary>
    RemoveDirectory,
    /// <summary>create an empty file (mode) or truncate it.</summary>
    WriteFile,
}
