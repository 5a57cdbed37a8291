using Arbor.Repo.Pull;

namespace Arbor.Repo.Tests.Pull;

/// <summary>ostree's matches_pull_dir cases: the entry itself, directories leading to it, everything below, whole components only.</summary>
public sealed class SubpathFilterTests
{
    [Theory]
    [InlineData("/", "usr", true, true)]             // on the way to /usr/bin
    [InlineData("/", "usr", false, false)]           // a file named usr is not on the way
    [InlineData("/usr/", "bin", true, true)]         // the subpath itself
    [InlineData("/usr/", "bin", false, true)]        // ...even when it is a file
    [InlineData("/usr/bin/", "ls", false, true)]     // below it
    [InlineData("/usr/bin/x/", "y", true, true)]
    [InlineData("/usr/", "binx", true, false)]       // a longer name is another entry
    [InlineData("/usr/", "bi", true, false)]         // a prefix of the component
    [InlineData("/usr/", "lib", true, false)]        // a sibling
    [InlineData("/", "etc", true, false)]
    public void MatchesAsOstree(string parent, string name, bool isDirectory, bool expected) =>
        Assert.Equal(expected, SubpathFilter.Matches(["/usr/bin"], parent, name, isDirectory));

    [Fact]
    public void NoSubpathTakesEverythingAndAnyOfSeveralMatches()
    {
        Assert.True(SubpathFilter.Matches([], "/", "anything", false));
        Assert.True(SubpathFilter.Matches(["/etc", "/usr/bin"], "/", "etc", true));
        Assert.True(SubpathFilter.Matches(["/etc", "/usr/bin"], "/usr/bin/", "ls", false));
        Assert.False(SubpathFilter.Matches(["/etc", "/usr/bin"], "/", "var", true));
    }
}
