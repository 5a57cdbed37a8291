using System.Formats.Tar;
using Arbor.Repo.Core;
using Arbor.Repo.Export;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Export;

/// <summary>Export against <c>ostree export</c>: the same bytes, in every mode and with every option.</summary>
public sealed class TarExporterTests : IDisposable
{
    private readonly TempDirectory _tmp = new("export");

    public void Dispose() => _tmp.Dispose();

    private static byte[] Arbor(string repo, string commit, TarExportOptions options)
    {
        var ms = new MemoryStream();
        TarExporter.Export(Repository.Open(repo), Checksum.Parse(commit), ms, options);
        return ms.ToArray();
    }

    private byte[] Ostree(string repo, string rev, params string[] extra)
    {
        var output = _tmp.Combine($"ostree-{Guid.NewGuid():N}.tar");
        OstreeOracle.RunOk(["export", $"--repo={repo}", rev, $"--output={output}", .. extra]);
        return File.ReadAllBytes(output);
    }

    [Theory]
    [InlineData("archive")]
    [InlineData("bare")]
    [InlineData("bare-user")]
    [InlineData("bare-user-only")]
    public void TheArchiveIsByteIdenticalToOstreesInEveryMode(string mode)
    {
        var (repo, commit) = OstreeRepos.Sample(_tmp.Path, mode);
        Assert.Equal(Ostree(repo, commit), Arbor(repo, commit, new TarExportOptions()));
    }

    [Theory]
    [InlineData("/sub", "foo")]
    [InlineData("sub/nested", "foo/")]
    [InlineData("/sub/nested", null)]
    [InlineData(null, "prefix/")]
    public void SubpathAndPrefixMatchOstree(string? subpath, string? prefix)
    {
        var (repo, commit) = OstreeRepos.Sample(_tmp.Path, "archive");
        var extra = new List<string>();
        if (subpath is not null) extra.Add($"--subpath={subpath}");
        if (prefix is not null) extra.Add($"--prefix={prefix}");
        Assert.Equal(Ostree(repo, commit, [.. extra]), Arbor(repo, commit, new TarExportOptions { Subpath = subpath, Prefix = prefix }));
    }

    [Fact]
    public void TheVectorCommitsMatchOstreeIncludingLongNamesAndOwners()
    {
        var (archive, _) = VectorRepos.Extract(_tmp.Path);
        foreach (var key in new[] { "commit.1", "commit.2", "commit.uid1000", "commit.large-dirtree" })
        {
            var commit = Vectors.Value(key);
            Assert.Equal(Ostree(archive, commit), Arbor(archive, commit, new TarExportOptions()));
        }
    }

    [Fact]
    public void StdoutArchivesArePaddedToWholeRecords()
    {
        var (repo, commit) = OstreeRepos.Sample(_tmp.Path, "archive");
        var ostree = ProcessRunner.Run("sh", ["-c", $"/usr/bin/ostree export --repo={repo} {commit} | wc -c"]).Stdout.Trim();
        var arbor = Arbor(repo, commit, new TarExportOptions { PadToRecord = true });
        Assert.Equal(long.Parse(ostree), arbor.Length);
        Assert.Equal(0, arbor.Length % 10240);
    }

