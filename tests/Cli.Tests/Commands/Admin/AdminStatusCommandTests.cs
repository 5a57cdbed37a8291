using System.Text.Json;
using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands.Admin;

public sealed class AdminStatusCommandTests
{
    [Fact]
    public void StatusOfTheVectorScenarioIsWhatOstreePrinted()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        f.RunVectorScenario();
        var expected = string.Join('\n', ArborSysroot.VectorSection("ostree admin status")) + "\n";
        Assert.Equal(expected, CliRunner.RunOk("admin", "status", "--sysroot=" + f.Path));
        // the real ostree reads arbor's sysroot the same way
        OstreeOracle.Require();
        Assert.Equal(expected, OstreeOracle.RunOk("admin", "status", "--sysroot=" + f.Path));
    }

    [Fact]
    public void JsonFollowsTheDocumentedSchema()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        var (v1, v2) = f.RunVectorScenario();
        f.Load();
        CliRunner.RunOk("admin", "pin", "1", "--sysroot=" + f.Path);
        using var doc = JsonDocument.Parse(CliRunner.RunOk("admin", "status", "--json", "--sysroot=" + f.Path));
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("schema").GetInt32());
        Assert.Equal(0, root.GetProperty("bootversion").GetInt32());
        Assert.Equal(1, root.GetProperty("subbootversion").GetInt32());
        Assert.False(root.GetProperty("booted").GetBoolean());
        var ds = root.GetProperty("deployments").EnumerateArray().ToList();
        Assert.Equal(2, ds.Count);
        Assert.Equal(v2, ds[0].GetProperty("checksum").GetString());
        Assert.Equal(v1, ds[1].GetProperty("checksum").GetString());
        Assert.Equal(0, ds[0].GetProperty("index").GetInt32());
        Assert.Equal("vectoros", ds[0].GetProperty("stateroot").GetString());
        Assert.Equal(0, ds[0].GetProperty("serial").GetInt32());
        Assert.Equal("2", ds[0].GetProperty("version").GetString());
        Assert.Equal("OS v2", ds[0].GetProperty("subject").GetString());
        Assert.Equal("2021-02-02T00:00:00Z", ds[0].GetProperty("timestamp").GetString());
        Assert.Equal("vectoros/stable", ds[0].GetProperty("origin").GetProperty("refspec").GetString());
        Assert.False(ds[0].GetProperty("pinned").GetBoolean());
        Assert.True(ds[1].GetProperty("pinned").GetBoolean());
        Assert.Equal("none", ds[0].GetProperty("unlocked").GetString());
        Assert.Equal("ff6d610a0f0d84602d9e2878eb3a16a850f2d31faa2f14108006723892a17899", ds[0].GetProperty("bootchecksum").GetString());
        Assert.Equal(1, ds[1].GetProperty("bootserial").GetInt32());
        Assert.StartsWith("root=LABEL=root quiet ostree=/ostree/boot.0/vectoros/", ds[0].GetProperty("kargs").GetString());
        Assert.Equal($"ostree/deploy/vectoros/deploy/{v2}.0", ds[0].GetProperty("path").GetString());
        foreach (var d in ds)
            foreach (var key in new[] { "booted", "pending", "rollback", "staged" })
                Assert.False(d.GetProperty(key).GetBoolean());
    }

    [Fact]
    public void OriginNoneAndUnknownOriginType()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        f.RunVectorScenario();
        var set = f.Load();
        File.Delete(f.Full(set[0].OriginRelativePath));
        File.WriteAllText(f.Full(set[1].OriginRelativePath), "[origin]\ncontainer-image-reference=x\n");
        var status = CliRunner.RunOk("admin", "status", "--sysroot=" + f.Path);
        Assert.Contains("    origin: none\n", status);
        Assert.Contains("    origin: <unknown origin type>\n", status);
        Assert.Equal(OstreeOracle.RunOk("admin", "status", "--sysroot=" + f.Path), status);
    }

    [Fact]
    public void NotASysroot()
    {
        using var tmp = new TempDirectory("notsysroot");
        var missing = tmp.Combine("missing");
        var r = CliRunner.Run("admin", "status", "--sysroot=" + missing);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: opendir({missing}): No such file or directory\n", r.Stderr);
        r = CliRunner.Run("admin", "status", "--sysroot=" + tmp.Path);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: loading sysroot: opendir(ostree/repo): No such file or directory\n", r.Stderr);
        Assert.Equal(r.Stderr, OstreeOracle.Run("admin", "status", "--sysroot=" + tmp.Path).Stderr);
    }

    [Fact]
    public void BrokenBootConfigurationIsAOneLineError()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        f.RunVectorScenario();
        File.Delete(f.Full("boot/loader"));
        File.CreateSymbolicLink(f.Full("boot/loader"), "elsewhere");
        var r = CliRunner.Run("admin", "status", "--sysroot=" + f.Path);
        Assert.Equal("error: loading sysroot: Invalid target 'elsewhere' in boot/loader\n", r.Stderr);
        Assert.Equal(OstreeOracle.Run("admin", "status", "--sysroot=" + f.Path).Stderr, r.Stderr);
    }
}
