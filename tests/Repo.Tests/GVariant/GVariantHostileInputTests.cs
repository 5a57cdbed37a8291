using System.Diagnostics;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Tests.GVariant;

/// <summary>
/// Hostile and damaged input: deep nesting, huge claimed offsets, truncation and thousands of
/// random mutations of real objects must either parse or throw GVariantFormatException or
/// CorruptObjectException — never another exception, a hang or a large allocation.
/// </summary>
public sealed class GVariantHostileInputTests
{
    private const long MaxAllocationPerParse = 32L * 1024 * 1024;
    private static readonly TimeSpan MaxTimePerParse = TimeSpan.FromSeconds(2);

    [Fact]
    public void DeeplyNestedVariantsHitTheDepthLimit()
    {
        var ok = GVariantNormalFormTests.NestedVariants(100);
        Assert.Equal(ok, GVariantValue.Deserialize(ok, GVariantType.Variant).Serialize());
        foreach (int depth in new[] { 129, 1000, 100_000 })
        {
            var data = GVariantNormalFormTests.NestedVariants(depth);
            Assert.Throws<GVariantFormatException>(() => GVariantValue.Deserialize(data, GVariantType.Variant));
        }
    }

    [Fact]
    public void DeeplyNestedTypeStringsAreRefused()
    {
        Assert.False(GVariantType.TryParse(new string('a', 200) + "y", out _));
        Assert.False(GVariantType.TryParse(new string('(', 150) + new string(')', 150), out _));
        Assert.False(GVariantType.TryParse(new string('m', 5000) + "y", out _));
        Assert.True(GVariantType.TryParse(new string('a', 100) + "y", out _));
        // inside a variant: the type string follows the last NUL
        var data = new byte[] { 0x00 }.Concat(System.Text.Encoding.ASCII.GetBytes(new string('a', 250) + "y")).ToArray();
        Assert.Throws<GVariantFormatException>(() => GVariantValue.Deserialize(data, GVariantType.Variant));
    }

    [Fact]
    public void HugeClaimedOffsetsAreRefusedWithoutAllocating()
    {
        // a 70000-byte 'as' (4-byte offsets) whose table claims to start at 0xfffffff0
        var data = new byte[70_000];
        BitConverter.GetBytes(0xfffffff0u).CopyTo(data, data.Length - 4);
        AssertBounded(() => GVariantValue.Deserialize(data, GVariantType.StringArray));
        // a table claiming almost every byte is an offset: offsets point backwards or past the table
        BitConverter.GetBytes(4u).CopyTo(data, data.Length - 4);
        AssertBounded(() => GVariantValue.Deserialize(data, GVariantType.StringArray));
        // a commit whose metadata offset is huge
        var commit = VectorDumps.Load("commit-1.commit");
        commit[^1] = 0xff;
        AssertBounded(() => CommitObject.Parse(commit));
        // 'ay' elements are bytes: a large array is fine, its size is the data's size
        Assert.Equal(70_000, GVariantValue.Deserialize(data, GVariantType.ByteArray).AsBytes().Length);
    }

    public static TheoryData<string> AllDumps() => new(VectorDumps.Variants.Select(v => v.Name).Concat(VectorDumps.Filez));

    [Theory]
    [MemberData(nameof(AllDumps))]
    public void EveryTruncationParsesOrFailsCleanly(string dump)
    {
        var bytes = VectorDumps.Load(dump);
        for (int len = 0; len < bytes.Length; len++)
            ParseEverything(dump, bytes.AsSpan(0, len).ToArray());
    }

    [Theory]
    [MemberData(nameof(AllDumps))]
    public void RandomMutationsParseOrFailCleanly(string dump)
    {
        var original = VectorDumps.Load(dump);
        var rng = new Random(dump.GetHashCode(StringComparison.Ordinal) ^ 0x5eed);
        int parsed = 0;
        for (int i = 0; i < 400; i++)
        {
            var data = Mutate(original, rng);
            if (ParseEverything(dump, data)) parsed++;
        }
        // most mutations hit a string or a checksum and still parse: the fuzzer exercises both paths
        Assert.InRange(parsed, 1, 399);
    }

    [Fact]
    public void RandomBytesParseOrFailCleanly()
    {
        var rng = new Random(42);
        foreach (var (name, _) in VectorDumps.Variants)
        {
            for (int i = 0; i < 100; i++)
            {
                var data = new byte[rng.Next(0, 300)];
                rng.NextBytes(data);
                ParseEverything(name, data);
            }
        }
    }

    /// <summary>One random edit: flip bits, set bytes to edge values, insert, delete, truncate, or corrupt the offset table.</summary>
    private static byte[] Mutate(byte[] original, Random rng)
    {
        var data = new List<byte>(original);
        int edits = rng.Next(1, 4);
        for (int e = 0; e < edits && data.Count > 0; e++)
        {
            int at = rng.Next(data.Count);
            switch (rng.Next(7))
            {
                case 0: data[at] ^= (byte)(1 << rng.Next(8)); break;
                case 1: data[at] = (byte)(rng.Next(2) == 0 ? 0x00 : 0xff); break;
                case 2: data.Insert(at, (byte)rng.Next(256)); break;
                case 3: data.RemoveAt(at); break;
                case 4: data.RemoveRange(at, data.Count - at); break;
                case 5: data[^1] = (byte)rng.Next(256); break; // the last offset
                default: data[Math.Max(0, data.Count - 1 - rng.Next(Math.Min(8, data.Count)))] = (byte)rng.Next(256); break;
            }
        }
        return data.ToArray();
    }

    /// <summary>Runs every parser that applies to <paramref name="dump"/>'s type; true when the data parsed.</summary>
    private static bool ParseEverything(string dump, byte[] data)
    {
        bool ok = true;
        AssertBounded(() =>
        {
            if (VectorDumps.Filez.Contains(dump))
            {
                if (data.Length < 8) { ok = false; return; }
                uint len = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data);
                if (len > data.Length - 8) { ok = false; return; }
                try { FileHeader.ParseArchiveHeader(data.AsSpan(8, (int)len)).Header.Validate(); }
                catch (CorruptObjectException) { ok = false; }
                return;
            }
            var type = VectorDumps.TypeOf(dump);
            try
            {
                var value = GVariantValue.Deserialize(data, type);
                GVariantPrinter.Print(value, true);
                GVariantPrinter.Print(GVariantByteswap.Byteswap(value), false);
                GVariantNormalForm.IsNormal(value.Serialize(), type);
            }
            catch (GVariantFormatException) { ok = false; }
            GVariantNormalForm.IsNormal(data, type);
            try
            {
                if (type == ObjectFormats.Commit) CommitObject.Parse(data);
                else if (type == ObjectFormats.DirTree) DirTreeObject.Parse(data);
                else if (type == ObjectFormats.DirMeta && dump.EndsWith("dirmeta", StringComparison.Ordinal)) DirMetaObject.Parse(data);
                else if (type == ObjectFormats.Metadata) VariantDictionary.Parse(data);
            }
            catch (CorruptObjectException) { ok = false; }
            catch (GVariantFormatException) { ok = false; }
        });
        return ok;
    }

    /// <summary>Runs <paramref name="parse"/>: only GVariant/corruption errors may escape, within time and allocation bounds.</summary>
    private static void AssertBounded(Action parse)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        try { parse(); }
        catch (GVariantFormatException) { }
        catch (CorruptObjectException) { }
        sw.Stop();
        Assert.True(sw.Elapsed < MaxTimePerParse, $"parse took {sw.Elapsed}");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < MaxAllocationPerParse, $"parse allocated {allocated} bytes");
    }
}
