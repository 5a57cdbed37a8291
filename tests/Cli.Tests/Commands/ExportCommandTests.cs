using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands;

public sealed class ExportCommandTests : IDisposable
{
    private readonly TempDirectory _tmp = new("cli-export");
    private readonly string _archive;

    public ExportCommandTests() => _archive = VectorRepos.Extract(_tmp.Path).Archive;

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void OutputFileIsByteIdenticalToOstreeExport()
    {
        OstreeOracle.Require();
        var ours = _tmp.Combine("arbor.tar");
        var theirs = _tmp.Combine("ostree.tar");
        CliRunner.RunOk("export", $"--repo={_archive}", "vectors/main", $"--output={ours}");
        OstreeOracle.RunOk("export", $"--repo={_archive}", "vectors/main", $"--output={theirs}");
        Assert.Equal(File.ReadAllBytes(theirs), File.ReadAllBytes(ours));
    }

    [Fact]
    public void ShortOutputOptionAndSubpathWork()
    {
        var ours = _tmp.Combine("sub.tar");
        CliRunner.RunOk("export", $"--repo={_archive}", "vectors/main", "-o", ours, "--subpath=/sub", "--prefix=x/");
        var listing = ProcessRunner.RunOk("tar", "-tf", ours);
        Assert.Equal("x/\nx/abs-link\nx/nested/\nx/nested/deep.txt\n", listing);
    }

    [Fact]
    public void StdoutMatchesOstreeIncludingRecordPadding()
    {
        OstreeOracle.Require();
        var arbor = Path.Combine(AppContext.BaseDirectory, "arbor.dll");
        var ours = ProcessRunner.Run("sh", ["-c", $"dotnet {arbor} export --repo={_archive} vectors/main | sha256sum"]);
        var theirs = ProcessRunner.Run("sh", ["-c", $"/usr/bin/ostree export --repo={_archive} vectors/main | sha256sum"]);
        Assert.Equal(theirs.Stdout, ours.Stdout);
    }

    [Fact]
    public void ACommitArgumentIsRequired()
    {
        var r = CliRunner.Run("export", $"--repo={_archive}");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: A COMMIT argument is required\n", r.Stderr);
    }

    [Fact]
    public void AnUnknownRevisionCreatesNoFile()
    {
        var output = _tmp.Combine("out", "x.tar");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var r = CliRunner.Run("export", $"--repo={_archive}", "nope", $"--output={output}");
        Assert.Equal("error: Refspec 'nope' not found\n", r.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!));
    }

    [Fact]
    public void AnUnwritableOutputIsReportedLikeOstree()
    {
        var r = CliRunner.Run("export", $"--repo={_archive}", "vectors/main", "--output=/nonexistent-dir/x.tar");
        Assert.Equal("error: Failed to open '/nonexistent-dir/x.tar'\n", r.Stderr);
    }
}
