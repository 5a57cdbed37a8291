using Arbor.Repo.GLib;

namespace Arbor.Repo.Tests.GLib;

/// <summary>GHashTable layout (GLib 2.74 ghash.c): g_str_hash, bucket order, growth and tombstones.</summary>
public sealed class GHashTableTests
{
    [Fact]
    public void StrHashIsDjb2OverSignedChars()
    {
        Assert.Equal(5381u, GStrHash.Hash(""));
        Assert.Equal(5381u * 33 + 'a', GStrHash.Hash("a"));
        // 'ü' is c3 bc: as signed chars -61 and -68
        uint h = unchecked((5381u * 33 + (uint)-61) * 33 + (uint)-68);
        Assert.Equal(h, GStrHash.Hash("ü"));
    }

    [Fact]
    public void VectorRefsIterateAsOstreeRefsPrintsThem()
    {
        // listings.txt: `ostree refs` prints vectors/uid1000, vectors/large-dirtree, vectors/main;
        // two of the three share a bucket, so the order of insertion (readdir order) decides theirs
        foreach (var order in new[] { new[] { "vectors/large-dirtree", "vectors/main", "vectors/uid1000" } })
        {
            var t = new GStrHashTable<int>();
            foreach (var k in order) t.Insert(k, 0);
            Assert.Equal(["vectors/uid1000", "vectors/large-dirtree", "vectors/main"], t.Keys);
        }
    }

    [Fact]
    public void GrowsThroughEveryResizeAndKeepsEveryKey()
    {
        var t = new GStrHashTable<int>();
        var keys = Enumerable.Range(0, 5000).Select(i => $"ref/{i:x}").ToList();
        for (int i = 0; i < keys.Count; i++)
        {
            t.Insert(keys[i], i);
            Assert.Equal(i + 1, t.Count);
        }
        Assert.Equal(keys.Order(StringComparer.Ordinal), t.Keys.Order(StringComparer.Ordinal));
        foreach (var (k, v) in t.Entries) Assert.Equal(keys[v], k);
        // re-inserting keeps the bucket and replaces the value
        var before = t.Keys.ToList();
        t.Insert(keys[10], -1);
        Assert.Equal(before, t.Keys);
        Assert.True(t.TryGetValue(keys[10], out var value) && value == -1);
    }

    [Fact]
    public void RemovalLeavesTombstonesThatLaterInsertionsReuse()
    {
        var t = new GStrHashTable<int>();
        for (int i = 0; i < 100; i++) t.Insert("k" + i, i);
        for (int i = 0; i < 95; i++) Assert.True(t.Remove("k" + i));
        Assert.False(t.Remove("k0"));
        Assert.Equal(5, t.Count);
        Assert.Equal(["k95", "k96", "k97", "k98", "k99"], t.Keys.Order(StringComparer.Ordinal));
        t.Insert("k0", 0);
        Assert.True(t.ContainsKey("k0"));
        Assert.Equal(6, t.Count);
    }

    [Fact]
    public void SmallTableOrderFollowsTheHashModuloSeven()
    {
        // 8 buckets, prime 7: bucket = (hash * 11) % 7, so single keys sort by that bucket
        var keys = new[] { "a", "b", "c", "d", "e" };
        var t = new GStrHashTable<int>();
        foreach (var k in keys) t.Insert(k, 0);
        var expected = keys.OrderBy(k => (GStrHash.Hash(k) * 11u) % 7u).ToList();
        Assert.Equal(expected, t.Keys);
    }
}
