using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// The repository config, a deployment's <c>.origin</c> and a boot loader entry are read as UTF-8
/// text, as ostree's <c>glnx_file_get_contents_utf8_at</c> reads them: bytes that are not UTF-8
/// (here a UTF-16 byte order mark, which File.ReadAllText would have honoured) fail with
/// ostree's "Invalid UTF-8" instead of being parsed as something else.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InvalidUtf8CompatTests
{
    private static readonly byte[] Utf16Bom = [0xFF, 0xFE];

    [Fact]
    public void RepoConfig()
    {
        OstreeOracle.Require();
        using var tmp = new TempDirectory("compat-utf8");
        var repo = tmp.Combine("repo");
        OstreeOracle.RunOk("init", $"--repo={repo}", "--mode=archive");
        var config = Path.Join(repo, "config");
        File.WriteAllBytes(config, [.. Utf16Bom, .. File.ReadAllBytes(config)]);

        var arbor = CliRunner.Run("refs", $"--repo={repo}");
        Assert.Equal((1, "error: opening repo: Invalid UTF-8\n"), (arbor.ExitCode, arbor.Stderr));
        Assert.Equal(OstreeOracle.Run("refs", $"--repo={repo}").Stderr, arbor.Stderr);
    }

    [Theory]
    [InlineData("origin")]
    [InlineData("entry")]
    public void SysrootFiles(string which)
    {
        using var t = new TwinSysroots();
        t.Commit(t.VectorTree(), "1", 1);
        t.OstreeAdminOk("ostree", "deploy", "--os=" + TwinSysroots.Os, "vectoros/stable");
        var file = which == "origin"
            ? Directory.GetFiles(t.Host("ostree", $"ostree/deploy/{TwinSysroots.Os}/deploy"), "*.origin").Single()
            : Directory.GetFiles(t.Host("ostree", "boot/loader/entries"), "*.conf").Single();
        File.WriteAllBytes(file, [.. Utf16Bom, .. File.ReadAllBytes(file)]);

        var ostree = t.OstreeAdmin("ostree", "status");
        var arbor = t.ArborAdmin("ostree", "status");
        Assert.Equal(1, arbor.ExitCode);
        Assert.EndsWith(": Invalid UTF-8\n", arbor.Stderr);
        Assert.Equal(ostree.Stderr, arbor.Stderr);
    }

    /// <summary>
    /// A local /etc file whose name is not UTF-8: <c>admin config-diff</c> prints the name's raw bytes
    /// as ostree does, and each tool's deploy carries the file over under the same name.
    /// </summary>
    [Fact]
    public void EtcFileNameThatIsNotUtf8()
    {
        using var t = new TwinSysroots();
        t.Commit(t.VectorTree(), "1", 1);
        t.OstreeAdminOk("ostree", "deploy", "--os=" + TwinSysroots.Os, "vectoros/stable");
        t.ArborAdminOk("arbor", "deploy", "--os=" + TwinSysroots.Os, "vectoros/stable");
        const string BadName = "\"$1/etc/bad\"$'\\xff'name";
        foreach (var side in new[] { "ostree", "arbor" })
            ProcessRunner.RunOk("bash", "-c", $"printf 'local\\n' > {BadName}", "bash", t.DeploymentDir(side, 0));

        foreach (var side in new[] { "ostree", "arbor" })
        {
            var ostree = t.Ns.Run("/bin/sh", ["-c", $"/usr/bin/ostree admin config-diff --sysroot={t.Ns.InnerPath(side)} --os={TwinSysroots.Os} | base64 -w0"]);
            var bytes = new MemoryStream();
            int code = Arbor.Cli.Program.Run(["admin", "config-diff", "--sysroot=" + t.Host(side), "--os=" + TwinSysroots.Os], new StringWriter(), new StringWriter(), bytes);
            Assert.Equal(0, code);
            Assert.Equal(Convert.ToBase64String([.. "A    bad"u8, 0xff, .. "name\n"u8]), ostree.Stdout);
            Assert.Equal(ostree.Stdout, Convert.ToBase64String(bytes.ToArray()));
        }

        t.OstreeAdminOk("ostree", "deploy", "--os=" + TwinSysroots.Os, "vectoros/stable");
        t.ArborAdminOk("arbor", "deploy", "--os=" + TwinSysroots.Os, "vectoros/stable");
        foreach (var side in new[] { "ostree", "arbor" })
            Assert.Equal("local\n", ProcessRunner.RunOk("bash", "-c", $"cat {BadName}", "bash", t.DeploymentDir(side, 0)));
    }
}
