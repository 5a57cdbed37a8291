namespace Arbor.Boot.Tests;

public sealed class DeploymentTargetTests
{
    [Fact]
    public void FollowsTheBootLinkChainToTheDeployment()
    {
        using var s = new ScratchSysroot();
        var t = DeploymentTarget.Resolve(s.Root, ScratchSysroot.OstreeArg);
        Assert.Equal(s.DeploymentPath, t.Path);
        Assert.Equal($"ostree/deploy/vectoros/deploy/{ScratchSysroot.Deploy}", t.RelativePath);
        Assert.Equal("vectoros", t.Stateroot);
        Assert.Equal($"{s.Root}/ostree/deploy/vectoros/var", t.StaterootVar);
        Assert.Equal(ScratchSysroot.Deploy, t.Name);
        Assert.Equal(s.Root, t.Sysroot);
    }

    [Theory]
    [InlineData("/ostree/boot.1/vectoros/{B}/0")]
    [InlineData("ostree/boot.1/vectoros/{B}/0")]
    [InlineData("//ostree//boot.1/./vectoros/{B}/0")]
    [InlineData("/ostree/boot.1.1/vectoros/{B}/0")]
    [InlineData("/ostree/boot.1/vectoros/../vectoros/{B}/0")]
    public void SpellingsOfTheSameTarget(string arg)
    {
        using var s = new ScratchSysroot();
        var t = DeploymentTarget.Resolve(s.Root + "/", arg.Replace("{B}", ScratchSysroot.BootCsum));
        Assert.Equal(s.DeploymentPath, t.Path);
    }

    [Fact]
    public void ResolvesUnderARelativeSysrootPath()
    {
        using var s = new ScratchSysroot();
        var cwd = Environment.CurrentDirectory;
        var rel = Path.GetRelativePath(cwd, s.Root);
        Assert.Equal(s.DeploymentPath, DeploymentTarget.Resolve(rel, ScratchSysroot.OstreeArg).Path);
    }

    [Fact]
    public void AbsoluteLinkTargetIsRefused()
    {
        using var s = new ScratchSysroot();
        s.Link($"ostree/boot.1.1/vectoros/{ScratchSysroot.BootCsum}/0", s.DeploymentPath); // absolute, even if it points inside
        var e = Refused(s);
        Assert.Equal($"Refusing symbolic link {s.LinkPath} -> {s.DeploymentPath}: an absolute target leaves the sysroot {s.Root}", e.Message);
    }

    [Fact]
    public void AbsoluteIntermediateLinkIsRefused()
    {
        using var s = new ScratchSysroot();
        s.Link("ostree/boot.1", "/etc");
        var e = Refused(s);
        Assert.Equal($"Refusing symbolic link {s.Root}/ostree/boot.1 -> /etc: an absolute target leaves the sysroot {s.Root}", e.Message);
    }

    [Theory]
    [InlineData("../../../../../../../../etc")]
    [InlineData("../../../../../etc")]
    [InlineData("../../../../../sysroot/ostree/deploy/vectoros/deploy/{D}")] // out and back in: still refused
    [InlineData("../../../deploy/vectoros/deploy/../../../../../x")]
    public void DotDotChainsOutOfTheSysrootAreRefused(string target)
    {
        using var s = new ScratchSysroot();
        target = target.Replace("{D}", ScratchSysroot.Deploy);
        s.Link($"ostree/boot.1.1/vectoros/{ScratchSysroot.BootCsum}/0", target);
        var e = Refused(s);
        Assert.Equal($"Refusing symbolic link {s.LinkPath} -> {target}: it leads out of the sysroot {s.Root}", e.Message);
    }

    [Fact]
    public void DotDotThroughAnInnerLinkIsRefused()
    {
        using var s = new ScratchSysroot();
        // ostree/deploy/vectoros/deploy/up -> ../../../../.. : harmless on its own path, escapes when followed
        File.CreateSymbolicLink($"{s.Root}/ostree/deploy/vectoros/deploy/up", "../../../../..");
        s.Link($"ostree/boot.1.1/vectoros/{ScratchSysroot.BootCsum}/0", "../../../deploy/vectoros/deploy/up");
        var e = Refused(s);
        Assert.Equal($"Refusing symbolic link {s.Root}/ostree/deploy/vectoros/deploy/up -> ../../../../..: it leads out of the sysroot {s.Root}", e.Message);
    }

    [Fact]
    public void DotDotInTheArgumentIsRefused()
    {
        using var s = new ScratchSysroot();
        var e = Assert.Throws<BootException>(() => DeploymentTarget.Resolve(s.Root, "/../../etc/ostree/x"));
        Assert.Equal($"ostree=/../../etc/ostree/x leads out of the sysroot {s.Root}", e.Message);
    }

    [Fact]
    public void LoopIsRefused()
    {
        using var s = new ScratchSysroot();
        s.Link($"ostree/boot.1.1/vectoros/{ScratchSysroot.BootCsum}/0", "1");
        s.Link($"ostree/boot.1.1/vectoros/{ScratchSysroot.BootCsum}/1", "0");
        var e = Refused(s);
        Assert.StartsWith($"Too many levels of symbolic links at {s.Root}/ostree/boot.1.1/vectoros/{ScratchSysroot.BootCsum}/", e.Message);
        Assert.EndsWith($"(a loop?) resolving ostree={ScratchSysroot.OstreeArg}", e.Message);
    }

