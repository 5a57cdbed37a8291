namespace Arbor.Boot.Tests;

public sealed class MountPlanTests
{
    private const string R = "/sysroot";
    private const string D = "/sysroot/ostree/deploy/os/deploy/abc.0";
    private const string V = "/sysroot/ostree/deploy/os/var";

    private static SysrootFacts Facts(bool ro = false, bool bootOnRoot = true, bool deployBoot = true,
        bool overlay = false, bool deployRo = false, string run = "/run") =>
        new(new DeploymentTarget(R, "/ostree/boot.1/os/b/0", D, "ostree/deploy/os/deploy/abc.0", "os"),
            ro, bootOnRoot, deployBoot, overlay, deployRo, MountVar: true, run);

    private static string Row(MountStep s) =>
        $"{s.OperationName} {(s.Source is null ? "" : s.Source + " -> ")}{s.Target}" +
        (s.FlagNames.Count > 0 ? " [" + string.Join('|', s.FlagNames) + "]" : "") +
        (s.Data is null ? "" : " " + s.Data) +
        (s.Mode == 0 ? "" : " " + Convert.ToString(s.Mode, 8));

    private static List<string> Rows(SysrootFacts f) => MountPlan.Build(f).Steps.Select(Row).ToList();

    [Fact]
    public void DefaultPlanIsOstreeSequenceWithVar()
    {
        Assert.Equal(
        [
            "make-private / [MS_REC|MS_PRIVATE|MS_SILENT]",
            $"bind {D} -> {D} [MS_BIND|MS_SILENT]",
            $"bind {R}/boot -> {D}/boot [MS_BIND|MS_SILENT]",
            $"bind {D}/usr -> {D}/usr [MS_BIND|MS_SILENT]",
            $"remount-bind {D}/usr [MS_BIND|MS_REMOUNT|MS_RDONLY|MS_SILENT]",
            $"bind {V} -> {D}/var [MS_BIND|MS_SILENT]",
            "write-file /run/ostree-booted 640",
            "mkdir /sysroot.tmp 755",
            $"move {D} -> /sysroot.tmp [MS_MOVE]",
            "move /sysroot -> /sysroot.tmp/sysroot [MS_MOVE]",
            "move /sysroot.tmp -> /sysroot [MS_MOVE]",
            "rmdir /sysroot.tmp",
            "make-private /sysroot/sysroot [MS_PRIVATE|MS_SILENT]",
        ], Rows(Facts()));
    }

