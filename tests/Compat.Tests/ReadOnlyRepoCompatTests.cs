using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// A repository on a read-only mount (root ignores mode bits, so <c>chmod a-w</c> would prove
/// nothing): every writing command fails with ostree's one-line error and exit code, and the
/// repository is left exactly as it was.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ReadOnlyRepoCompatTests : IDisposable
{
    private readonly ScratchNamespace _ns = new(64);
    private readonly string _commit;

    public ReadOnlyRepoCompatTests()
    {
        OstreeOracle.Require();
        SampleTree.Write(_ns.HostPath("tree"));
        _ns.OstreeOk("init", "--repo=" + _ns.InnerPath("repo"), "--mode=archive");
        _ns.OstreeOk("init", "--repo=" + _ns.InnerPath("src"), "--mode=archive");
        _commit = _ns.OstreeOk("commit", "--repo=" + _ns.InnerPath("repo"), "-b", "main", "--tree=dir=" + _ns.InnerPath("tree")).Trim();
        _ns.OstreeOk("commit", "--repo=" + _ns.InnerPath("src"), "-b", "other", "--tree=dir=" + _ns.InnerPath("tree"));
        _ns.OstreeOk("remote", "add", "--repo=" + _ns.InnerPath("repo"), "--no-gpg-verify", "origin", "http://127.0.0.1:9/repo");
        var mount = _ns.Run("mount", ["-o", "remount,ro", _ns.Inner]);
        Assert.True(mount.ExitCode == 0, mount.ToString());
    }

    public void Dispose() => _ns.Dispose();

    [Theory]
    [InlineData("prune", "--refs-only")]
    [InlineData("prune", "--delete-commit=C")]
    [InlineData("reset", "main", "C")]
    [InlineData("reset", "nosuch", "C")]
    [InlineData("refs", "--create=new", "main")]
    [InlineData("refs", "--delete", "main")]
    [InlineData("config", "set", "core.fsync", "false")]
    [InlineData("remote", "add", "--no-gpg-verify", "o", "http://example.com/repo")]
    [InlineData("pull-local", "SRC", "other")]
    [InlineData("pull", "origin", "main")]
    [InlineData("pull", "--dry-run", "origin", "main")]
    [InlineData("prune", "--no-prune")]
    [InlineData("summary", "-u")]
    public void WritingCommandsFailAsOstreeDoesAndChangeNothing(params string[] args)
    {
        var before = TreeListing.Capture(_ns.HostPath("repo"));
        string[] With(Func<string, string> path) =>
            [.. args.Select(a => a.Replace("=C", "=" + _commit).Replace("SRC", path("src")) switch { "C" => _commit, var x => x }), "--repo=" + path("repo")];
        var o = _ns.Ostree(With(_ns.InnerPath));
        var r = CliRunner.Run(With(_ns.HostPath));

        Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (r.ExitCode, r.Stdout, r.Stderr));
        Assert.Equal(before, TreeListing.Capture(_ns.HostPath("repo")));
    }
}