    [Fact]
    public void SelfLoopIsRefused()
    {
        using var s = new ScratchSysroot();
        s.Link("ostree/boot.1", "boot.1");
        var e = Refused(s);
        Assert.Equal($"Too many levels of symbolic links at {s.Root}/ostree/boot.1 (a loop?) resolving ostree={ScratchSysroot.OstreeArg}", e.Message);
    }

    [Fact]
    public void Forty_LinksAreFollowed_FortyOneAreNot()
    {
        using var s = new ScratchSysroot();
        // boot.1 -> boot.1.1 and 0 -> deploy are 2 links; add a chain of n more in front of 0
        string dir = $"ostree/boot.1.1/vectoros/{ScratchSysroot.BootCsum}";
        s.Link($"{dir}/0", "c0");
        for (int i = 0; i < 37; i++) s.Link($"{dir}/c{i}", $"c{i + 1}");
        s.Link($"{dir}/c37", $"../../../deploy/vectoros/deploy/{ScratchSysroot.Deploy}");
        Assert.Equal(s.DeploymentPath, DeploymentTarget.Resolve(s.Root, ScratchSysroot.OstreeArg).Path); // exactly 40
        s.Link($"{dir}/c37", "c38");
        s.Link($"{dir}/c38", $"../../../deploy/vectoros/deploy/{ScratchSysroot.Deploy}");
        Assert.StartsWith("Too many levels of symbolic links", Refused(s).Message);
    }

    [Fact]
    public void TargetMustBeASymlink()
    {
        using var s = new ScratchSysroot();
        var e = Assert.Throws<BootException>(() =>
            DeploymentTarget.Resolve(s.Root, $"/ostree/deploy/vectoros/deploy/{ScratchSysroot.Deploy}"));
        Assert.Equal($"OSTree target is not a symbolic link: {s.DeploymentPath}", e.Message);
    }

    [Fact]
    public void MissingTargetNamesThePath()
    {
        using var s = new ScratchSysroot();
        var e = Assert.Throws<BootException>(() => DeploymentTarget.Resolve(s.Root, "/ostree/boot.0/vectoros/x/0"));
        Assert.Equal($"Couldn't find specified OSTree root '{s.Root}/ostree/boot.0': No such file or directory", e.Message);
    }

    [Fact]
    public void DanglingLinkNamesThePath()
    {
        using var s = new ScratchSysroot();
        s.Link($"ostree/boot.1.1/vectoros/{ScratchSysroot.BootCsum}/0", "../../../deploy/vectoros/deploy/gone.0");
        var e = Refused(s);
        Assert.Equal($"Couldn't find specified OSTree root '{s.Root}/ostree/deploy/vectoros/deploy/gone.0': No such file or directory", e.Message);
    }

    [Fact]
    public void LinkToAFileIsNotADeployment()
    {
        using var s = new ScratchSysroot();
        File.WriteAllText($"{s.Root}/ostree/deploy/vectoros/deploy/file.0", "");
        s.Link($"ostree/boot.1.1/vectoros/{ScratchSysroot.BootCsum}/0", "../../../deploy/vectoros/deploy/file.0");
        var e = Refused(s);
        Assert.Equal($"OSTree deployment {s.Root}/ostree/deploy/vectoros/deploy/file.0 (from ostree={ScratchSysroot.OstreeArg}) is not a directory", e.Message);
    }

    [Theory]
    [InlineData("../../../repo")]
    [InlineData("../../../deploy/vectoros/var")]
    [InlineData("../../../deploy/vectoros/deploy/{D}/usr")]
    [InlineData("../../../..")]
    public void TargetOutsideTheDeployDirectoryIsRefused(string target)
    {
        using var s = new ScratchSysroot();
        s.Link($"ostree/boot.1.1/vectoros/{ScratchSysroot.BootCsum}/0", target.Replace("{D}", ScratchSysroot.Deploy));
        var e = Refused(s);
        Assert.Matches($@"^OSTree deployment {System.Text.RegularExpressions.Regex.Escape(s.Root)}\S* \(from ostree=\S+\) is not under {System.Text.RegularExpressions.Regex.Escape(s.Root)}/ostree/deploy/STATEROOT/deploy/$", e.Message);
    }

    [Fact]
    public void ArgumentNamingTheSysrootItselfIsRefused()
    {
        using var s = new ScratchSysroot();
        var e = Assert.Throws<BootException>(() => DeploymentTarget.Resolve(s.Root, "/"));
        Assert.Equal("ostree=/ names the sysroot itself, not a deployment", e.Message);
    }

    private static BootException Refused(ScratchSysroot s)
    {
        var e = Assert.Throws<BootException>(() => DeploymentTarget.Resolve(s.Root, ScratchSysroot.OstreeArg));
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }
}
