using Arbor.Repo.Core;

namespace Arbor.Repo.Tests.Core;

/// <summary>Names inside a tree, refused in ostree's words (<c>ot_util_filename_validate</c>).</summary>
public sealed class TreeEntryNameTests
{
    [Theory]
    [InlineData("../afile", "Invalid / in filename ../afile")]
    [InlineData("a/b", "Invalid / in filename a/b")]
    [InlineData(".", "Invalid self-referential filename '.'")]
    [InlineData("..", "Invalid path uplink filename '..'")]
    [InlineData("", "Invalid filename ''")]
    public void AnInvalidNameIsNamedAsOstreeNamesIt(string name, string problem) =>
        Assert.Equal(problem, TreeEntryName.Problem(System.Text.Encoding.UTF8.GetBytes(name)));

    [Fact]
    public void InvalidUtf8IsNamed() =>
        Assert.StartsWith("Invalid UTF-8 in filename ", TreeEntryName.Problem([0x61, 0xff]));

    [Fact]
    public void AValidNameHasNoProblem() => Assert.Null(TreeEntryName.Problem("..a"u8));
}
