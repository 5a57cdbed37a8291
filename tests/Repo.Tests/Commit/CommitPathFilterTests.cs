using Arbor.Repo.Commit;
using Arbor.Repo.Core;

namespace Arbor.Repo.Tests.Commit;

public sealed class CommitPathFilterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("arbor-filter-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("2048", 2048u)]
    [InlineData("+2048", 2048u)]
    [InlineData("0755", 755u)] // strtod reads decimal: ostree's statoverride modes are decimal
    [InlineData("0x1ed", 0x1EDu)]
    [InlineData("  12.9", 12u)]
    [InlineData("1e2", 100u)]
    [InlineData("-1", 0xFFFFFFFFu)]
    [InlineData("abc", 0u)]
    public void ModesAreReadAsStrtodReadsThem(string text, uint expected) =>
        Assert.Equal(expected, CommitPathFilter.StrtodMode(text));

    [Fact]
    public void AddsAreConsumedOverridesRepeatSkipsAreConsumed()
    {
        var filter = CommitPathFilter.Create(false, Write("so", "+2048 /a\n=384 /b\n\n"), Write("skip", "/c\n"));
        uint mode = 0x81A4; // regular 0644
        Assert.True(filter.Apply("/a", ref mode));
        Assert.Equal(0x81A4u | 2048, mode);
        mode = 0x81A4;
        Assert.True(filter.Apply("/a", ref mode)); // the add was consumed
        Assert.Equal(0x81A4u, mode);
        for (int i = 0; i < 2; i++)
        {
            mode = 0x41ED; // directory 0755
            Assert.True(filter.Apply("/b", ref mode));
            Assert.Equal(0x4000u | 384, mode);
        }
        Assert.False(filter.Apply("/c", ref mode));
        Assert.True(filter.Apply("/c", ref mode));
        filter.ThrowIfUnmatched(TextWriter.Null);
    }

    [Fact]
    public void ReadOnlyExecutablesClearWriteBitsOfExecutableFilesOnly()
    {
        var filter = CommitPathFilter.Create(true, null, null);
        uint exe = 0x81FD, plain = 0x81B4, dir = 0x41FF; // 0775 file, 0664 file, 0777 directory
        filter.Apply("/x", ref exe);
        filter.Apply("/p", ref plain);
        filter.Apply("/d", ref dir);
        Assert.Equal((0x816Du, 0x81B4u, 0x41FFu), (exe, plain, dir));
    }

    [Fact]
    public void UnmatchedLinesAndBadFilesFailWithOstreesMessages()
    {
        var output = new StringWriter();
        var filter = CommitPathFilter.Create(false, Write("so", "+1 /nope\n"), null);
        var e = Assert.Throws<RepoException>(() => filter.ThrowIfUnmatched(output));
        Assert.Equal("Unmatched statoverride paths", e.Message);
        Assert.Equal("Unmatched statoverride path: /nope\n", output.ToString().ReplaceLineEndings("\n"));
        Assert.Equal("Malformed statoverride file (no space found)",
            Assert.Throws<RepoException>(() => CommitPathFilter.Create(false, Write("bad", "0755\n"), null)).Message);
        var missing = Path.Combine(_dir, "missing");
        Assert.Equal($"openat({missing}): No such file or directory",
            Assert.Throws<RepoException>(() => CommitPathFilter.Create(false, null, missing)).Message);
    }
}