    [Fact]
    public void EveryStepHasAReason()
    {
        foreach (var f in new[] { Facts(), Facts(ro: true), Facts(overlay: true, deployRo: true), Facts(bootOnRoot: false) })
            Assert.All(MountPlan.Build(f).Steps, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason), Row(s)));
    }

    [Fact]
    public void SeparateBootPartitionIsNotBound()
    {
        var rows = Rows(Facts(bootOnRoot: false));
        Assert.DoesNotContain(rows, r => r.Contains("/boot"));
        Assert.Equal(Rows(Facts()).Where(r => !r.Contains("/boot")), rows);
    }

    [Fact]
    public void DeploymentWithoutBootDirectoryIsNotBound()
    {
        Assert.DoesNotContain(Rows(Facts(deployBoot: false)), r => r.Contains("/boot"));
    }

    [Fact]
    public void BootReasonSaysWhy()
    {
        var step = MountPlan.Build(Facts()).Steps.Single(s => s.Target == D + "/boot");
        Assert.Contains("boot/loader is a symlink on the physical root", step.Reason);
    }

    [Fact]
    public void ReadOnlySysrootKeepsEtcAndVarWritableAndTheRootReadOnly()
    {
        Assert.Equal(
        [
            "make-private / [MS_REC|MS_PRIVATE|MS_SILENT]",
            $"bind {D} -> {D} [MS_BIND|MS_SILENT]",
            "write-file /run/ostree-sysroot-ro.stamp 644",
            $"bind {R}/boot -> {D}/boot [MS_BIND|MS_SILENT]",
            $"bind {D}/etc -> {D}/etc [MS_BIND|MS_SILENT]",
            $"remount-bind {D}/etc [MS_BIND|MS_REMOUNT|MS_SILENT]",
            $"bind {D}/usr -> {D}/usr [MS_BIND|MS_SILENT]",
            $"remount-bind {D}/usr [MS_BIND|MS_REMOUNT|MS_RDONLY|MS_SILENT]",
            $"bind {V} -> {V} [MS_BIND|MS_SILENT]",
            $"remount-bind {V} [MS_BIND|MS_REMOUNT|MS_SILENT]",
            $"bind {V} -> {D}/var [MS_BIND|MS_SILENT]",
            "write-file /run/ostree-booted 640",
            "mkdir /sysroot.tmp 755",
            $"move {D} -> /sysroot.tmp [MS_MOVE]",
            "move /sysroot -> /sysroot.tmp/sysroot [MS_MOVE]",
            "move /sysroot.tmp -> /sysroot [MS_MOVE]",
            "rmdir /sysroot.tmp",
            "remount-bind /sysroot/sysroot [MS_BIND|MS_REMOUNT|MS_RDONLY|MS_SILENT]",
            "make-private /sysroot/sysroot [MS_PRIVATE|MS_SILENT]",
        ], Rows(Facts(ro: true)));
    }

    [Fact]
    public void ReadOnlyVarBindComesBeforeTheVarMount()
    {
        var rows = Rows(Facts(ro: true));
        Assert.True(rows.IndexOf($"remount-bind {V} [MS_BIND|MS_REMOUNT|MS_SILENT]") < rows.IndexOf($"bind {V} -> {D}/var [MS_BIND|MS_SILENT]"));
    }

    [Fact]
    public void UsrOverlayReplacesTheReadOnlyBind()
    {
        var rows = Rows(Facts(overlay: true));
        Assert.Contains($"overlay overlay -> {D}/usr lowerdir={D}/usr,upperdir={D}/.usr-ovl-upper,workdir={D}/.usr-ovl-work", rows);
        Assert.DoesNotContain(rows, r => r.StartsWith($"remount-bind {D}/usr", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.StartsWith("remount ", StringComparison.Ordinal));
    }

    [Fact]
    public void UsrOverlayOnReadOnlyFilesystemRemountsTheDeploymentFirst()
    {
        var rows = Rows(Facts(overlay: true, deployRo: true));
        int remount = rows.IndexOf($"remount {D} [MS_REMOUNT|MS_SILENT]");
        Assert.True(remount > 0);
        Assert.StartsWith("overlay ", rows[remount + 1]);
    }

    [Fact]
    public void RunDirectoryIsConfigurable()
    {
        var rows = Rows(Facts(ro: true, run: "/tmp/x/run/"));
        Assert.Contains("write-file /tmp/x/run/ostree-booted 640", rows);
        Assert.Contains("write-file /tmp/x/run/ostree-sysroot-ro.stamp 644", rows);
        Assert.DoesNotContain(rows, r => r.Contains(" /run/"));
    }

    [Fact]
    public void TemporaryMountPointSitsBesideTheSysroot()
    {
        Assert.Equal("/sysroot.tmp", MountPlan.TemporaryPath("/sysroot"));
        Assert.Equal("/var/tmp/x/phys.tmp", MountPlan.TemporaryPath("/var/tmp/x/phys"));
    }

    [Fact]
    public void TheDeploymentEndsWhereThePhysicalRootWas()
    {
        // follow the moves: whatever is mounted at D ends at R, whatever was at R ends at R/sysroot
        var where = new Dictionary<string, string> { ["deployment"] = D, ["physical"] = R };
        foreach (var s in MountPlan.Build(Facts()).Steps.Where(s => s.Operation == MountOperation.Move))
            foreach (var k in where.Keys.ToList())
                if (where[k] == s.Source) where[k] = s.Target;
        // the last move takes R.tmp (holding the deployment, with the physical root inside) to R
        Assert.Equal(R, where["deployment"]);
        Assert.Equal("/sysroot.tmp/sysroot", where["physical"]); // then carried along to R/sysroot by the last move
    }
}
