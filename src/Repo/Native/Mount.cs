using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Arbor.Repo.Native;

[Flags]
public enum MountFlags : ulong
{
    None = 0,
    ReadOnly = 1,
    NoSuid = 2,
    NoDev = 4,
    NoExec = 8,
    Remount = 32,
    Bind = 4096,
    Move = 8192,
    Recursive = 16384,
    Silent = 32768,
    Unbindable = 1 << 17,
    Private = 1 << 18,
    Slave = 1 << 19,
    Shared = 1 << 20,
    RelativeAtime = 1 << 21,
}

/// <summary>mount(2) and umount2(2).</summary>
internal static unsafe class Mount
{
    public const int MNT_DETACH = 2;

    public static void Run(string? source, string target, string? fsType, MountFlags flags, string? data = null)
    {
        var s = source is null ? null : Utf8Path.Z(source);
        var t = Utf8Path.Z(target);
        var f = fsType is null ? null : Utf8Path.Z(fsType);
        var d = data is null ? null : Utf8Path.Z(data);
        fixed (byte* ps = s)
        fixed (byte* pt = t)
        fixed (byte* pf = f)
        fixed (byte* pd = d)
        {
            Errno.Check(mount(ps, pt, pf, (ulong_t)(ulong)flags, pd), "mount", target);
        }
    }

    public static void Unmount(string target, int flags = 0)
    {
        fixed (byte* pt = Utf8Path.Z(target))
            Errno.Check(umount2(pt, flags), "umount", target);
    }
}
