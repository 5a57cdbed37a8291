using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary><c>checksum [--ignore-xattrs] PATH</c> prints what ostree prints, for every kind of entry, and fails as it fails.</summary>
public sealed class ChecksumCompatTests : IDisposable
{
    private readonly TempDirectory _tmp = new("checksum-compat");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void ChecksumsMatchOstreeForEveryEntry()
    {
        OstreeOracle.Require();
        Privileged.RequireRoot();
        var tree = CommitCompatTests.BuildTree(_tmp.Combine("tree"));
        ProcessRunner.RunOk("mkfifo", Path.Combine(tree, "fifo"));
        var paths = new[] { tree, Path.Combine(tree, "many") }
            .Concat(Directory.EnumerateFileSystemEntries(tree).Where(p => !p.EndsWith("/many", StringComparison.Ordinal)))
            .Concat(Directory.EnumerateFileSystemEntries(Path.Combine(tree, "dir with space"), "*", SearchOption.AllDirectories))
            .ToList();
        Assert.True(paths.Count > 15, $"{paths.Count} entries");
        foreach (var path in paths)
            foreach (var flags in new[] { Array.Empty<string>(), ["--ignore-xattrs"] })
            {
                var o = OstreeOracle.Run(["checksum", .. flags, path]);
                var a = CliRunner.Run(["checksum", .. flags, path]);
                Assert.True(o.ExitCode == 0, o.ToString());
                Assert.Equal((o.ExitCode, o.Stdout, path), (a.ExitCode, a.Stdout, path));
            }
        // with xattrs the checksum changes, without them it does not
        var x = Path.Combine(tree, "xattrs.txt");
        Assert.NotEqual(CliRunner.RunOk("checksum", x), CliRunner.RunOk("checksum", "--ignore-xattrs", x));
    }

    [Fact]
    public void ErrorsMatchOstree()
    {
        OstreeOracle.Require();
        foreach (var args in new[] { new[] { "checksum" }, ["checksum", "/no/such/file"], ["checksum", "--ignore-xattrs", "/no/such/file"], ["checksum", "--ignore-xattrs"] })
        {
            var o = OstreeOracle.Run(args);
            var a = CliRunner.Run(args);
            Assert.Equal(1, o.ExitCode);
            Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        }
    }
}
