namespace Arbor.Boot.Tests;

public sealed class SysrootProbeTests
{
    private static SysrootFacts Gather(ScratchSysroot s, string? config = null)
    {
        if (config is not null) File.WriteAllText(s.Full("ostree/repo/config"), config);
        var target = DeploymentTarget.Resolve(s.Root, ScratchSysroot.OstreeArg);
        return SysrootProbe.Gather(target, SysrootConfig.Load(s.Root), "/run", null);
    }

    [Fact]
    public void BootLoaderSymlinkMeansBootOnThePhysicalRoot()
    {
        using var s = new ScratchSysroot();
        var f = Gather(s);
        Assert.True(f.BootOnPhysicalRoot);
        Assert.True(f.DeploymentHasBootDirectory);
        Assert.Contains(MountPlan.Build(f).Steps, st => st.Target == s.DeploymentPath + "/boot");
    }

    [Fact]
    public void NoLoaderSymlinkMeansSeparateBoot()
    {
        using var s = new ScratchSysroot();
        File.Delete(s.Full("boot/loader"));
        Directory.CreateDirectory(s.Full("boot/loader")); // a directory is not the ostree link
        var f = Gather(s);
        Assert.False(f.BootOnPhysicalRoot);
        Assert.DoesNotContain(MountPlan.Build(f).Steps, st => st.Target.EndsWith("/boot", StringComparison.Ordinal));
    }

    [Fact]
    public void DeploymentBootSymlinkIsNotADirectory()
    {
        using var s = new ScratchSysroot();
        Directory.Delete(s.DeploymentPath + "/boot");
        File.CreateSymbolicLink(s.DeploymentPath + "/boot", "/");
        Assert.False(Gather(s).DeploymentHasBootDirectory);
    }

    [Theory]
    [InlineData("[core]\nrepo_version=1\nmode=bare\n[sysroot]\nreadonly=true\n", true)]
    [InlineData("[core]\nmode=bare\n[sysroot]\nreadonly=false\n", false)]
    [InlineData("[core]\nmode=bare\n[sysroot]\nbootloader=none\n", false)]
    [InlineData("[core]\nmode=bare\n", false)]
    [InlineData("[sysroot]\nreadonly=1\n", true)]
    public void SysrootReadonlyFromTheRepoConfig(string config, bool ro)
    {
        using var s = new ScratchSysroot();
        Assert.Equal(ro, Gather(s, config).ReadOnlySysroot);
    }

    [Fact]
    public void MissingConfigWarnsAndIsWritable()
    {
        using var s = new ScratchSysroot();
        var c = SysrootConfig.Load(s.Root);
        Assert.False(c.ReadOnly);
        Assert.Equal($"Missing {s.Root}/ostree/repo/config; assuming sysroot.readonly=false", c.Warning);
    }

    [Fact]
    public void MalformedConfigWarnsAndIsWritable()
    {
        var c = SysrootConfig.Parse("[sysroot]\nreadonly=maybe\n", "/x/config");
        Assert.False(c.ReadOnly);
        Assert.StartsWith("/x/config: ", c.Warning);
        Assert.EndsWith("; assuming sysroot.readonly=false", c.Warning);
    }

    [Theory]
    [InlineData("usr")]
    [InlineData("sysroot")]
    [InlineData("var")]
    public void SymlinkedMountPointInTheDeploymentIsRefused(string dir)
    {
        using var s = new ScratchSysroot();
        Directory.Delete($"{s.DeploymentPath}/{dir}");
        File.CreateSymbolicLink($"{s.DeploymentPath}/{dir}", "/");
        var e = Assert.Throws<BootException>(() => Gather(s));
        Assert.StartsWith($"Refusing {s.DeploymentPath}/{dir} (", e.Message);
        Assert.EndsWith("): a symbolic link as a mount point could lead out of the deployment", e.Message);
    }

    [Fact]
    public void SymlinkedEtcIsRefusedWhenItIsMounted()
    {
        using var s = new ScratchSysroot();
        Directory.Delete($"{s.DeploymentPath}/etc");
        File.CreateSymbolicLink($"{s.DeploymentPath}/etc", "../../../../../../../etc");
        Assert.False(Gather(s).ReadOnlySysroot); // not mounted: fine
        var e = Assert.Throws<BootException>(() => Gather(s, "[sysroot]\nreadonly=true\n"));
        Assert.StartsWith($"Refusing {s.DeploymentPath}/etc (/etc)", e.Message);
    }

    [Fact]
    public void MissingStaterootVarNamesThePath()
    {
        using var s = new ScratchSysroot();
        Directory.Delete(s.Full("ostree/deploy/vectoros/var"));
        var e = Assert.Throws<BootException>(() => Gather(s));
        Assert.Equal($"{s.Root}/ostree/deploy/vectoros/var (the stateroot's var) does not exist", e.Message);
    }

    [Fact]
    public void UsrOverlayWorkDirectorySelectsTheOverlay()
    {
        using var s = new ScratchSysroot();
        Directory.CreateDirectory(s.DeploymentPath + "/.usr-ovl-work");
        Directory.CreateDirectory(s.DeploymentPath + "/.usr-ovl-upper");
        Assert.True(Gather(s).UsrOverlay);
    }

    [Fact]
    public void PhysicalRootSlashIsRefused()
    {
        var t = new DeploymentTarget("/", "/ostree/boot.1/os/b/0", "/ostree/deploy/os/deploy/a.0", "ostree/deploy/os/deploy/a.0", "os");
        var e = Assert.Throws<BootException>(() => SysrootProbe.Gather(t, new SysrootConfig(false, null), "/run", null));
        Assert.Contains("PID-1 mode", e.Message);
    }
}
