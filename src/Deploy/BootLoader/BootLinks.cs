using Arbor.Repo.Checkout;
using Arbor.Deploy.IO;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// The symlink farms <c>ostree/boot.B.S/STATEROOT/BOOTCSUM/BOOTSERIAL -&gt; ../../../deploy/…</c>
/// that the <c>ostree=</c> arguments go through, and the <c>ostree/boot.B</c> link that selects
/// one of the two farms of a boot version; switching farms is one atomic rename (sysroot.md §7).
/// </summary>
public static class BootLinks
{
    /// <summary>Builds the farm <c>ostree/boot.B.S</c> from scratch for a deployment list (bootserials assigned).</summary>
    public static void Create(string sysroot, int bootversion, int subbootversion, IReadOnlyList<Deployment> deployments)
    {
        var farm = SysrootLayout.Full(sysroot, SysrootLayout.SubBootDir(bootversion, subbootversion));
        try
        {
            TreeRemoval.RemoveTree(farm);
            FsUtil.EnsureDirectory(farm, 0x1ED);
            foreach (var d in deployments)
            {
                var parent = Path.Join(farm, SysrootLayout.CheckName(d.Stateroot, "stateroot"), SysrootLayout.CheckName(d.BootChecksum, "boot checksum"));
                FsUtil.EnsureDirectory(parent, 0x1ED);
                FsUtil.ReplaceSymlink(SysrootLayout.BootLinkTarget(d.Stateroot, d.Commit, d.DeploySerial),
                    Path.Join(parent, d.BootSerial.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        catch (IOException e) { throw new DeployException($"Creating new current bootlinks: {e.Message}", e); }
    }

    /// <summary>Points <c>ostree/boot.B</c> at <c>boot.B.S</c> by renaming a new link over it.</summary>
    public static void Swap(string sysroot, int bootversion, int subbootversion)
    {
        try
        {
            FsUtil.ReplaceSymlink(SysrootLayout.SubBootDirName(bootversion, subbootversion),
                SysrootLayout.Full(sysroot, SysrootLayout.BootLinkDir(bootversion)));
        }
        catch (IOException e) { throw new DeployException($"Swapping new version bootlinks: {e.Message}", e); }
    }

    /// <summary>Numbers deployments sharing a boot checksum, in list order (0, 1, …).</summary>
    public static List<Deployment> AssignBootSerials(IEnumerable<Deployment> deployments)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<Deployment>();
        foreach (var d in deployments)
        {
            counts.TryGetValue(d.BootChecksum, out int n);
            counts[d.BootChecksum] = n + 1;
            result.Add(d with { BootSerial = n });
        }
        return result;
    }
}
