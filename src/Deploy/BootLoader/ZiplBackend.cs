using Arbor.Deploy.IO;
using Arbor.Repo.Native;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// zipl, the s390x boot loader (ostree-bootloader-zipl.c): never probed, only named by
/// <c>sysroot.bootloader=zipl</c>. Writing the configuration only leaves the empty stamp
/// <c>boot/ostree-bootloader-update.stamp</c> (not synced on its own: the full sync before the swap
/// covers it); after the swap, on the booted system, the stamp means "run zipl": with Secure
/// Execution enabled the <see cref="SecureExecution"/> image is built and installed (and the stamp
/// stays, as in ostree), else <c>zipl</c> runs from <c>$PATH</c> with no arguments and the stamp
/// is removed once it succeeds. zipl reads the BLS entries through <c>/boot/loader</c> itself.
/// </summary>
public sealed class ZiplBackend : BootLoaderBackend
{
    public const string StampPath = "boot/ostree-bootloader-update.stamp";
    public const string Program = "zipl";

    public override string Name => "zipl";

    public override void WriteConfig(BootLoaderWrite write) => FsUtil.ReplaceFile(write.Sysroot.FullPath(StampPath), "");

    public override void PostBlsSync(BootLoaderWrite write)
    {
        // ostree 2022.7 aborts on an assertion here when the sysroot is not the booted one; arbor
        // leaves the stamp, so that the next boot loader update on the booted system runs zipl
        if (!write.Booted) return;
        var stamp = write.Sysroot.FullPath(StampPath);
        if (Files.TryStat(stamp) is null) return;

        var se = new SecureExecution(write.Sysroot.Options.RootPath);
        if (se.IsEnabled())
        {
            var keys = se.HostKeys();
            if (keys.Count == 0) throw new DeployException("s390x SE: no keys");
            se.Enable(write, keys);
            return;
        }
        int code = ChildProcess.RunForExitCode(Program, [], new Dictionary<string, string>(), quiet: false);
        if (code != 0) throw new DeployException(ChildProcess.ExitText(code));
        File.Delete(stamp);
    }
}
