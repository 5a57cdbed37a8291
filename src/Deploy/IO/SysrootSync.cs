using Arbor.Repo.Native;

namespace Arbor.Deploy.IO;

/// <summary>
/// Makes everything written so far durable before the boot configuration's commit point:
/// syncfs() of the filesystem holding the sysroot and of the one holding <c>boot/</c> (they
/// may differ). ostree additionally freezes and thaws /boot (FIFREEZE) so that GRUB, which does
/// not replay XFS journals, sees the data; arbor does not freeze (see the report), and skips the
/// global sync() that ostree keeps "out of an excess of conservatism".
/// </summary>
internal static class SysrootSync
{
    public static void Full(string sysroot)
    {
        try
        {
            DirSync.SyncFs(sysroot);
            var boot = SysrootLayout.Full(sysroot, SysrootLayout.Boot);
            if (Directory.Exists(boot)) DirSync.SyncFs(boot);
        }
        catch (NativeIOException e) { throw new DeployException($"Full sync: {e.Message}", e); }
    }
}
