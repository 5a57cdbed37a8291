using Arbor.Deploy;

namespace Arbor.Cli.Commands.Admin;

/// <summary>
/// The debug lines <c>ostree admin -v</c> prints (on stderr, "OT: " first) while it loads a
/// sysroot: a missing <c>boot/loader</c> or <c>ostree/boot.N</c> link, then each deployment of
/// the boot loader entries with its unlocked state (0 none, 1 development, 2 hotfix, 3 transient).
/// </summary>
internal static class SysrootDebugLines
{
    public static IEnumerable<string> For(Arbor.Deploy.Sysroot sysroot, DeploymentSet set)
    {
        if (!Exists(sysroot.FullPath(SysrootLayout.BootLoaderLink)))
            yield return "OT: Didn't find $sysroot/boot/loader symlink; assuming bootversion 0";
        var bootLinks = SysrootLayout.BootLinkDir(set.BootVersion.Version);
        if (!Exists(sysroot.FullPath(bootLinks)))
            yield return $"OT: Didn't find $sysroot/{bootLinks} symlink; assuming subbootversion 0";
        foreach (var d in set.Deployments.Where(d => !d.IsStaged))
            yield return $"OT: Deployment {d.Name} unlocked={(int)d.Unlocked}";
    }

    /// <summary>Present, even as a dangling symlink (ostree reads the link itself).</summary>
    private static bool Exists(string path)
    {
        try
        {
            _ = File.GetAttributes(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