    [Fact]
    public void EntriesCarryTheTreeAsTarReadersSeeIt()
    {
        var (repo, commit) = OstreeRepos.Sample(_tmp.Path, "bare-user");
        using var reader = new TarReader(new MemoryStream(Arbor(repo, commit, new TarExportOptions())));
        var entries = new Dictionary<string, TarEntry>();
        while (reader.GetNextEntry(copyData: true) is { } e) entries[e.Name] = e;
        Assert.Equal(TarEntryType.Directory, entries["./"].EntryType);
        Assert.Equal("hello.txt", entries["link"].LinkName);
        Assert.Equal(TarEntryType.SymbolicLink, entries["link"].EntryType);
        Assert.Equal((UnixFileMode)0x1ED, entries["bin/tool"].Mode);
        Assert.Equal((UnixFileMode)0x1C0, entries["private/"].Mode);
        Assert.Equal(new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), entries["hello.txt"].ModificationTime);
        Assert.True(entries.ContainsKey(OstreeRepos.LongName));
        var big = new MemoryStream();
        entries["big.bin"].DataStream!.CopyTo(big);
        Assert.Equal(File.ReadAllBytes(_tmp.Combine("tree-bare-user", "big.bin")), big.ToArray());
    }

    [Fact]
    public void LargeFilesAreStreamedNotHeldInMemory()
    {
        var repo = OstreeRepos.Init(_tmp.Combine("large"), "archive");
        var tree = Directory.CreateDirectory(_tmp.Combine("large-tree")).FullName;
        var data = new byte[1 << 20];
        using (var f = File.Create(Path.Combine(tree, "huge.bin")))
        {
            var rng = new Random(11);
            for (int i = 0; i < 48; i++) { rng.NextBytes(data); f.Write(data); }
        }
        var commit = OstreeRepos.Commit(repo, "main", tree, "archive");
        var sink = Stream.Null;
        var r = Repository.Open(repo);
        long before = GC.GetAllocatedBytesForCurrentThread();
        TarExporter.Export(r, Checksum.Parse(commit), sink, new TarExportOptions());
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 8 << 20, $"{allocated} bytes allocated to export a 48 MiB file");
    }

    [Fact]
    public void RepeatedAndTrailingSlashesInTheSubpathAreAccepted()
    {
        // ostree 2022.7 fails on "sub/" and exports the whole root for "//sub//"; Arbor reads both as "sub"
        var (repo, commit) = OstreeRepos.Sample(_tmp.Path, "archive");
        var sub = Arbor(repo, commit, new TarExportOptions { Subpath = "sub" });
        Assert.Equal(sub, Arbor(repo, commit, new TarExportOptions { Subpath = "//sub//" }));
        Assert.Equal(sub, Arbor(repo, commit, new TarExportOptions { Subpath = "sub/" }));
    }

    [Fact]
    public void AMissingSubpathIsAnErrorNamingIt()
    {
        var (repo, commit) = OstreeRepos.Sample(_tmp.Path, "archive");
        Assert.Equal("No such file or directory: /sub/..", Assert.Throws<RepoException>(() => Arbor(repo, commit, new TarExportOptions { Subpath = "sub/../bin" })).Message);
        Assert.Equal("Not a directory: /hello.txt", Assert.Throws<RepoException>(() => Arbor(repo, commit, new TarExportOptions { Subpath = "/hello.txt" })).Message);
    }

    [Fact]
    public void AFailedExportLeavesNoFileBehind()
    {
        var (repo, commit) = OstreeRepos.Sample(_tmp.Path, "archive");
        var big = OstreeRepos.ChecksumOf(repo, "main", "/big.bin");
        var path = OstreeRepos.FileObjectPath(repo, "archive", big);
        OstreeRepos.Truncate(path, new FileInfo(path).Length / 2);
        var output = _tmp.Combine("out", "x.tar");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        Assert.Throws<CorruptObjectException>(() => TarExporter.ExportToFile(Repository.Open(repo), Checksum.Parse(commit), output, new TarExportOptions()));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!));
    }

    [Fact]
    public void AHostileNameIsRefusedRatherThanWrittenIntoTheArchive()
    {
        var (repo, _) = OstreeRepos.Sample(_tmp.Path, "archive");
        var hello = Checksum.Parse(OstreeRepos.ChecksumOf(repo, "main", "/hello.txt"));
        var (commit, _) = HostileObjects.CommitWithFileName(repo, "..", hello);
        Assert.Throws<CorruptObjectException>(() => Arbor(repo, commit.ToString(), new TarExportOptions()));
    }
}
