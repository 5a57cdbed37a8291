using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// A deployment whose <c>.origin</c> has a refspec that does not parse, or none: <c>admin status</c>
/// still lists it as ostree's does, and <c>admin upgrade</c> refuses it with ostree's line.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CorruptOriginCompatTests
{
    [Theory]
    [InlineData("[origin]\nrefspec=::bad::\n", "error: Invalid refspec ::bad::\n")]
    [InlineData("[origin]\nrefspec=remote:\n", "error: Invalid refspec remote:\n")]
    [InlineData("", "error: No origin/refspec in current deployment origin; cannot upgrade via ostree\n")]
    public void StatusListsItAndUpgradeRefusesIt(string origin, string upgradeError)
    {
        using var t = new TwinSysroots();
        t.Commit(t.VectorTree(), "1", 1);
        t.OstreeAdminOk("ostree", "deploy", "--os=" + TwinSysroots.Os, "vectoros/stable");
        File.WriteAllText(Directory.GetFiles(t.Host("ostree", $"ostree/deploy/{TwinSysroots.Os}/deploy"), "*.origin").Single(), origin);

        var status = t.ArborAdmin("ostree", "status");
        Assert.Equal(0, status.ExitCode);
        Assert.Equal(t.OstreeAdminOk("ostree", "status"), status.Stdout);

        var upgrade = t.ArborAdmin("ostree", "upgrade", "--os=" + TwinSysroots.Os);
        Assert.Equal((1, upgradeError), (upgrade.ExitCode, upgrade.Stderr));
        Assert.Equal(t.OstreeAdmin("ostree", "upgrade", "--os=" + TwinSysroots.Os).Stderr, upgrade.Stderr);
    }
}
