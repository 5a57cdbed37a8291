using Arbor.Repo.GLib;

namespace Arbor.Deploy;

/// <summary>
/// ostree's testing and tuning switches read from the environment, with GLib's g_parse_debug_string rules
/// (keys separated by <c>:;, \t</c>, case-insensitive, <c>all</c> for every key):
/// <c>OSTREE_SYSROOT_DEBUG</c> = <c>mutable-deployments</c> (deployments are not made immutable),
/// <c>test-fifreeze</c> (the /boot freeze watchdog runs, then the deployment fails), <c>no-xattrs</c> (files copied
/// into a deployment and /boot lose their xattrs), <c>no-dtb</c> (device trees in the tree are ignored);
/// <c>OSTREE_SYSROOT_OPTS</c> = <c>skip-sync</c>.
/// </summary>
public sealed record SysrootDebug
{
    public bool MutableDeployments { get; init; }
    public bool TestFifreeze { get; init; }
    public bool NoXattrs { get; init; }
    public bool NoDtb { get; init; }
    public bool SkipSync { get; init; }

    public static SysrootDebug None { get; } = new();

    public static SysrootDebug FromEnvironment() =>
        Parse(Environment.GetEnvironmentVariable("OSTREE_SYSROOT_DEBUG"), Environment.GetEnvironmentVariable("OSTREE_SYSROOT_OPTS"));

    public static SysrootDebug Parse(string? debug, string? opts)
    {
        var d = GDebugKeys.Parse(debug, "mutable-deployments", "test-fifreeze", "no-xattrs", "no-dtb");
        var o = GDebugKeys.Parse(opts, "skip-sync");
        return new SysrootDebug
        {
            MutableDeployments = d.Contains("mutable-deployments"),
            TestFifreeze = d.Contains("test-fifreeze"),
            NoXattrs = d.Contains("no-xattrs"),
            NoDtb = d.Contains("no-dtb"),
            SkipSync = o.Contains("skip-sync"),
        };
    }
}
