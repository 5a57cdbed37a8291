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
}
