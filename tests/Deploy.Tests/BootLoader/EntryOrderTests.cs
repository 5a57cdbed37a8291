using Arbor.Deploy.BootLoader;

namespace Arbor.Deploy.Tests.BootLoader;

public sealed class EntryOrderTests
{
    [Fact]
    public void VersionsDescendingNumerically()
    {
        var list = new List<string?> { "2", "10", "1", "9" };
        EntryOrder.Sort(list, v => v);
        Assert.Equal(["10", "9", "2", "1"], list);
    }

    [Fact]
    public void EntriesWithoutVersionGoLast()
    {
        var list = new List<(string Name, string? Version)> { ("a", null), ("b", "1"), ("c", "2") };
        EntryOrder.Sort(list, e => e.Version);
        Assert.Equal(["c", "b", "a"], list.Select(e => e.Name));
    }

    [Fact]
    public void TwoUnversionedEntriesOrderLikeGlibMergeSort()
    {
        // ostree's comparator answers "greater" for two missing versions, so GLib's merge sort
        // takes the right one first: [x, y] becomes [y, x].
        var list = new List<(string Name, string? Version)> { ("x", null), ("y", null) };
        EntryOrder.Sort(list, e => e.Version);
        Assert.Equal(["y", "x"], list.Select(e => e.Name));
    }

    [Fact]
    public void MergeSortIsStableForEqualKeys()
    {
        var list = new List<(int Key, int Seq)> { (1, 0), (0, 1), (1, 2), (0, 3), (1, 4) };
        EntryOrder.MergeSort(list, (a, b) => a.Key.CompareTo(b.Key));
        Assert.Equal([(0, 1), (0, 3), (1, 0), (1, 2), (1, 4)], list);
    }
}
