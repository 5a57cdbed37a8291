using Arbor.Repo.Core;
using Arbor.Repo.StaticDelta;
using Arbor.Repo.Store;
using Arbor.Repo.Traverse;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.StaticDelta;

/// <summary>
/// Which files of a delta become bsdiff candidates (<see cref="SimilarFiles"/>, ostree's
/// <c>_ostree_delta_compute_similar_objects</c>): paired by basename (or its part before the first
/// '.') and by size within 30%, wherever they are in the tree.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SimilarFilesTests : IDisposable
{
    private readonly TempDirectory _tmp = new("similar");
    private readonly Repository _repo;

    public SimilarFilesTests() => _repo = Repository.Create(_tmp.Combine("repo"), RepoMode.Archive);

    public void Dispose() => _tmp.Dispose();

    private static byte[] Bytes(int size, byte seed) => Enumerable.Range(0, size).Select(i => (byte)(i * 7 + seed)).ToArray();

    private Checksum Commit(string name, Dictionary<string, byte[]> files)
    {
        var dir = _tmp.Combine(name);
        foreach (var (path, bytes) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, path))!);
            File.WriteAllBytes(Path.Combine(dir, path), bytes);
        }
        return ArborTreeWriter.Commit(_repo, dir, "main", name);
    }

    /// <summary>Each pair as "FROM-size/seed -> TO-size/seed" (a file's first byte is its seed).</summary>
    private List<string> Pairs(Checksum from, Checksum to)
    {
        var fromFiles = new Reachability(_repo).EnumerateCommit(from, maxDepth: 0).Where(o => o.Type == ObjectType.File).Select(o => o.Checksum).ToHashSet();
        var newFiles = new Reachability(_repo).EnumerateCommit(to, maxDepth: 0).Where(o => o.Type == ObjectType.File && !fromFiles.Contains(o.Checksum))
            .ToDictionary(o => o.Checksum, o => _repo.LoadContent(o.Checksum).Size);
        return [.. SimilarFiles.Find(_repo, from, to, newFiles).Select(p => $"{Describe(p.From)} -> {Describe(p.To)}").Order(StringComparer.Ordinal)];
    }

    private string Describe(Checksum file)
    {
        var content = _repo.LoadContent(file);
        using var s = content.OpenContent();
        return $"{content.Size}/{s.ReadByte()}";
    }

    [Fact]
    public void PairsByBasenameOrItsStemAndBySimilarSize()
    {
        var from = Commit("from", new()
        {
            ["usr/lib/libfoo.so.1"] = Bytes(10_000, 1),
            ["usr/bin/tool"] = Bytes(10_000, 2),
            ["usr/share/big"] = Bytes(10_000, 3),
            ["usr/share/data.xz"] = Bytes(10_000, 4),
            ["usr/share/empty"] = [],
        });
        var to = Commit("to", new()
        {
            ["usr/lib/libfoo.so.2"] = Bytes(10_500, 5),   // stem "libfoo" matches libfoo.so.1
            ["usr/libexec/tool"] = Bytes(9_000, 6),       // moved: the basename still matches
            ["usr/share/big"] = Bytes(15_000, 7),         // FROM under 70% of it: no candidate
            ["usr/share/data.xz"] = Bytes(10_100, 8),     // compressed: never a candidate
            ["usr/share/empty"] = [1],
        });
        Assert.Equal(["10000/1 -> 10500/5", "10000/2 -> 9000/6"], Pairs(from, to));
    }
}
