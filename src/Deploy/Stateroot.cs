using Arbor.Repo.Native;

namespace Arbor.Deploy;

/// <summary>
/// A stateroot: a group of deployments sharing one <c>/var</c> (sysroot.md §1.2). <see cref="Init"/>
/// is <c>admin os-init</c>: <c>ostree/deploy/NAME/var</c> with tmp, lib, log and the run/lock links.
/// </summary>
public static class Stateroot
{
    public static void Init(Sysroot sysroot, string name)
    {
        var rel = SysrootLayout.Stateroot(name);
        var dir = sysroot.FullPath(rel);
        Make(dir, 0x1FF, rel);
        Make(Path.Join(dir, "var"), 0x1FF, "var");
        Make(Path.Join(dir, "var/tmp"), 0x1FF, "var/tmp");
        try { Files.Chmod(Path.Join(dir, "var/tmp"), 0x3FF); }
        catch (NativeIOException e) { throw new DeployException($"fchmod var/tmp: {Errno.Describe(e.Errno)}"); }
        Make(Path.Join(dir, "var/lib"), 0x1FF, "var/lib");
        Make(Path.Join(dir, "var/log"), 0x1ED, "var/log");
        Link("../run", Path.Join(dir, "var/run"), "var/run");
        Link("../run/lock", Path.Join(dir, "var/lock"), "var/lock");
        IO.FsUtil.Touch(sysroot.FullPath(SysrootLayout.Deploy));
    }

    private static void Make(string path, uint mode, string shown)
    {
        try { Files.Mkdir(path, mode); }
        catch (NativeIOException e) { throw new DeployException($"Creating {shown}: {Errno.Describe(e.Errno)}"); }
    }

    private static void Link(string target, string path, string shown)
    {
        try { Files.Symlink(target, path); }
        catch (NativeIOException e) { throw new DeployException($"Symlinking {shown}: {Errno.Describe(e.Errno)}"); }
    }
}
