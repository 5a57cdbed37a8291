using System.Text;
using Arbor.Repo.Checkout;
using Arbor.Repo.Core;
using Arbor.Repo.Objects;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Checkout;

public sealed class CheckoutDirTreeTests
{
    private static readonly Checksum A = Checksum.Compute("a"u8), B = Checksum.Compute("b"u8);

    private static CheckoutDirTree Parse(IReadOnlyList<DirTreeFile> files, IReadOnlyList<DirTreeDir> dirs) =>
        CheckoutDirTree.Parse(new DirTreeObject(files, dirs).Serialize());

    [Fact]
    public void KeepsNamesNulTerminatedAndChecksumsInOrder()
    {
        var t = Parse([new("UPPER", A), new("b c", B), new("ü", A)], [new("bin", A, B), new("etc", B, A)]);
        Assert.Equal(3, t.FileCount);
        Assert.Equal(2, t.DirCount);
        Assert.Equal("b c\0"u8.ToArray(), t.FileNameZ(1).ToArray());
        Assert.Equal("ü", CheckoutDirTree.Text(t.FileNameZ(2)));
        Assert.Equal(B, t.FileChecksum(1));
        Assert.Equal("etc\0"u8.ToArray(), t.DirNameZ(1).ToArray());
        Assert.Equal((B, A), (t.DirTree(1), t.DirMeta(1)));
        Assert.Equal(3, t.Find("bin"u8));
        Assert.Equal(-1, t.Find("nope"u8));
    }

    [Fact]
    public void ParsesTheVectorDirtreeWith1700Entries()
    {
        // 73 104 bytes: 4-byte framing offsets
        var (archive, _) = VectorRepos.Extract(Directory.CreateTempSubdirectory("arbor-vec-").FullName);
        var repo = Arbor.Repo.Store.Repository.Open(archive);
        var bytes = repo.LoadMetadata(new ObjectName(Checksum.Parse("1801587f419a0a1a75336477ae94858588db725020c1127cd73000dbbb1399da"), ObjectType.DirTree));
        Assert.Equal(73_104, bytes.Length);
        var t = CheckoutDirTree.Parse(bytes);
        Assert.Equal(1700, t.FileCount);
        Assert.Equal("f0000", CheckoutDirTree.Text(t.FileNameZ(0)));
        Assert.Equal("f1699", CheckoutDirTree.Text(t.FileNameZ(1699)));
        TempDirectory.Remove(Path.GetDirectoryName(archive)!);
    }

    [Theory]
    [InlineData("x", "x")]
    [InlineData("a", "a")]
    public void DuplicateNamesAreRefused(string file, string dir)
    {
        var e = Assert.Throws<CorruptObjectException>(() => Parse([new(file, A)], [new(dir, A, B)]));
        Assert.Equal($"Invalid dirtree: duplicate filename {file}", e.Message);
        e = Assert.Throws<CorruptObjectException>(() => Parse([new(file, A), new(file, B)], []));
        Assert.Equal($"Invalid dirtree: duplicate filename {file}", e.Message);
    }

    [Fact]
    public void DuplicatesAreFoundInUnsortedTreesToo()
    {
        Assert.Throws<CorruptObjectException>(() => Parse([new("z", A), new("a", A), new("m", A)], [new("a", A, B)]));
        var ok = Parse([new("z", A), new("a", A)], [new("m", A, B)]);
        Assert.Equal(2, ok.FileCount);
    }

    [Theory]
    [InlineData("..", "Invalid path uplink filename '..'")]
    [InlineData(".", "Invalid self-referential filename '.'")]
    [InlineData("a/b", "Invalid / in filename a/b")]
    [InlineData("", "Invalid empty filename")]
    public void NamesAreValidatedAsOstreeDoes(string name, string message)
    {
        Assert.Equal(message, Assert.Throws<CorruptObjectException>(() => Parse([new(name, A)], [])).Message);
        Assert.Equal(message, Assert.Throws<CorruptObjectException>(() => Parse([], [new(name, A, B)])).Message);
    }

    [Fact]
    public void MalformedBytesAreACorruptObject()
    {
        var bytes = new DirTreeObject([new("file", A)], []).Serialize();
        var e = Assert.Throws<CorruptObjectException>(() => CheckoutDirTree.Parse(bytes.AsSpan(0, bytes.Length - 3)));
        Assert.StartsWith("Invalid dirtree object", e.Message);
        var nonUtf8 = Encoding.Latin1.GetBytes("f\u00ff");
        Assert.Throws<CorruptObjectException>(() => CheckoutDirTree.Parse(ReplaceName(bytes, "file"u8, nonUtf8.Concat("x"u8.ToArray()).ToArray())));
    }

    private static byte[] ReplaceName(byte[] bytes, ReadOnlySpan<byte> from, byte[] to)
    {
        int i = bytes.AsSpan().IndexOf(from);
        var copy = bytes.ToArray();
        to.CopyTo(copy, i);
        return copy;
    }
}
