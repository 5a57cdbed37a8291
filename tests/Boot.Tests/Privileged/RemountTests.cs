using Arbor.TestKit;

namespace Arbor.Boot.Tests.Privileged;

/// <summary>
/// arbor-remount against Debian's ostree-remount, both chrooted into the same scratch root: /sysroot a
/// tmpfs of its own (the physical root), /etc and /var bind mounts from it, in read-only or read-write
/// states, with or without the read-only stamp the initramfs leaves in /run.
/// </summary>
public sealed class RemountTests
{
    private static string Setup(bool sysrootRo, bool etcRo, bool varRo, bool stamp, bool rootRo = false) => $"""
        mount -t tmpfs physical "$R/sysroot"
        mkdir -p "$R/sysroot/ostree/deploy/os/var" "$R/sysroot/ostree/deploy/os/deploy/a.0/etc" "$R/etc" "$R/var"
        mount --bind "$R/sysroot/ostree/deploy/os/deploy/a.0/etc" "$R/etc"
        mount --bind "$R/sysroot/ostree/deploy/os/var" "$R/var"
        {(sysrootRo ? "mount -o remount,bind,ro \"$R/sysroot\"" : "")}
        {(etcRo ? "mount -o remount,bind,ro \"$R/etc\"" : "")}
        {(varRo ? "mount -o remount,bind,ro \"$R/var\"" : "")}
        {(stamp ? "touch \"$R/run/ostree-sysroot-ro.stamp\"" : "")}
        {(rootRo ? "mount -o remount,ro \"$R\"" : "")}
        """;

    [Theory]
    [InlineData(true, false, true, false)]   // the usual boot: sysroot and var came up read-only
    [InlineData(false, false, false, true)]  // sysroot.readonly: sysroot becomes read-only
    [InlineData(true, true, true, true)]     // sysroot.readonly with everything read-only: /etc and /var made writable
    [InlineData(false, false, false, false)] // nothing to do
    public void SameMountsAndOutputAsOstreeRemount(bool sysrootRo, bool etcRo, bool varRo, bool stamp)
    {
        BootBinary.RequireOstreeBoot();
        using var ns = new ScratchNamespace(16);
        var setup = Setup(sysrootRo, etcRo, varRo, stamp);
        var ours = ChrootRun.Start(ns, BootBinary.Path, "root=/dev/vda", setup, "remount");
        var theirs = ChrootRun.Start(ns, BootBinary.OstreeRemount, "root=/dev/vda", setup, "ignored");
        Assert.True(ours.ExitCode == 0, ours.ToString());
        Assert.True(theirs.ExitCode == 0, theirs.ToString());
        Assert.Equal(theirs.Stdout, ours.Stdout);
        Assert.Equal(theirs.After.Select(m => m.ToString()), ours.After.Select(m => m.ToString()));
        Assert.Equal(theirs.RunFiles, ours.RunFiles);
        Assert.Equal("640", ours.RunFiles["ostree-booted"]);
        Assert.False(ours.RunFiles.ContainsKey("ostree-sysroot-ro.stamp")); // consumed
        Assert.Equal(stamp, ours.At("/sysroot").ReadOnly);
        Assert.False(ours.At("/var").ReadOnly);
    }

    [Fact]
    public void ReadOnlyRootIsLeftAlone()
    {
        BootBinary.RequireOstreeBoot();
        using var ns = new ScratchNamespace(16);
        var setup = Setup(true, false, true, false, rootRo: true);
        var ours = ChrootRun.Start(ns, BootBinary.Path, "", setup, "remount");
        var theirs = ChrootRun.Start(ns, BootBinary.OstreeRemount, "", setup);
        Assert.Equal(0, ours.ExitCode);
        Assert.Equal(theirs.After.Select(m => m.ToString()), ours.After.Select(m => m.ToString()));
        Assert.True(ours.At("/sysroot").ReadOnly);
        Assert.True(ours.At("/var").ReadOnly);
    }

    [Fact]
    public void DryRunChangesNothing()
    {
        using var ns = new ScratchNamespace(16);
        var run = ChrootRun.Start(ns, BootBinary.Path, "", Setup(true, false, true, true), "remount", "--dry-run");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("would create /run/ostree-booted\nwould make /sysroot private (MS_REC|MS_PRIVATE)\nwould remount rw: /var\n", run.Stdout);
        Assert.Equal(run.Before.Select(m => m.ToString()), run.After.Select(m => m.ToString()));
        Assert.Equal(["ostree-sysroot-ro.stamp"], run.RunFiles.Keys);
    }
}
