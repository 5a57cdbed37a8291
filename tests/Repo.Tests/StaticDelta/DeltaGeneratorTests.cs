using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.Repo.StaticDelta;
using Arbor.Repo.Store;
using Arbor.Repo.Summary;
using Arbor.Repo.Traverse;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.StaticDelta;

/// <summary>
/// Deltas written by <see cref="DeltaGenerator"/> read back through Arbor's own superblock and part
/// readers and applied with <see cref="OfflineDeltaApplier"/>: every object of the TO commit comes
/// out of the parts (and is verified on the way in).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DeltaGeneratorTests : IDisposable
{
    private readonly TempDirectory _tmp = new("delta-gen");
    private readonly Repository _server;
    private readonly Checksum _c1, _c2;

    public DeltaGeneratorTests()
    {
        _server = Repository.Create(_tmp.Combine("server"), RepoMode.Archive);
        var t1 = _tmp.Combine("t1");
        var t2 = _tmp.Combine("t2");
        SampleTree.Write(t1, 1, largeBytes: 300_000);
        SampleTree.Write(t2, 2, largeBytes: 300_000);
        _c1 = ArborTreeWriter.Commit(_server, t1, "main", "one");
        _c2 = ArborTreeWriter.Commit(_server, t2, "main", "two", parent: _c1);
    }

    public void Dispose() => _tmp.Dispose();

    private Repository Client(string name, RepoMode mode = RepoMode.BareUser) => Repository.Create(_tmp.Combine(name), mode);

    private static List<ObjectName> Reachable(Repository repo, Checksum commit) => new Reachability(repo).EnumerateCommit(commit, maxDepth: 0).ToList();

    private string DeltaDir(Checksum? from, Checksum to) => _server.FullPath(StaticDeltaNames.RelativeDirectory(from, to));

    [Theory]
    [InlineData(RepoMode.BareUser)]
    [InlineData(RepoMode.Archive)]
    public void ScratchDeltaRecreatesEveryObjectOfTheCommit(RepoMode mode)
    {
        var result = DeltaGenerator.Generate(_server, null, _c1, new DeltaGenerateOptions());
        var sb = DeltaSuperblock.Parse(File.ReadAllBytes(result.SuperblockPath), "test");
        Assert.Null(sb.From);
        Assert.Equal(_c1, sb.To);
        Assert.Equal(_server.LoadMetadata(new ObjectName(_c1, ObjectType.Commit)), sb.CommitBytes);
        Assert.Single(sb.Parts);
        Assert.Empty(sb.Fallbacks);
        var partBytes = File.ReadAllBytes(Path.Combine(DeltaDir(null, _c1), "0"));
        Assert.Equal((byte)'x', partBytes[0]);
        Assert.Equal(Checksum.Compute(partBytes), sb.Parts[0].Checksum);
        // every object but the commit (which travels in the superblock) is in the part
        var expected = Reachable(_server, _c1).Where(o => o.Type != ObjectType.Commit).ToHashSet();
        Assert.Equal(expected, sb.Parts[0].Objects.ToHashSet());

        var client = Client("client", mode);
        Assert.Equal(_c1, OfflineDeltaApplier.Apply(client, DeltaDir(null, _c1), TestContext.Current.CancellationToken));
        foreach (var o in Reachable(_server, _c1)) Assert.True(client.HasObject(o), $"missing {o}");
        Assert.Equal(Read(_server, "large/blob.bin", _c1), Read(client, "large/blob.bin", _c1));
    }

    [Fact]
    public void FromToDeltaCarriesOnlyWhatChanged()
    {
        var result = DeltaGenerator.Generate(_server, _c1, _c2, new DeltaGenerateOptions());
        var sb = DeltaSuperblock.Parse(File.ReadAllBytes(result.SuperblockPath), "test");
        Assert.Equal(_c1, sb.From);
        var inC1 = Reachable(_server, _c1).ToHashSet();
        var changed = Reachable(_server, _c2).Where(o => !inC1.Contains(o) && o.Type != ObjectType.Commit).ToHashSet();
        Assert.Equal(changed, sb.Parts.SelectMany(p => p.Objects).ToHashSet());
        Assert.DoesNotContain(sb.Parts.SelectMany(p => p.Objects), inC1.Contains);

        var client = Client("client");
        DeltaGenerator.Generate(_server, null, _c1, new DeltaGenerateOptions());
        OfflineDeltaApplier.Apply(client, DeltaDir(null, _c1), TestContext.Current.CancellationToken);
        OfflineDeltaApplier.Apply(client, Path.Combine(DeltaDir(_c1, _c2), "superblock"), TestContext.Current.CancellationToken);
        foreach (var o in Reachable(_server, _c2)) Assert.True(client.HasObject(o), $"missing {o}");
    }

    /// <summary>A third commit whose large file differs from the second's in 16 bytes: the commit and the file's new bytes.</summary>
    /// <param name="at">Where 16 bytes of the 300 kB blob change: near the start (1000), rollsum matching finds nothing, as ostree's.</param>
    private (Checksum Commit, byte[] Blob) CommitChangedBlob(int at = 1000)
    {
        var t3 = _tmp.Combine("t3");
        SampleTree.Write(t3, 2, largeBytes: 300_000);
        var blob = Path.Combine(t3, "large", "blob.bin");
        var bytes = File.ReadAllBytes(blob);
        bytes.AsSpan(at, 16).Fill((byte)'Z');
        File.WriteAllBytes(blob, bytes);
        return (ArborTreeWriter.Commit(_server, t3, "main", "three", parent: _c2), bytes);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AChangedFileTravelsAsABsdiffPatch(bool bsdiff)
    {
        var (c3, bytes) = CommitChangedBlob();

        var result = DeltaGenerator.Generate(_server, _c2, c3, new DeltaGenerateOptions { BsDiff = bsdiff });
        var sb = DeltaSuperblock.Parse(File.ReadAllBytes(result.SuperblockPath), "test");
        var part = Assert.Single(sb.Parts);
        var counts = DeltaPartExecutor.Count(DeltaPart.Open(File.ReadAllBytes(Path.Combine(DeltaDir(_c2, c3), "0")), "0"), part.Objects);
        Assert.Equal(bsdiff ? 1 : 0, counts.BsPatch);
        Assert.Equal(bsdiff ? 1 : 0, counts.SetRead);
        Assert.True(bsdiff ? part.Size < 10_000 : part.Size > 300_000, $"part of {part.Size} bytes");
        Assert.True(part.UncompressedSize >= 300_000, $"{part.UncompressedSize}"); // the patched file counts whole

        var client = Client("client");
        DeltaGenerator.Generate(_server, null, _c2, new DeltaGenerateOptions());
        OfflineDeltaApplier.Apply(client, DeltaDir(null, _c2), TestContext.Current.CancellationToken);
        OfflineDeltaApplier.Apply(client, DeltaDir(_c2, c3), TestContext.Current.CancellationToken);
        Assert.Equal(bytes, Read(client, "large/blob.bin", c3));
    }

    /// <summary>
    /// A change past the first chunks: the file is written from ranges of its FROM version plus the
    /// changed chunk from the blob (ostree's rollsum), whatever the bsdiff option, and named in the log.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AFileChangedPastItsStartTravelsAsRangesOfItsFromVersion(bool bsdiff)
    {
        var (c3, bytes) = CommitChangedBlob(at: 200_000);

        var log = new StringWriter();
        var result = DeltaGenerator.Generate(_server, _c2, c3, new DeltaGenerateOptions { BsDiff = bsdiff }, log);
        var sb = DeltaSuperblock.Parse(File.ReadAllBytes(result.SuperblockPath), "test");
        var part = Assert.Single(sb.Parts);
        var counts = DeltaPartExecutor.Count(DeltaPart.Open(File.ReadAllBytes(Path.Combine(DeltaDir(_c2, c3), "0")), "0"), part.Objects);
        Assert.Equal(0, counts.BsPatch);
        Assert.True(counts.SetRead >= 1 && counts.Write >= 2, counts.ToString());
        Assert.True(part.Size < 60_000, $"part of {part.Size} bytes");
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("rollsum for 1/1 modified", lines);
        Assert.Single(lines, l => l.StartsWith("rollsum for ", StringComparison.Ordinal) && l.Contains(" -> ", StringComparison.Ordinal) && l.Contains(" crcs=", StringComparison.Ordinal));
        Assert.Matches(@"^rollsum=1 objects, \d+ bytes$", lines[^2]);
        Assert.Equal("bsdiff=0 objects", lines[^1]);

        var client = Client("client");
        DeltaGenerator.Generate(_server, null, _c2, new DeltaGenerateOptions());
        OfflineDeltaApplier.Apply(client, DeltaDir(null, _c2), TestContext.Current.CancellationToken);
        OfflineDeltaApplier.Apply(client, DeltaDir(_c2, c3), TestContext.Current.CancellationToken);
        Assert.Equal(bytes, Read(client, "large/blob.bin", c3));
    }

    /// <summary>
    /// ostree's closing lines name the bsdiff'ed objects whatever the options (none with bsdiff off),
    /// and a file is bsdiff'ed only when it and its FROM version together fit the maximum.
    /// </summary>
    [Theory]
    [InlineData(true, 128_000_000UL, 1)]
    [InlineData(false, 128_000_000UL, 0)]
    [InlineData(true, 0UL, 0)]
    [InlineData(true, 400_000UL, 0)] // each file fits, the two together do not
    public void TheLogNamesTheBsdiffedObjects(bool bsdiff, ulong maxBsdiffSize, int expected)
    {
        var (c3, _) = CommitChangedBlob();

        var log = new StringWriter();
        DeltaGenerator.Generate(_server, _c2, c3, new DeltaGenerateOptions { BsDiff = bsdiff, MaxBsdiffSize = maxBsdiffSize }, log);
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["rollsum=0 objects, 0 bytes", $"bsdiff={expected} objects"], lines[^2..]);
    }

    /// <summary>A commit with the tree of its parent: one empty part, which reads back and applies.</summary>
    [Fact]
    public void ADeltaWithNothingNewHasOneEmptyPart()
    {
        var same = ArborTreeWriter.Commit(_server, _tmp.Combine("t2"), "main", "again", parent: _c2);
        var result = DeltaGenerator.Generate(_server, _c2, same, new DeltaGenerateOptions());
        var sb = DeltaSuperblock.Parse(File.ReadAllBytes(result.SuperblockPath), "test");
        var part = Assert.Single(sb.Parts);
        Assert.Empty(part.Objects);
        Assert.Equal(0UL, part.UncompressedSize);

        var client = Client("client");
        DeltaGenerator.Generate(_server, null, _c2, new DeltaGenerateOptions());
        OfflineDeltaApplier.Apply(client, DeltaDir(null, _c2), TestContext.Current.CancellationToken);
        Assert.Equal(same, OfflineDeltaApplier.Apply(client, DeltaDir(_c2, same), TestContext.Current.CancellationToken));
    }

    [Fact]
    public void SmallChunksGiveSeveralPartsAndLargeFilesBecomeFallbacks()
    {
        var options = new DeltaGenerateOptions { MaxChunkSize = 2000, MinFallbackSize = 100_000 };
        var result = DeltaGenerator.Generate(_server, null, _c1, options);
        var sb = DeltaSuperblock.Parse(File.ReadAllBytes(result.SuperblockPath), "test");
        Assert.True(sb.Parts.Count > 3, $"{sb.Parts.Count} parts");
        for (int i = 0; i < sb.Parts.Count; i++)
        {
            Assert.Equal(i, sb.Parts[i].Index);
            Assert.True(File.Exists(Path.Combine(DeltaDir(null, _c1), i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
        var fallback = Assert.Single(sb.Fallbacks);
        Assert.Equal(300_000UL, fallback.UncompressedSize);
        Assert.Equal((ulong)new FileInfo(_server.ObjectPath(fallback.Object)).Length, fallback.Size);
        Assert.DoesNotContain(fallback.Object, sb.Parts.SelectMany(p => p.Objects));

        var e = Assert.Throws<RepoException>(() => OfflineDeltaApplier.Apply(Client("client"), DeltaDir(null, _c1), TestContext.Current.CancellationToken));
        Assert.Equal("Cannot execute delta offline: contains nonempty http fallback entries", e.Message);
    }

    [Fact]
    public void InlineBigEndianDeltaReadsBackAndApplies()
    {
        var dir = _tmp.Combine("out");
        Directory.CreateDirectory(dir);
        var options = new DeltaGenerateOptions { InlineParts = true, BigEndian = true, Filename = Path.Combine(dir, "superblock"), Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) };
        DeltaGenerator.Generate(_server, null, _c2, options);
        Assert.Equal(["superblock"], Directory.GetFiles(dir).Select(Path.GetFileName));
        var sb = DeltaSuperblock.Parse(File.ReadAllBytes(Path.Combine(dir, "superblock")), "test");
        Assert.True(sb.BigEndian);
        Assert.Equal((byte)'B', sb.EndiannessByte);
        Assert.Equal(1_700_000_000UL, sb.Timestamp);
        var inline = sb.GetMetadataValue($"{StaticDeltaNames.RelativeDirectory(null, _c2)}/0", "(yay)");
        Assert.NotNull(inline);
        Assert.Equal(sb.Parts[0].Size, (ulong)inline.Length); // sizes read back through the byte swap
        Assert.True(sb.Parts[0].UncompressedSize > 300_000);

        var client = Client("client");
        OfflineDeltaApplier.Apply(client, dir, TestContext.Current.CancellationToken);
        foreach (var o in Reachable(_server, _c2)) Assert.True(client.HasObject(o), $"missing {o}");
        Assert.False(Directory.Exists(DeltaDir(null, _c2)));
    }

    [Fact]
    public void CorruptedPartIsRejectedAndNothingIsStored()
    {
        DeltaGenerator.Generate(_server, null, _c1, new DeltaGenerateOptions());
        var part = Path.Combine(DeltaDir(null, _c1), "0");
        var bytes = File.ReadAllBytes(part);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(part, bytes);
        var client = Client("client");
        var e = Assert.Throws<StaticDeltaException>(() => OfflineDeltaApplier.Apply(client, DeltaDir(null, _c1), TestContext.Current.CancellationToken));
        Assert.StartsWith("Checksum mismatch in static delta part; expected=", e.Message);
        Assert.False(client.HasObject(new ObjectName(_c1, ObjectType.Commit)));
        Assert.Empty(Directory.EnumerateFiles(client.FullPath("objects"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void ApplyNeedsTheFromCommit()
    {
        DeltaGenerator.Generate(_server, _c1, _c2, new DeltaGenerateOptions());
        var e = Assert.Throws<RepoException>(() => OfflineDeltaApplier.Apply(Client("client"), DeltaDir(_c1, _c2), TestContext.Current.CancellationToken));
        Assert.Equal($"Commit {_c1}, which is the delta source, is not in repository", e.Message);
    }

    [Fact]
    public void ListDeleteAndReindex()
    {
        DeltaGenerator.Generate(_server, null, _c2, new DeltaGenerateOptions());
        DeltaGenerator.Generate(_server, _c1, _c2, new DeltaGenerateOptions());
        Assert.Equal(new[] { _c2.ToString(), $"{_c1}-{_c2}" }.Order(), StaticDeltaStore.ListNames(_server).Order());
        Assert.Empty(DeltaIndexes.List(_server));

        DeltaIndexes.Reindex(_server);
        _server.ReloadConfig();
        Assert.True(_server.Config.KeyFile.GetBoolean("core", "indexed-deltas", false));
        Assert.Equal([_c2], DeltaIndexes.List(_server));
        var index = VariantDictionary.Parse(File.ReadAllBytes(_server.FullPath(StaticDeltaNames.RelativeIndexPath(_c2))));
        Assert.Equal(2, index[SummaryFile.StaticDeltasKey]!.ChildCount);

        StaticDeltaStore.Delete(_server, _c2.ToString());
        StaticDeltaStore.Delete(_server, $"{_c1}-{_c2}");
        Assert.Empty(StaticDeltaStore.ListNames(_server));
        Assert.Equal("Can't find delta " + _c2, Assert.Throws<RepoException>(() => StaticDeltaStore.Delete(_server, _c2.ToString())).Message);
        Assert.Equal("Invalid rev nonsense", Assert.Throws<RepoException>(() => StaticDeltaStore.Delete(_server, "nonsense")).Message);
        DeltaIndexes.Reindex(_server);
        Assert.Empty(DeltaIndexes.List(_server));
    }

    private static byte[] Read(Repository repo, string path, Checksum commit)
    {
        var c = repo.LoadCommit(commit);
        var tree = repo.LoadDirTree(c.RootTree);
        var parts = path.Split('/');
        foreach (var d in parts[..^1]) tree = repo.LoadDirTree(tree.Dirs.Single(x => x.Name == d).Tree);
        var file = repo.LoadContent(tree.Files.Single(x => x.Name == parts[^1]).Checksum);
        using var s = file.OpenContent();
        var buf = new byte[file.Size];
        s.ReadExactly(buf);
        return buf;
    }
}
