using Arbor.Repo.Core;
using Arbor.Repo.Summary;
using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// <c>arbor static-delta</c> against the real ostree 2022.7: deltas Arbor generates are pulled by
/// <c>ostree pull</c> from nginx (the access log shows parts, not objects) and applied by
/// <c>ostree static-delta apply-offline</c>, both followed by a clean <c>ostree fsck</c>;
/// <c>list</c>, <c>show</c>, <c>indexes</c> and the delta indexes <c>summary -u</c> writes equal
/// ostree's on the same repository, for deltas of either tool.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StaticDeltaCommandCompatTests : IDisposable
{
    private readonly TempDirectory _tmp = new("delta-cmd");
    private readonly string _www;
    private readonly string _server;
    private Checksum _c1, _c2, _fallback;

    public StaticDeltaCommandCompatTests()
    {
        _www = _tmp.Combine("www");
        _server = Path.Combine(_www, "repo");
        Directory.CreateDirectory(_www);
    }

    public void Dispose() => _tmp.Dispose();

    /// <summary>An archive repository (written by ostree) with two commits; C2 (<see cref="DeltaTestTree"/>) also adds a 1.5 MB file.</summary>
    private void MakeServer()
    {
        OstreeOracle.Require();
        OstreeOracle.RunOk("init", $"--repo={_server}", "--mode=archive");
        var t1 = _tmp.Combine("t1");
        var t2 = _tmp.Combine("t2");
        DeltaTestTree.Write(t1, 1);
        DeltaTestTree.Write(t2, 2, bigFile: true);
        _c1 = Checksum.Parse(OstreeOracle.RunOk("commit", $"--repo={_server}", "-b", "main", "-s", "one", $"--tree=dir={t1}").Trim());
        _c2 = Checksum.Parse(OstreeOracle.RunOk("commit", $"--repo={_server}", "-b", "main", "-s", "two", $"--tree=dir={t2}").Trim());
        _fallback = Checksum.Parse(OstreeOracle.RunOk("ls", "-C", $"--repo={_server}", "main", "/usr/big.bin").Split(' ', StringSplitOptions.RemoveEmptyEntries)[4]);
    }

    private static string DeltaDir(Checksum? from, Checksum to) => StaticDeltaNames.RelativeDirectory(from, to);

    private string OstreeClient(string name, string mode, string url)
    {
        var repo = _tmp.Combine(name);
        OstreeOracle.RunOk("init", $"--repo={repo}", $"--mode={mode}");
        OstreeOracle.RunOk("remote", "add", $"--repo={repo}", "--no-gpg-verify", "origin", url);
        return repo;
    }

    private static void AssertFsck(string repo)
    {
        var fsck = OstreeOracle.Run("fsck", $"--repo={repo}");
        Assert.True(fsck.ExitCode == 0, fsck.ToString());
    }

    private static List<string> Requests(NginxServer nginx, string suffix) =>
        nginx.AccessLog().Where(e => e.Path.EndsWith(suffix, StringComparison.Ordinal)).Select(e => e.Path).ToList();

    [Theory]
    [InlineData("bare-user")]
    [InlineData("bare")]
    public void OstreePullsArborDeltasFromScratchAndFromTo(string mode)
    {
        MakeServer();
        var generated = CliRunner.RunOk("static-delta", "generate", $"--repo={_server}", "--empty", $"--to={_c1}");
        Assert.Equal($"Generating static delta:\n  From: empty\n  To:   {_c1}\n", generated);
        CliRunner.RunOk("static-delta", "generate", $"--repo={_server}", "--min-fallback-size=1", "main"); // FROM = main^
        CliRunner.RunOk("summary", "-u", $"--repo={_server}");
        Assert.Equal((byte)'x', File.ReadAllBytes(Path.Combine(_server, DeltaDir(_c1, _c2), "0"))[0]);
        // the three slightly changed libraries and os-release are bsdiff patches, as ostree's own show counts them
        var shown = OstreeOracle.RunOk("static-delta", "show", $"--repo={_server}", $"{_c1}-{_c2}");
        Assert.True(shown.Contains(" bspatch=4\n", StringComparison.Ordinal), shown);
        using var nginx = NginxServer.Start(_www);
        var client = OstreeClient("client", mode, nginx.Url("repo"));

        OstreeOracle.RunOk("pull", $"--repo={client}", "origin", $"main@{_c1}");
        var paths = nginx.AccessLog().Select(e => e.Path).ToList();
        Assert.Contains("/repo/" + DeltaDir(null, _c1) + "/superblock", paths);
        Assert.Contains("/repo/" + DeltaDir(null, _c1) + "/0", paths);
        // (ostree 2022.7 walks the tree while the parts execute, and re-fetches some objects a part is about
        // to write: which ones varies from run to run, so the object requests are not checked)
        AssertFsck(client);
        nginx.ClearAccessLog();

        OstreeOracle.RunOk("pull", $"--repo={client}", "origin", "main");
        paths = nginx.AccessLog().Select(e => e.Path).ToList();
        Assert.Contains("/repo/" + DeltaDir(_c1, _c2) + "/superblock", paths);
        Assert.Contains("/repo/" + DeltaDir(_c1, _c2) + "/0", paths);
        // the one fallback object (the 1.5 MB file, over --min-fallback-size=1) comes as a loose object
        Assert.Contains($"/repo/objects/{_fallback.ToString()[..2]}/{_fallback.ToString()[2..]}.filez", paths);
        AssertFsck(client);
        Assert.Equal(OstreeOracle.RunOk("ls", "-R", "-X", $"--repo={_server}", "main"), OstreeOracle.RunOk("ls", "-R", "-X", $"--repo={client}", "origin:main"));
    }

    [Fact]
    public void OstreeIntoAnArchiveRepoPullsObjectsNotTheDelta()
    {
        MakeServer();
        CliRunner.RunOk("static-delta", "generate", $"--repo={_server}", "--empty", "--to=main");
        CliRunner.RunOk("summary", "-u", $"--repo={_server}");
        using var nginx = NginxServer.Start(_www);
        var client = OstreeClient("client", "archive", nginx.Url("repo"));
        OstreeOracle.RunOk("pull", $"--repo={client}", "origin", "main");
        Assert.DoesNotContain(nginx.AccessLog(), e => e.Path.Contains("/deltas/", StringComparison.Ordinal));
        Assert.NotEmpty(Requests(nginx, ".filez"));
        AssertFsck(client);
    }

    [Fact]
    public void ListShowIndexesAndIndexFilesEqualOstrees()
    {
        MakeServer();
        // deltas of both tools in one repository: ostree's FROM-TO (rollsum/bsdiff), Arbor's scratch and inline ones
        OstreeOracle.RunOk("static-delta", "generate", $"--repo={_server}", $"--from={_c1}", $"--to={_c2}");
        CliRunner.RunOk("static-delta", "generate", $"--repo={_server}", "--empty", $"--to={_c1}", "--set-endianness=B");
        CliRunner.RunOk("static-delta", "generate", $"--repo={_server}", "--empty", $"--to={_c2}", "--max-chunk-size=0", "--min-fallback-size=0");
        var copy = _tmp.Combine("copy");
        Assert.Equal(0, ProcessRunner.Run("cp", ["-a", _server, copy]).ExitCode);

        Assert.Equal(OstreeOracle.RunOk("static-delta", "list", $"--repo={_server}"), CliRunner.RunOk("static-delta", "list", $"--repo={_server}"));
        var names = CliRunner.RunOk("static-delta", "list", $"--repo={_server}").TrimEnd('\n').Split('\n');
        Assert.Equal(3, names.Length);
        foreach (var name in names)
            Assert.Equal(OstreeOracle.RunOk("static-delta", "show", $"--repo={_server}", name), CliRunner.RunOk("static-delta", "show", $"--repo={_server}", name));
        var byPath = Path.Combine(_server, DeltaDir(_c1, _c2), "superblock");
        Assert.Equal(OstreeOracle.RunOk("static-delta", "show", $"--repo={_server}", byPath), CliRunner.RunOk("static-delta", "show", $"--repo={_server}", byPath));

        Assert.Equal("(No static deltas indexes)\n", CliRunner.RunOk("static-delta", "indexes", $"--repo={_server}"));
        OstreeOracle.RunOk("summary", "-u", $"--repo={copy}");
        CliRunner.RunOk("summary", "-u", $"--repo={_server}");
        Assert.Equal(File.ReadAllText(Path.Combine(copy, "config")), File.ReadAllText(Path.Combine(_server, "config")));
        foreach (var to in new[] { _c1, _c2 })
        {
            var rel = StaticDeltaNames.RelativeIndexPath(to);
            Assert.Equal(File.ReadAllBytes(Path.Combine(copy, rel)), File.ReadAllBytes(Path.Combine(_server, rel)));
        }
        Assert.Equal(OstreeOracle.RunOk("static-delta", "indexes", $"--repo={_server}"), CliRunner.RunOk("static-delta", "indexes", $"--repo={_server}"));

        CliRunner.RunOk("static-delta", "delete", $"--repo={_server}", $"{_c1}-{_c2}");
        OstreeOracle.RunOk("static-delta", "delete", $"--repo={copy}", $"{_c1}-{_c2}");
        Assert.Equal(OstreeOracle.RunOk("static-delta", "list", $"--repo={copy}"), CliRunner.RunOk("static-delta", "list", $"--repo={_server}"));
    }

    [Fact]
    public void ApplyOfflineWorksAcrossTools()
    {
        MakeServer();
        CliRunner.RunOk("static-delta", "generate", $"--repo={_server}", "--empty", $"--to={_c1}");
        CliRunner.RunOk("static-delta", "generate", $"--repo={_server}", "--inline", "--min-fallback-size=0", $"--from={_c1}", $"--to={_c2}");
        var theirs = _tmp.Combine("theirs");
        OstreeOracle.RunOk("init", $"--repo={theirs}", "--mode=bare-user");
        OstreeOracle.RunOk("static-delta", "apply-offline", $"--repo={theirs}", Path.Combine(_server, DeltaDir(null, _c1)));
        OstreeOracle.RunOk("static-delta", "apply-offline", $"--repo={theirs}", Path.Combine(_server, DeltaDir(_c1, _c2), "superblock"));
        AssertFsck(theirs);
        Assert.Equal(OstreeOracle.RunOk("ls", "-R", "-X", $"--repo={_server}", _c2.ToString()), OstreeOracle.RunOk("ls", "-R", "-X", $"--repo={theirs}", _c2.ToString()));

        // and Arbor applies ostree's own deltas (its FROM-TO one patches files with rollsum/bsdiff opcodes)
        var ostreeDeltas = _tmp.Combine("ostree-deltas");
        OstreeOracle.RunOk("init", $"--repo={ostreeDeltas}", "--mode=archive");
        OstreeOracle.RunOk("pull-local", $"--repo={ostreeDeltas}", "--depth=1", _server, "main");
        OstreeOracle.RunOk("static-delta", "generate", $"--repo={ostreeDeltas}", "--empty", $"--to={_c1}");
        OstreeOracle.RunOk("static-delta", "generate", $"--repo={ostreeDeltas}", "--min-fallback-size=0", $"--from={_c1}", $"--to={_c2}");
        var ours = _tmp.Combine("ours");
        CliRunner.RunOk("init", $"--repo={ours}", "--mode=bare-user");
        CliRunner.RunOk("static-delta", "apply-offline", $"--repo={ours}", Path.Combine(ostreeDeltas, DeltaDir(null, _c1)));
        CliRunner.RunOk("static-delta", "apply-offline", $"--repo={ours}", Path.Combine(ostreeDeltas, DeltaDir(_c1, _c2)));
        AssertFsck(ours);
        Assert.Equal(OstreeOracle.RunOk("ls", "-R", "-X", $"--repo={_server}", _c2.ToString()), OstreeOracle.RunOk("ls", "-R", "-X", $"--repo={ours}", _c2.ToString()));
    }

    [Fact]
    public void FilesWithXattrsCrossInDeltasBothWays()
    {
        // a part's xattr table holds NUL-terminated names, as file objects do: both tools must re-create identical objects
        OstreeOracle.Require();
        var tree = _tmp.Combine("xattr-tree");
        Directory.CreateDirectory(Path.Combine(tree, "usr/bin"));
        File.WriteAllText(Path.Combine(tree, "usr/bin/tool"), "#!/bin/sh\necho tool\n");
        File.WriteAllText(Path.Combine(tree, "usr/plain"), "plain\n");
        ProcessRunner.RunOk("setfattr", "-n", "user.origin", "-v", "vendor", Path.Combine(tree, "usr/bin/tool"));
        ProcessRunner.RunOk("setfattr", "-n", "user.binary", "-v", "0x00ff", Path.Combine(tree, "usr/bin/tool"));
        OstreeOracle.RunOk("init", $"--repo={_server}", "--mode=archive");
        var c = Checksum.Parse(OstreeOracle.RunOk("commit", $"--repo={_server}", "-b", "x", $"--tree=dir={tree}").Trim());
        var listing = OstreeOracle.RunOk("ls", "-R", "-X", $"--repo={_server}", "x");
        Assert.Contains("user.origin", listing);

        var ostreeDelta = _tmp.Combine("ostree-delta");
        var arborDelta = _tmp.Combine("arbor-delta");
        Directory.CreateDirectory(ostreeDelta);
        Directory.CreateDirectory(arborDelta);
        OstreeOracle.RunOk("static-delta", "generate", $"--repo={_server}", "--empty", $"--filename={ostreeDelta}/superblock", "x");
        CliRunner.RunOk("static-delta", "generate", $"--repo={_server}", "--empty", $"--filename={arborDelta}/superblock", "x");
        foreach (var (delta, ours) in new[] { (ostreeDelta, true), (arborDelta, false) })
        {
            var client = _tmp.Combine($"client-{ours}");
            OstreeOracle.RunOk("init", $"--repo={client}", "--mode=bare-user");
            if (ours) CliRunner.RunOk("static-delta", "apply-offline", $"--repo={client}", delta);
            else OstreeOracle.RunOk("static-delta", "apply-offline", $"--repo={client}", delta);
            AssertFsck(client);
            Assert.Equal(listing, OstreeOracle.RunOk("ls", "-R", "-X", $"--repo={client}", c.ToString()));
        }
    }

    [Fact]
    public void ACorruptedPartIsRejectedByApplyOfflineWithOneLine()
    {
        MakeServer();
        CliRunner.RunOk("static-delta", "generate", $"--repo={_server}", "--empty", $"--to={_c1}");
        var part = Path.Combine(_server, DeltaDir(null, _c1), "0");
        var bytes = File.ReadAllBytes(part);
        bytes[bytes.Length / 2] ^= 0x55;
        File.WriteAllBytes(part, bytes);
        var ours = _tmp.Combine("ours");
        CliRunner.RunOk("init", $"--repo={ours}", "--mode=bare-user");
        var r = CliRunner.Run("static-delta", "apply-offline", $"--repo={ours}", Path.Combine(_server, DeltaDir(null, _c1)));
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error: Checksum mismatch in static delta part; expected=", r.Stderr);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(ours, "objects"), "*", SearchOption.AllDirectories));
        // ostree rejects it too
        var theirs = _tmp.Combine("theirs");
        OstreeOracle.RunOk("init", $"--repo={theirs}", "--mode=bare-user");
        Assert.NotEqual(0, OstreeOracle.Run("static-delta", "apply-offline", $"--repo={theirs}", Path.Combine(_server, DeltaDir(null, _c1))).ExitCode);
    }

    [Theory]
    [InlineData("generate")]
    [InlineData("generate", "--empty", "--from=main", "--to=main")]
    [InlineData("generate", "--set-endianness=x", "--to=main")]
    [InlineData("show")]
    [InlineData("show", "nonsense")]
    [InlineData("show", "0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("delete", "0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("delete")]
    [InlineData("apply-offline")]
    [InlineData("apply-offline", "/nonexistent")]
    public void ErrorsMatchOstree(params string[] args)
    {
        MakeServer();
        var theirs = OstreeOracle.Run(["static-delta", args[0], $"--repo={_server}", .. args[1..]]);
        var ours = CliRunner.Run(["static-delta", args[0], $"--repo={_server}", .. args[1..]]);
        Assert.NotEqual(0, theirs.ExitCode);
        Assert.Equal(1, ours.ExitCode);
        Assert.Equal(theirs.Stderr.TrimEnd('\n').Split('\n')[^1], ours.Stderr.TrimEnd('\n'));
    }

    [Fact]
    public void IfNotExistsSkipsAnExistingDelta()
    {
        MakeServer();
        CliRunner.RunOk("static-delta", "generate", $"--repo={_server}", "--to=main");
        Assert.Equal(OstreeOracle.RunOk("static-delta", "generate", $"--repo={_server}", "-n", "--to=main"),
            CliRunner.RunOk("static-delta", "generate", $"--repo={_server}", "-n", "--to=main"));
    }

    [Theory]
    [InlineData("--min-fallback-size=1")]
    [InlineData("--disable-bsdiff")]
    [InlineData("--max-chunk-size=1")]
    public void GenerationReportsWhatOstreeReports(string option)
    {
        MakeServer();
        var copy = OstreeRepos.Copy(_server, _tmp.Combine("copy"));
        var ostree = OstreeOracle.Run("static-delta", "generate", $"--repo={_server}", option, "main");
        var arbor = CliRunner.Run("static-delta", "generate", $"--repo={copy}", option, "main");
        Assert.True(ostree.ExitCode == 0 && arbor.ExitCode == 0, $"{ostree}\n{arbor}");
        Assert.Equal(ostree.Stdout, arbor.Stdout);
        // modified files, what is new, the bsdiff progress, fallbacks, each part as it is done, the totals:
        // the same lines but for the compressed sizes (xz over objects in another order)
        static string Masked(string log) => System.Text.RegularExpressions.Regex.Replace(log, @"compressed[:=]\d+", "compressed=N");
        Assert.Equal(Masked(ostree.Stderr), Masked(arbor.Stderr));
        Assert.Contains("modified: 4\n", arbor.Stderr);
    }

    /// <summary>
    /// Rollsum matching as ostree's: of three changed 600 kB libraries, the one changed half-way is sent
    /// as ranges of its old version (the same "rollsum for A -> B; crcs= bufs= total= matchsize=" numbers
    /// as ostree's), the ones changed in their first bytes or moved as bsdiff patches; ostree applies
    /// arbor's delta and finds its repository whole.
    /// </summary>
    [Fact]
    public void RollsumMatchingFindsWhatOstreesFinds()
    {
        OstreeOracle.Require();
        OstreeOracle.RunOk("init", $"--repo={_server}", "--mode=archive");
        var rng = new Random(3);
        var libs = Enumerable.Range(0, 3).Select(_ => { var b = new byte[600_000]; rng.NextBytes(b); return b; }).ToArray();
        Checksum Commit(int version)
        {
            var tree = _tmp.Combine($"rs{version}");
            Directory.CreateDirectory(Path.Combine(tree, "usr", "lib"));
            for (int i = 0; i < libs.Length; i++)
            {
                var bytes = (byte[])libs[i].Clone();
                if (version == 2 && i < 2) bytes.AsSpan(i == 0 ? 300_000 : 20, 8).Fill((byte)'Z'); // half-way; at the start
                if (version == 2 && i == 2) bytes = [.. bytes.AsSpan(100), .. bytes.AsSpan(0, 100)];   // rotated
                File.WriteAllBytes(Path.Combine(tree, "usr", "lib", $"lib{i}.so.1"), bytes);
            }
            return Checksum.Parse(OstreeOracle.RunOk("commit", $"--repo={_server}", "-b", "main", $"--tree=dir={tree}").Trim());
        }
        var c1 = Commit(1);
        var c2 = Commit(2);
        var copy = OstreeRepos.Copy(_server, _tmp.Combine("copy"));
        var ostree = OstreeOracle.Run("static-delta", "generate", $"--repo={_server}", "main");
        var arbor = CliRunner.Run("static-delta", "generate", $"--repo={copy}", "main");
        Assert.True(ostree.ExitCode == 0 && arbor.ExitCode == 0, $"{ostree}\n{arbor}");
        static string Masked(string log) => System.Text.RegularExpressions.Regex.Replace(log, @"compressed[:=]\d+", "compressed=N");
        Assert.Equal(Masked(ostree.Stderr), Masked(arbor.Stderr));
        Assert.Contains("rollsum for 1/3 modified\n", arbor.Stderr);
        Assert.Contains("bsdiff=2 objects", arbor.Stderr);

        var client = _tmp.Combine("client");
        OstreeOracle.RunOk("init", $"--repo={client}", "--mode=bare-user");
        CliRunner.RunOk("static-delta", "generate", $"--repo={copy}", "--empty", $"--to={c1}");
        OstreeOracle.RunOk("static-delta", "apply-offline", $"--repo={client}", Path.Combine(copy, DeltaDir(null, c1)));
        OstreeOracle.RunOk("static-delta", "apply-offline", $"--repo={client}", Path.Combine(copy, DeltaDir(c1, c2)));
        OstreeOracle.RunOk("refs", $"--repo={client}", "--create=main", c2.ToString());
        AssertFsck(client);
        Assert.Equal(OstreeOracle.RunOk("ls", "-R", "-C", $"--repo={_server}", "main"), OstreeOracle.RunOk("ls", "-R", "-C", $"--repo={client}", "main"));
    }
}
