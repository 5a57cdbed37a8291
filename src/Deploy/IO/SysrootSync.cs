using Arbor.Repo.Native;

namespace Arbor.Deploy.IO;

/// <summary>
/// Makes everything written so far durable before the boot configuration's commit point, as ostree's
/// full_system_sync: syncfs() of the filesystem holding the sysroot, then a freeze-thaw cycle of the one holding
/// <c>boot/</c> (<see cref="BootFreezeThaw"/>; they may differ). The global sync() that ostree keeps "out of an
/// excess of conservatism" is skipped.
/// </summary>
internal static class SysrootSync
{
    public static void Full(Sysroot sysroot)
    {
        try
        {
            DirSync.SyncFs(sysroot.Path);
            var boot = SysrootLayout.Full(sysroot.Path, SysrootLayout.Boot);
            if (Directory.Exists(boot)) BootFreezeThaw.Cycle(boot, sysroot.Options.Debug);
        }
        catch (NativeIOException e) { throw new DeployException($"Full sync: {e.Message}", e); }
        catch (DeployException e) { throw new DeployException($"Full sync: {e.Message}", e); }
    }
}
