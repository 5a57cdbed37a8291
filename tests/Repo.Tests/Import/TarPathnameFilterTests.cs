using Arbor.Repo.Core;
using Arbor.Repo.Import;

namespace Arbor.Repo.Tests.Import;

/// <summary><c>--tar-pathname-filter</c>: GLib's replace-all with GLib's replacement syntax, on the archive path less its leading <c>/</c> and <c>./</c>.</summary>
public sealed class TarPathnameFilterTests
{
    [Theory]
    [InlineData("^,foo/", "./etc/conf", "foo/etc/conf")]
    [InlineData("^,foo/", "./", "foo/")]
    [InlineData("^,foo/", "/./usr/", "foo/usr/")]
    [InlineData(@"^etc(.*),usr/etc\1", "./etc/a/b", "usr/etc/a/b")]
    [InlineData("b,B", "usr/bin/bb", "usr/Bin/BB")]
    [InlineData(@"^(?<d>[a-z]+),\g<d>-\g<1>", "usr/x", "usr-usr/x")]
    [InlineData(@"x,a\\b\tc", "x", "a\\b\tc")]
    [InlineData(@"^(a)?b,[\1]", "b", "[]")]
    [InlineData("a,b,c", "a", "b,c")]
    public void RewritesAsGRegexReplace(string spec, string path, string expected) =>
        Assert.Equal(expected, TarPathnameFilter.Parse(spec).Apply(path));

    [Theory]
    [InlineData("nocomma", "Missing ',' in --tar-pathname-filter")]
    [InlineData(@"a,\q", "--tar-pathname-filter: Error while parsing replacement text \u201c\\q\u201d: unknown escape sequence")]
    [InlineData(@"a,\g<nope>", "--tar-pathname-filter: Error while parsing replacement text \u201c\\g<nope>\u201d: unknown group name \u2018nope\u2019")]
    public void BadSpecsAreOneLineErrors(string spec, string message) =>
        Assert.Equal(message, Assert.Throws<RepoException>(() => TarPathnameFilter.Parse(spec)).Message);
}
