using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// <c>commit --tree=tar=</c> with archives that are cut short or are not archives: libarchive's
/// words as ostree 2022.7 prints them (the BCL's "Unable to read beyond the end of the stream." or
/// "File changed size while being committed" said nothing of the archive), and an archive that just
/// lacks its end-of-archive blocks is read to its end, as libarchive reads it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TarErrorsCompatTests : IDisposable
{
    private readonly TempDirectory _tmp = new("compat-tar-errors");
    private readonly byte[] _tar;
    private readonly byte[] _tgz;

    public TarErrorsCompatTests()
    {
        OstreeOracle.Require();
        var tree = _tmp.Combine("tree");
        Directory.CreateDirectory(Path.Join(tree, "d"));
        File.WriteAllBytes(Path.Join(tree, "d", "f"), Garbage(100_000, seed: 1));
        File.WriteAllText(Path.Join(tree, "g"), "g\n");
        // "./" first, then d/, d/f (100000 bytes), g
        ProcessRunner.RunOk("tar", "-C", tree, "--sort=name", "--owner=0", "--group=0", "--mtime=@0", "-cf", _tmp.Combine("all.tar"), ".");
        ProcessRunner.RunOk("sh", "-c", $"gzip -n -c {_tmp.Combine("all.tar")} > {_tmp.Combine("all.tgz")}");
        _tar = File.ReadAllBytes(_tmp.Combine("all.tar"));
        _tgz = File.ReadAllBytes(_tmp.Combine("all.tgz"));
    }

    public void Dispose() => _tmp.Dispose();

    private static byte[] Garbage(int n, int seed)
    {
        var b = new byte[n];
        new Random(seed).NextBytes(b);
        return b;
    }

    private (CliResult Arbor, CliResult Ostree) Commit(string name, byte[] archive, bool oracle = true)
    {
        var file = _tmp.Combine(name);
        File.WriteAllBytes(file, archive);
        string[] Args(string repo)
        {
            OstreeOracle.RunOk("init", "--repo=" + repo, "--mode=archive");
            return ["commit", "--repo=" + repo, "-b", "main", "--timestamp=2024-01-01T00:00:00Z", "--tree=tar=" + file];
        }
        var arborRepo = _tmp.Combine("arbor-" + name);
        var arbor = CliRunner.Run(Args(arborRepo));
        if (arbor.ExitCode != 0) Assert.False(File.Exists(Path.Join(arborRepo, "refs/heads/main")));
        return (arbor, oracle ? OstreeOracle.Run(Args(_tmp.Combine("ostree-" + name))) : arbor);
    }

    [Fact]
    public void NotAnArchive()
    {
        var (arbor, ostree) = Commit("garbage.tar", Garbage(5000, seed: 2));
        Assert.Equal((1, "error: archive_read_open_filename: Unrecognized archive format\n"), (arbor.ExitCode, arbor.Stderr));
        Assert.Equal(ostree.Stderr, arbor.Stderr);
    }

    [Fact]
    public void AGoodHeaderThenGarbage()
    {
        var (arbor, ostree) = Commit("damaged.tar", [.. _tar.AsSpan(0, 512), .. Garbage(2048, seed: 3)]);
        Assert.Equal((1, "error: Damaged tar archive\n"), (arbor.ExitCode, arbor.Stderr));
        Assert.Equal(ostree.Stderr, arbor.Stderr);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(5000)]
    [InlineData(50000)]
    public void ATruncatedGzip(int length)
    {
        var (arbor, ostree) = Commit($"cut{length}.tgz", _tgz[..length]);
        Assert.Equal((1, "error: archive_read_open_filename: truncated gzip input\n"), (arbor.ExitCode, arbor.Stderr));
        Assert.Equal(ostree.Stderr, arbor.Stderr);
    }

    [Theory]
    [InlineData(1024 + 100)]          // inside d/f's header
    [InlineData(1536 + 5000)]         // inside d/f's data
    [InlineData(1536 + 100000 + 100)] // d/f's data complete, its padding cut
    public void ATruncatedTar(int length)
    {
        // the real ostree 2022.7 loops for ever here, printing GLib warnings about "Truncated tar archive"
        var (arbor, _) = Commit($"cut{length}.tar", _tar[..length], oracle: false);
        Assert.Equal((1, "error: Truncated tar archive\n"), (arbor.ExitCode, arbor.Stderr));
    }

    [Fact]
    public void AnArchiveWithoutEndBlocksIsReadToItsEnd()
    {
        // the last entry (g) ends with its padded data; the two zero blocks are missing
        int end = _tar.Length - 1;
        while (_tar[end] == 0) end--;
        int cut = (end / 512 + 1) * 512;
        var (arbor, ostree) = Commit("noend.tar", _tar[..cut]);
        Assert.Equal(0, ostree.ExitCode);
        Assert.Equal((0, ostree.Stdout), (arbor.ExitCode, arbor.Stdout));
    }

    [Fact]
    public void AnEmptyFile()
    {
        var (arbor, ostree) = Commit("empty.tar", []);
        Assert.Equal((1, "error: Can't commit an empty tree\n"), (arbor.ExitCode, arbor.Stderr));
        Assert.Equal(ostree.Stderr, arbor.Stderr);
    }
}
