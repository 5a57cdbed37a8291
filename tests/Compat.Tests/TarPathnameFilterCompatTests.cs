using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary><c>commit --tree=tar=… --tar-pathname-filter=REGEX,REPLACEMENT</c> against the real ostree 2022.7: the same commits, the same refusals.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TarPathnameFilterCompatTests : IDisposable
{
    private const string Timestamp = "--timestamp=2021-06-01T12:00:00Z";
    private readonly TempDirectory _tmp = new("tar-pathname-filter");
    private readonly string _tar;
    private readonly string _ostree;
    private readonly string _arbor;

    public TarPathnameFilterCompatTests()
    {
        OstreeOracle.Require();
        var tree = _tmp.Combine("tree");
        Directory.CreateDirectory(Path.Combine(tree, "usr/bin"));
        Directory.CreateDirectory(Path.Combine(tree, "etc"));
        File.WriteAllText(Path.Combine(tree, "usr/bin/tool"), "tool\n");
        File.CreateSymbolicLink(Path.Combine(tree, "usr/bin/link"), "tool");
        File.WriteAllText(Path.Combine(tree, "etc/conf"), "conf\n");
        ProcessRunner.RunOk("ln", Path.Combine(tree, "usr/bin/tool"), Path.Combine(tree, "usr/bin/hard"));
        _tar = _tmp.Combine("tree.tar");
        ProcessRunner.RunOk("tar", "-C", tree, "--owner=0", "--group=0", "--mtime=@0", "--sort=name", "-cf", _tar, ".");
        _ostree = _tmp.Combine("ostree");
        _arbor = _tmp.Combine("arbor");
        OstreeOracle.RunOk("init", $"--repo={_ostree}", "--mode=archive");
        CliRunner.RunOk("init", $"--repo={_arbor}", "--mode=archive");
    }

    public void Dispose() => _tmp.Dispose();

    private (CliResult Ostree, CliResult Arbor) Commit(params string[] extra) =>
        (OstreeOracle.Run(["commit", $"--repo={_ostree}", Timestamp, "-b", "t", $"--tree=tar={_tar}", .. extra]),
         CliRunner.Run(["commit", $"--repo={_arbor}", Timestamp, "-b", "t", $"--tree=tar={_tar}", .. extra]));

    [Theory]
    [InlineData(@"^etc(.*),usr/etc\1", true)]
    [InlineData("^,foo/", true)]
    [InlineData("^,./", true)] // the root entry becomes "./": ostree refuses it ("Invalid self-referential filename '.'")
    [InlineData("b,B", false)]
    [InlineData(@"^(.*)$,[\1]", true)]
    [InlineData(@"^(?<top>[a-z]+)/,\g<top>-moved/", true)]
    [InlineData("^nosuchfile/,nootherfile/", false)]
    [InlineData(@"o,\0\0", false)]
    public void TheSameCommit(string filter, bool autocreate)
    {
        string[] args = autocreate ? [$"--tar-pathname-filter={filter}", "--tar-autocreate-parents"] : [$"--tar-pathname-filter={filter}"];
        var (o, a) = Commit(args);
        Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        Assert.True(o.ExitCode == 0 || filter == "^,./", o.ToString());
        if (o.ExitCode == 0) Assert.Equal(OstreeOracle.RunOk("ls", $"--repo={_ostree}", "-R", "t"), CliRunner.RunOk("ls", $"--repo={_arbor}", "-R", "t"));
    }

    [Fact]
    public void StatoverrideSeesTheRewrittenPath()
    {
        var overrides = _tmp.Combine("statoverride");
        File.WriteAllText(overrides, "=493 /foo/etc/conf\n");
        var (o, a) = Commit("--tar-pathname-filter=^,foo/", "--tar-autocreate-parents", $"--statoverride={overrides}");
        Assert.Equal(0, o.ExitCode);
        Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
    }

    [Fact]
    public void AFilterWithoutACommaIsOstreesError()
    {
        var (o, a) = Commit("--tar-pathname-filter=nocomma");
        Assert.Equal((1, "error: Missing ',' in --tar-pathname-filter\n"), (o.ExitCode, o.Stderr));
        Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        Assert.Empty(CliRunner.RunOk("refs", $"--repo={_arbor}"));
    }

    [Fact]
    public void ARegexThatDoesNotCompileIsOneLine()
    {
        var (o, a) = Commit("--tar-pathname-filter=^(,x");
        const string prefix = "error: --tar-pathname-filter: Error while compiling regular expression \u2018^(\u2019";
        Assert.StartsWith(prefix, o.Stderr, StringComparison.Ordinal);
        Assert.StartsWith(prefix, a.Stderr, StringComparison.Ordinal);
        Assert.Equal((1, 1), (o.ExitCode, a.ExitCode));
        Assert.Single(a.Stderr.TrimEnd('\n').Split('\n'));
    }
}
