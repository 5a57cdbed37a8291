using System.Text;

namespace Arbor.Repo.Finders;

/// <summary>
/// The mounts GLib's unix volume monitor shows to users (what <c>g_volume_monitor_get_mounts</c> gives
/// the mount finder), from <c>/proc/self/mountinfo</c>: not a system file system type, device or mount
/// point (GLib 2.74's lists), not a bind mount of a subdirectory, not under a dot directory, and under
/// <c>/media/</c>, <c>/run/media/</c> (<c>/run/media/$USER/</c> for other users than root) or $HOME.
/// So a tmpfs is never a "USB stick" for ostree: it is a system file system type.
/// </summary>
public static class UserMounts
{
    private static readonly HashSet<string> SystemFsTypes =
    [
        "adfs", "afs", "auto", "autofs", "autofs4", "cgroup", "configfs", "cxfs", "debugfs", "devfs", "devpts",
        "devtmpfs", "ecryptfs", "fdescfs", "fusectl", "gfs", "gfs2", "gpfs", "hugetlbfs", "kernfs", "linprocfs",
        "linsysfs", "lustre", "lustre_lite", "mfs", "mqueue", "ncpfs", "nfsd", "nullfs", "ocfs2", "overlay", "proc",
        "procfs", "pstore", "ptyfs", "rootfs", "rpc_pipefs", "securityfs", "selinuxfs", "sysfs", "tmpfs", "usbfs",
    ];

    private static readonly HashSet<string> SystemDevices = ["none", "sunrpc", "devpts", "nfsd", "/dev/loop", "/dev/vn"];

    private static readonly HashSet<string> SystemMountPoints =
    [
        "/", "/bin", "/boot", "/compat/linux/proc", "/compat/linux/sys", "/dev", "/etc", "/home", "/lib", "/lib64",
        "/libexec", "/live/cow", "/live/image", "/media", "/mnt", "/opt", "/rescue", "/root", "/sbin", "/srv", "/tmp",
        "/usr", "/usr/X11R6", "/usr/local", "/usr/obj", "/usr/ports", "/usr/src", "/usr/xobj", "/var", "/var/crash",
        "/var/local", "/var/log", "/var/log/audit", "/var/mail", "/var/run", "/var/tmp", "/proc", "/net", "/sys",
    ];

    /// <summary>One line of mountinfo: the mount point, the root of the mount within its file system, type and source.</summary>
    public sealed record Entry(string MountPoint, string Root, string FsType, string Device);

    /// <summary>The mount points to scan, in mountinfo order.</summary>
    public static List<string> List(string mountInfoPath = "/proc/self/mountinfo")
    {
        var home = Environment.GetEnvironmentVariable("HOME") ?? "/root";
        bool root = Native.Files.IsRoot;
        var user = Environment.UserName;
        return File.ReadLines(mountInfoPath).Select(Parse).OfType<Entry>()
            .Where(e => ShouldDisplay(e, root, user, home)).Select(e => e.MountPoint).ToList();
    }

    public static Entry? Parse(string line)
    {
        var fields = line.Split(' ');
        int dash = Array.IndexOf(fields, "-");
        if (fields.Length < 5 || dash < 0 || dash + 2 >= fields.Length) return null;
        return new Entry(Unescape(fields[4]), Unescape(fields[3]), fields[dash + 1], Unescape(fields[dash + 2]));
    }

    /// <summary>g_unix_mount_guess_should_display for a mount that has no volume.</summary>
    public static bool ShouldDisplay(Entry e, bool runningAsRoot, string userName, string home)
    {
        if (IsSystemInternal(e)) return false;
        var path = e.MountPoint;
        if (path.Contains("/.", StringComparison.Ordinal)) return false;
        bool inRuntimeDir = runningAsRoot
            ? path.StartsWith("/run/media/", StringComparison.Ordinal)
            : path.StartsWith($"/run/media/{userName}/", StringComparison.Ordinal);
        if (inRuntimeDir || path.StartsWith("/media/", StringComparison.Ordinal)) return true;
        return path.StartsWith(home, StringComparison.Ordinal) && path.Length > home.Length && path[home.Length] == '/';
    }

    private static bool IsSystemInternal(Entry e) =>
        SystemFsTypes.Contains(e.FsType) || SystemDevices.Contains(e.Device) || IsSystemMountPoint(e.MountPoint) || e.Root != "/";

    private static bool IsSystemMountPoint(string path) =>
        SystemMountPoints.Contains(path)
        || path.StartsWith("/dev/", StringComparison.Ordinal) || path.StartsWith("/proc/", StringComparison.Ordinal)
        || path.StartsWith("/sys/", StringComparison.Ordinal) || path.EndsWith("/.gvfs", StringComparison.Ordinal);

    /// <summary>mountinfo escapes space, tab, newline and backslash as <c>\ooo</c>.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\')) return field;
        var bytes = new List<byte>();
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                bytes.Add((byte)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else bytes.AddRange(Encoding.UTF8.GetBytes(field[i].ToString()));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsOctal(string s, int at) =>
        at + 3 <= s.Length && s[at] is >= '0' and <= '7' && s[at + 1] is >= '0' and <= '7' && s[at + 2] is >= '0' and <= '7';
}
