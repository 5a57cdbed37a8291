using Arbor.Repo.Native;

namespace Arbor.Deploy.BootLoader;

/// <summary>
/// Which loader directory and which symlink farm are current (sysroot.md §2): the boot version
/// N from <c>boot/loader -&gt; loader.N</c> (0 when missing) and the sub-boot version M from
/// <c>ostree/boot.N -&gt; boot.N.M</c> (0 when missing).
/// </summary>
public readonly record struct BootVersion(int Version, int SubVersion)
{
    public int Other => 1 - Version;

    public override string ToString() => SysrootLayout.SubBootDirName(Version, SubVersion);

    public static BootVersion Read(string sysroot)
    {
        int version = ReadVersion(sysroot);
        return new BootVersion(version, ReadSubVersion(sysroot, version));
    }

    public static int ReadVersion(string sysroot)
    {
        var link = SysrootLayout.Full(sysroot, SysrootLayout.BootLoaderLink);
        var st = Files.TryLStat(link);
        if (st is null) return 0;
        if (!st.Value.IsSymlink) throw new DeployException($"Not a symbolic link: {SysrootLayout.BootLoaderLink}");
        var target = Files.ReadLink(link);
        return target switch
        {
            "loader.0" => 0,
            "loader.1" => 1,
            _ => throw new DeployException($"Invalid target '{target}' in {SysrootLayout.BootLoaderLink}"),
        };
    }

    public static int ReadSubVersion(string sysroot, int bootversion)
    {
        var rel = SysrootLayout.BootLinkDir(bootversion);
        var link = SysrootLayout.Full(sysroot, rel);
        if (Files.TryLStat(link) is null) return 0;
        string target;
        try { target = Files.ReadLink(link); }
        catch (NativeIOException e) { throw new DeployException($"readlinkat: {Errno.Describe(e.Errno)}"); }
        if (target.EndsWith(".0", StringComparison.Ordinal)) return 0;
        if (target.EndsWith(".1", StringComparison.Ordinal)) return 1;
        throw new DeployException($"Invalid target '{target}' in {rel}");
    }
}
