using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// The <c>pull</c> options <c>--subpath</c>, <c>--localcache-repo</c>, <c>--bareuseronly-files</c>
/// and <c>--per-object-fsync</c> against the real ostree 2022.7, over nginx: the same objects, the
/// same requests (counted in the access log), the same refusals.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PullOptionsCompatTests : IDisposable
{
    private readonly TempDirectory _tmp = new("pull-options");

    public void Dispose() => _tmp.Dispose();

    /// <summary>An archive repository with SampleTree v1 (and v2 on top) on "main", served by nginx.</summary>
    private (NginxServer Nginx, string V1, string V2) Serve(string? extraFile = null, int extraMode = 0)
    {
        var www = _tmp.Combine("www");
        Directory.CreateDirectory(www);
        var t1 = _tmp.Combine("t1");
        var t2 = _tmp.Combine("t2");
        SampleTree.Write(t1, 1, largeBytes: 50_000);
        SampleTree.Write(t2, 2, largeBytes: 60_000);
        if (extraFile is not null)
        {
            File.WriteAllText(Path.Combine(t2, extraFile), "#!/bin/sh\n");
            File.SetUnixFileMode(Path.Combine(t2, extraFile), (UnixFileMode)extraMode);
        }
        var repo = Path.Combine(www, "repo");
        var v1 = RepoBuilders.OstreeCommit(repo, t1, "main", "v1");
        var v2 = RepoBuilders.OstreeCommit(repo, t2, "main", "v2");
        return (NginxServer.Start(www), v1, v2);
    }

    /// <summary>A fresh repository of <paramref name="mode"/> made by <paramref name="tool"/>, with remote "origin".</summary>
    private string Client(string tool, string name, NginxServer nginx, string mode = "bare-user")
    {
        var path = _tmp.Combine(name);
        ToolRunner.RunOk(tool, "init", $"--repo={path}", $"--mode={mode}");
        ToolRunner.RunOk(tool, "remote", "add", $"--repo={path}", "--no-gpg-verify", "origin", nginx.Url("repo"));
        return path;
    }

    /// <summary>The object requests (objects/…) the last pull made, as "ab/cdef….ext", sorted.</summary>
    private static List<string> ObjectRequests(NginxServer nginx) =>
        nginx.AccessLog().Where(e => e.Path.Contains("/objects/", StringComparison.Ordinal))
            .Select(e => e.Path[(e.Path.IndexOf("/objects/", StringComparison.Ordinal) + 9)..]).Order(StringComparer.Ordinal).ToList();

    private static List<string> Objects(string repo) =>
        Directory.EnumerateFiles(Path.Combine(repo, "objects"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(repo, f)).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void SubpathFetchesOnlyThatPartOfTheTreeAsOstreeDoes()
    {
        OstreeOracle.Require();
        var (nginx, _, v2) = Serve();
        using var _ = nginx;
        var requests = new Dictionary<string, List<string>>();
        var repos = new Dictionary<string, string>();
        foreach (var tool in new[] { "ostree", "arbor" })
        {
            repos[tool] = Client(tool, tool, nginx);
            nginx.ClearAccessLog();
            ToolRunner.RunOk(tool, "pull", $"--repo={repos[tool]}", "--subpath=/a/b", "--subpath=/hello.txt", "origin", "main");
            requests[tool] = ObjectRequests(nginx);
        }
        // the commit, the trees on the way to /a/b and below it, /a/b/c/deep.txt and /hello.txt: nothing of many/, large/, bin/
        Assert.Equal(2, requests["ostree"].Count(r => r.EndsWith(".filez", StringComparison.Ordinal)));
        Assert.Equal(requests["ostree"].Where(r => !r.EndsWith(".commitmeta", StringComparison.Ordinal)),
                     requests["arbor"].Where(r => !r.EndsWith(".commitmeta", StringComparison.Ordinal)));
        Assert.Equal(Objects(repos["ostree"]), Objects(repos["arbor"]));
        // the commit stays partial, and the ref is written
        foreach (var tool in new[] { "ostree", "arbor" })
        {
            Assert.True(File.Exists(Path.Combine(repos[tool], "state", v2 + ".commitpartial")), tool);
            Assert.Equal(v2 + "\n", File.ReadAllText(Path.Combine(repos[tool], "refs/remotes/origin/main")));
        }
        // a full pull afterwards completes it
        nginx.ClearAccessLog();
        ToolRunner.RunOk("arbor", "pull", $"--repo={repos["arbor"]}", "origin", "main");
        ToolRunner.RunOk("ostree", "pull", $"--repo={repos["ostree"]}", "origin", "main");
        Assert.False(File.Exists(Path.Combine(repos["arbor"], "state", v2 + ".commitpartial")));
        Assert.Equal(Objects(repos["ostree"]), Objects(repos["arbor"]));
        Assert.True(OstreeOracle.Run("fsck", $"--repo={repos["arbor"]}").ExitCode == 0);
    }

    [Fact]
    public void LocalCacheRepoSuppliesWhatItHoldsAndOnlyTheRestIsRequested()
    {
        OstreeOracle.Require();
        var (nginx, v1, _) = Serve();
        using var _ = nginx;
        // the cache holds v1 only: v2's new objects must come from the server
        var cache = _tmp.Combine("cache");
        OstreeOracle.RunOk("init", $"--repo={cache}", "--mode=bare-user");
        OstreeOracle.RunOk("pull-local", $"--repo={cache}", Path.Combine(nginx.Root, "repo"), v1);

        var requests = new Dictionary<string, List<string>>();
        var status = new Dictionary<string, string>();
        var repos = new Dictionary<string, string>();
        foreach (var tool in new[] { "ostree", "arbor" })
        {
            repos[tool] = Client(tool, tool, nginx);
            nginx.ClearAccessLog();
            status[tool] = ToolRunner.RunOk(tool, "pull", $"--repo={repos[tool]}", "--localcache-repo=" + cache, "origin", "main");
            requests[tool] = ObjectRequests(nginx);
        }
        Assert.NotEmpty(requests["arbor"]);
        Assert.DoesNotContain(requests["arbor"], r => Objects(cache).Any(o => Path.GetFileNameWithoutExtension(o) == Path.GetFileNameWithoutExtension(r)));
        Assert.Equal(requests["ostree"], requests["arbor"]);
        Assert.Equal(Objects(repos["ostree"]), Objects(repos["arbor"]));
        // "N metadata, M content objects fetched (X meta, Y content local)": the local part is ostree's
        static string Local(string s) => System.Text.RegularExpressions.Regex.Match(s, @"\(\d+ meta, \d+ content local\)").Value;
        Assert.NotEqual("", Local(status["ostree"]));
        Assert.Equal(Local(status["ostree"]), Local(status["arbor"]));
        Assert.True(OstreeOracle.Run("fsck", $"--repo={repos["arbor"]}").ExitCode == 0);

        // -L, repeated; the second cache is used for what the first lacks: here everything is local
        var full = _tmp.Combine("full");
        OstreeOracle.RunOk("init", $"--repo={full}", "--mode=archive");
        OstreeOracle.RunOk("pull-local", $"--repo={full}", Path.Combine(nginx.Root, "repo"), "main");
        var again = Client("arbor", "again", nginx);
        nginx.ClearAccessLog();
        var allLocal = ToolRunner.RunOk("arbor", "pull", $"--repo={again}", "-L", cache, "-L", full, "origin", "main");
        Assert.Empty(ObjectRequests(nginx));
        Assert.StartsWith("0 metadata, 0 content objects fetched (", allLocal);
        Assert.EndsWith("; 0 bytes content written\n", allLocal);
        Assert.Equal(Objects(repos["arbor"]), Objects(again));
    }

    [Theory]
    [InlineData(0x9ED)] // 04755: setuid
    [InlineData(0x1B6)] // 0666: world-writable
    public void BareUserOnlyFilesRefusesWhatOstreeRefuses(int mode)
    {
        OstreeOracle.Require();
        var (nginx, _, _) = Serve("bin/odd", mode);
        using var _ = nginx;
        var results = new Dictionary<string, CliResult>();
        foreach (var tool in new[] { "ostree", "arbor" })
            results[tool] = ToolRunner.Run(tool, "pull", $"--repo={Client(tool, tool, nginx)}", "--bareuseronly-files", "origin", "main");
        Assert.NotEqual(0, results["ostree"].ExitCode);
        Assert.Matches(@"^error: Content object [0-9a-f]{64}: invalid mode 010\d{4} with bits 0\d{4}\n$", results["ostree"].Stderr);
        Assert.Equal((results["ostree"].ExitCode, results["ostree"].Stderr), (results["arbor"].ExitCode, results["arbor"].Stderr));
        Assert.False(File.Exists(Path.Combine(_tmp.Combine("arbor"), "refs/remotes/origin/main")));

        // the same from a file:// remote (a local import); without the flag the pull succeeds
        var local = _tmp.Combine("local");
        CliRunner.RunOk("init", $"--repo={local}", "--mode=bare-user");
        CliRunner.RunOk("remote", "add", $"--repo={local}", "--no-gpg-verify", "origin", "file://" + Path.Combine(nginx.Root, "repo"));
        var r = CliRunner.Run("pull", $"--repo={local}", "--bareuseronly-files", "origin", "main");
        Assert.Equal(results["ostree"].Stderr, r.Stderr);
        CliRunner.RunOk("pull", $"--repo={_tmp.Combine("arbor")}", "origin", "main");

        // pull-local takes the flag too
        foreach (var tool in new[] { "ostree", "arbor" })
        {
            var dest = _tmp.Combine("pull-local-" + tool);
            ToolRunner.RunOk(tool, "init", $"--repo={dest}", "--mode=bare-user");
            var pl = ToolRunner.Run(tool, "pull-local", $"--repo={dest}", "--bareuseronly-files", Path.Combine(nginx.Root, "repo"), "main");
            Assert.Equal((results["ostree"].ExitCode, results["ostree"].Stderr), (pl.ExitCode, pl.Stderr));
        }
    }

    [Fact]
    public void PerObjectFsyncSyncsEachObjectAsItIsWritten()
    {
        OstreeOracle.Require();
        if (!File.Exists("/usr/bin/strace")) Assert.Skip("strace is not installed");
        var (nginx, _, _) = Serve();
        using var _ = nginx;
        int Fsyncs(string name, params string[] flags)
        {
            var repo = Client("arbor", name, nginx);
            var trace = _tmp.Combine(name + ".strace");
            var r = ProcessRunner.Run("/usr/bin/strace", ["-f", "-qq", "-e", "trace=fsync,fdatasync", "-o", trace,
                ArborProcess.Executable, "pull", $"--repo={repo}", .. flags, "origin", "main"]);
            Assert.True(r.ExitCode == 0, r.ToString());
            return File.ReadAllLines(trace).Count(l => l.Contains("fsync(", StringComparison.Ordinal));
        }
        int plain = Fsyncs("plain");
        int perObject = Fsyncs("per-object", "--per-object-fsync");
        int objects = Objects(_tmp.Combine("per-object")).Count;
        Assert.True(perObject >= objects, $"{perObject} fsyncs for {objects} objects");
        Assert.True(plain < objects, $"{plain} fsyncs without --per-object-fsync");
        // ostree takes the flag too, and the objects are the same
        var theirs = Client("ostree", "theirs", nginx);
        OstreeOracle.RunOk("pull", $"--repo={theirs}", "--per-object-fsync", "origin", "main");
        Assert.Equal(Objects(theirs), Objects(_tmp.Combine("per-object")));
    }
}
