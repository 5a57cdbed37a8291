using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands.Usb;

/// <summary>Bad input to <c>arbor create-usb</c>: one line, non-zero exit, nothing written to the stick.</summary>
public sealed class CreateUsbCommandTests : IDisposable
{
    private readonly TempDirectory _tmp = new("cli-create-usb");

    public void Dispose() => _tmp.Dispose();

    [Theory]
    [InlineData("abc", "error: Invalid rev abc\n")]
    [InlineData("ZZ3bf0b4e4b7c2b9c4f0c0e3a4c7f0c1a5e8d2b6f3a9c4e7d1b2a5c8f3e6d9b0", "error: Invalid character '90' in rev 'ZZ3bf0b4e4b7c2b9c4f0c0e3a4c7f0c1a5e8d2b6f3a9c4e7d1b2a5c8f3e6d9b0'\n")]
    public void AnInvalidCommitIsAUsageErrorNotACrash(string commit, string expected)
    {
        // the real ostree 2022.7 aborts on an assertion here (ostree_checksum_inplace_to_bytes)
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree, smallFiles: 1);
        var repo = _tmp.Combine("repo");
        OstreeOracle.RunOk("init", $"--repo={repo}", "--mode=archive", "--collection-id=org.example.Os");
        OstreeOracle.RunOk("commit", $"--repo={repo}", "-b", "main", $"--tree=dir={tree}");
        var stick = _tmp.Combine("stick");
        Directory.CreateDirectory(stick);

        var r = CliRunner.Run("create-usb", $"--repo={repo}", $"--commit={commit}", stick, "org.example.Os", "main");

        Assert.Equal((1, expected), (r.ExitCode, r.Stderr));
        Assert.Empty(Directory.EnumerateFileSystemEntries(stick));
    }
}
