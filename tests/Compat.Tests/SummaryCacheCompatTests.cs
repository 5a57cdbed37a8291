using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// The summary cache of <c>pull</c>, <c>remote refs</c> and <c>remote summary</c> (and their
/// <c>--cache-dir</c>) against the real ostree 2022.7: the same files, and a summary that is not
/// downloaded again while its signature is unchanged.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SummaryCacheCompatTests : IDisposable
{
    private readonly TempDirectory _tmp = new("summary-cache");
    private readonly GpgHome _gpg;
    private readonly NginxServer _nginx;

    public SummaryCacheCompatTests()
    {
        OstreeOracle.Require();
        _gpg = new GpgHome(_tmp.Path);
        var www = _tmp.Combine("www");
        Directory.CreateDirectory(www);
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree, 1);
        var served = Path.Combine(www, "repo");
        RepoBuilders.OstreeCommit(served, tree, "main", "v1", updateSummary: false);
        OstreeOracle.RunOk("summary", "-u", $"--repo={served}", $"--gpg-sign={_gpg.KeyId}", $"--gpg-homedir={_gpg.Path}");
        OstreeOracle.RunOk("summary", "-u", $"--repo={served}", $"--gpg-sign={_gpg.KeyId}", $"--gpg-homedir={_gpg.Path}");
        _nginx = NginxServer.Start(www);
        File.WriteAllBytes(_tmp.Combine("key.gpg"), _gpg.ExportPublicKey());
    }

    public void Dispose()
    {
        _nginx.Dispose();
        _gpg.Dispose();
        _tmp.Dispose();
    }

    private string Client(string tool)
    {
        var path = _tmp.Combine(tool);
        ToolRunner.RunOk(tool, "init", $"--repo={path}", "--mode=archive");
        ToolRunner.RunOk(tool, "remote", "add", $"--repo={path}", "--no-gpg-verify", $"--gpg-import={_tmp.Combine("key.gpg")}", "--set=gpg-verify-summary=true", "origin", _nginx.Url("repo"));
        return path;
    }

    private static string[] Files(string dir) =>
        Directory.Exists(dir) ? [.. Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).Order(StringComparer.Ordinal)] : [];

    private int SummaryRequests() => _nginx.AccessLog().Count(e => e.Path.EndsWith("/summary", StringComparison.Ordinal));

    [Theory]
    [InlineData("ostree")]
    [InlineData("arbor")]
    public void ASignedSummaryIsCachedInTmpCacheAndNotFetchedAgain(string tool)
    {
        var repo = Client(tool);
        ToolRunner.RunOk(tool, "remote", "refs", $"--repo={repo}", "origin");
        Assert.Equal(["summaries/origin", "summaries/origin.sig"], Files(Path.Combine(repo, "tmp/cache")));
        Assert.Equal(File.ReadAllBytes(_tmp.Combine("www/repo/summary")), File.ReadAllBytes(Path.Combine(repo, "tmp/cache/summaries/origin")));
        Assert.Equal(File.ReadAllBytes(_tmp.Combine("www/repo/summary.sig")), File.ReadAllBytes(Path.Combine(repo, "tmp/cache/summaries/origin.sig")));

        _nginx.ClearAccessLog();
        Assert.Equal("origin:main\n", ToolRunner.RunOk(tool, "remote", "refs", $"--repo={repo}", "origin"));
        ToolRunner.RunOk(tool, "pull", $"--repo={repo}", "origin", "main");
        Assert.Equal(0, SummaryRequests());

        // a cached summary that no longer matches its signature is refused, not silently trusted
        File.WriteAllText(Path.Combine(repo, "tmp/cache/summaries/origin"), "garbage");
        Assert.NotEqual(0, ToolRunner.Run(tool, "remote", "refs", $"--repo={repo}", "origin").ExitCode);
    }

    [Theory]
    [InlineData("ostree")]
    [InlineData("arbor")]
    public void CacheDirTakesTheCacheInstead(string tool)
    {
        var repo = Client(tool);
        var cache = _tmp.Combine($"cache-{tool}");
        Directory.CreateDirectory(cache);
        ToolRunner.RunOk(tool, "remote", "summary", $"--repo={repo}", $"--cache-dir={cache}", "origin");
        Assert.Equal(["summaries/origin", "summaries/origin.sig"], Files(cache));
        Assert.Empty(Files(Path.Combine(repo, "tmp/cache")));

        var pullCache = _tmp.Combine($"pull-cache-{tool}");
        Directory.CreateDirectory(pullCache);
        ToolRunner.RunOk(tool, "pull", $"--repo={repo}", $"--cache-dir={pullCache}", "origin", "main");
        Assert.Equal(["summaries/origin", "summaries/origin.sig"], Files(pullCache));
        Assert.Empty(Files(Path.Combine(repo, "tmp/cache")));
    }

    [Fact]
    public void AnUnsignedSummaryIsNotCached()
    {
        var www = _tmp.Combine("www");
        File.Delete(Path.Combine(www, "repo/summary.sig"));
        foreach (var tool in new[] { "ostree", "arbor" })
        {
            var repo = _tmp.Combine($"unsigned-{tool}");
            ToolRunner.RunOk(tool, "init", $"--repo={repo}", "--mode=archive");
            ToolRunner.RunOk(tool, "remote", "add", $"--repo={repo}", "--no-gpg-verify", "origin", _nginx.Url("repo"));
            ToolRunner.RunOk(tool, "remote", "refs", $"--repo={repo}", "origin");
            Assert.Empty(Files(Path.Combine(repo, "tmp/cache")));
        }
    }

    [Theory]
    [InlineData("nonexistent")]
    [InlineData("a-file")]
    public void ACacheDirThatIsNoDirectoryIsTheSameError(string name)
    {
        File.WriteAllText(_tmp.Combine("a-file"), "");
        var dir = _tmp.Combine(name);
        var (ostreeRepo, arborRepo) = (Client("ostree"), Client("arbor"));
        foreach (var args in new[] { new[] { "remote", "refs" }, ["remote", "summary"], ["pull"] })
        {
            var o = ToolRunner.Run("ostree", [.. args, $"--repo={ostreeRepo}", $"--cache-dir={dir}", "origin"]);
            var a = ToolRunner.Run("arbor", [.. args, $"--repo={arborRepo}", $"--cache-dir={dir}", "origin"]);
            Assert.Equal((1, $"error: opendir({dir}): {(name == "a-file" ? "Not a directory" : "No such file or directory")}\n"), (o.ExitCode, o.Stderr));
            Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        }
    }
}
