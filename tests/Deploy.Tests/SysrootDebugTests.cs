namespace Arbor.Deploy.Tests;

/// <summary>$OSTREE_SYSROOT_DEBUG and $OSTREE_SYSROOT_OPTS read as GLib's g_parse_debug_string reads them.</summary>
public sealed class SysrootDebugTests
{
    [Fact]
    public void KeysAreSeparatedByAnyOfGLibsSeparatorsAndCaseDoesNotMatter()
    {
        var d = SysrootDebug.Parse("mutable-deployments,No-Xattrs:no-dtb; unknown", "skip-sync");
        Assert.Equal(new SysrootDebug { MutableDeployments = true, NoXattrs = true, NoDtb = true, SkipSync = true }, d);
    }

    [Fact]
    public void AllSetsEveryKeyOfItsVariableAndNothingSetsNone()
    {
        Assert.Equal(new SysrootDebug { MutableDeployments = true, TestFifreeze = true, NoXattrs = true, NoDtb = true }, SysrootDebug.Parse("all", null));
        Assert.Equal(SysrootDebug.None, SysrootDebug.Parse(null, ""));
        Assert.Equal(SysrootDebug.None, SysrootDebug.Parse("skip-sync", "no-dtb"));
    }
}
