using Arbor.Repo.StaticDelta;

namespace Arbor.Repo.Tests.StaticDelta;

/// <summary>Patches <see cref="BsDiff"/> writes turn the old bytes into the new ones through <see cref="BsPatch"/>, the reader deltas use.</summary>
public sealed class BsDiffTests
{
    public static TheoryData<int, int, string> Cases => new()
    {
        { 0, 0, "both empty" },
        { 0, 1000, "from nothing" },
        { 1000, 0, "to nothing" },
        { 50_000, 50_000, "a few bytes changed" },
        { 50_000, 60_000, "bytes inserted" },
        { 60_000, 40_000, "bytes removed" },
        { 3, 5, "tiny" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void PatchRecreatesTheNewBytes(int oldLength, int newLength, string what)
    {
        var rng = new Random(oldLength * 31 + newLength);
        var old = new byte[oldLength];
        rng.NextBytes(old);
        var @new = new byte[newLength];
        // the new bytes: the old ones (shifted when the length changes), with a few edits
        for (int i = 0; i < newLength; i++) @new[i] = oldLength == 0 ? (byte)rng.Next() : old[(i + (newLength > oldLength ? -(i > newLength / 2 ? newLength - oldLength : 0) : (i > newLength / 2 ? oldLength - newLength : 0)) + oldLength) % oldLength];
        for (int i = 0; i < newLength / 5000; i++) @new[rng.Next(newLength)] ^= 0x5A;
        var patch = BsDiff.Create(old, @new);
        var output = new byte[newLength];
        BsPatch.Apply(old, output, patch);
        int mismatch = output.AsSpan().CommonPrefixLength(@new);
        Assert.True(output.AsSpan().SequenceEqual(@new), $"{what}: first difference at {mismatch} of {newLength}, patch {patch.Length}");
        // the patch is about as long as the new bytes, but nearly all zeros (so it compresses well)
        int nonZero = patch.Count(b => b != 0);
        if (oldLength >= 40_000 && newLength >= 40_000) Assert.True(nonZero < newLength / 10, $"{what}: {nonZero} non-zero bytes in the patch");
    }

    [Fact]
    public void SuffixArrayIsSorted()
    {
        var data = "mississippi banana bandana"u8.ToArray();
        var sa = SuffixArray.WithEmptySuffix(data);
        Assert.Equal(data.Length + 1, sa.Length);
        Assert.Equal(data.Length, sa[0]); // the empty suffix first
        for (int i = 1; i < sa.Length; i++)
            Assert.True(data.AsSpan(sa[i - 1]).SequenceCompareTo(data.AsSpan(sa[i])) < 0, $"suffix {sa[i - 1]} before {sa[i]}");
        Assert.Equal(Enumerable.Range(0, data.Length + 1), sa.Order());
    }

    /// <summary>Runs, few symbols, random bytes, one repeated byte, Fibonacci words (the deepest recursion of induced sorting): the order of a plain sort.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void SuffixArrayMatchesAComparisonSort(int seed)
    {
        var random = new Random(seed);
        for (int round = 0; round < 300; round++)
        {
            var data = new byte[random.Next(0, round % 50 == 0 ? 5000 : 400)];
            int kind = round % 6;
            string fibonacci = "a", previous = "b";
            while (fibonacci.Length < data.Length) (fibonacci, previous) = (fibonacci + previous, fibonacci);
            for (int i = 0; i < data.Length; i++)
                data[i] = kind switch
                {
                    0 => (byte)random.Next(256),
                    1 => (byte)random.Next(2),
                    2 => (byte)(i % 7 == 0 ? 1 : 0),
                    3 => 42,
                    4 => (byte)fibonacci[i],
                    _ => (byte)(i / 13 % 3),
                };
            var expected = Enumerable.Range(0, data.Length + 1).ToArray();
            Array.Sort(expected, (a, b) => data.AsSpan(a).SequenceCompareTo(data.AsSpan(b)));
            Assert.Equal(expected, SuffixArray.WithEmptySuffix(data));
        }
    }
}
