using System.Text.Json;
using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands;

/// <summary><c>arbor pull</c> / <c>pull-local</c> as users and scripts see them: output, one-line errors, exit codes.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PullCommandTests : IDisposable
{
    private readonly TempDirectory _tmp = new("cli-pull");
    private readonly NginxServer _nginx;
    private readonly string _commit;
    private readonly string _repo;

    public PullCommandTests()
    {
        var www = _tmp.Combine("www");
        Directory.CreateDirectory(www);
        var tree = _tmp.Combine("tree");
        SampleTree.Write(tree);
        _commit = RepoBuilders.OstreeCommit(Path.Combine(www, "repo"), tree, "main");
        _nginx = NginxServer.Start(www);
        _repo = _tmp.Combine("client");
        CliRunner.RunOk("init", $"--repo={_repo}", "--mode=bare-user");
        CliRunner.RunOk("remote", "add", $"--repo={_repo}", "--no-gpg-verify", "origin", _nginx.Url("repo"));
    }

    public void Dispose()
    {
        _nginx.Dispose();
        _tmp.Dispose();
    }

    [Fact]
    public void PullPrintsOnlyTheFinalStatusLineWhenNotATerminal()
    {
        var r = CliRunner.Run("pull", $"--repo={_repo}", "origin", "main");

        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^\d+ metadata, \d+ content objects fetched; \d+ KiB transferred in \d+ seconds; [\d.]+\u00A0kB content written\n$", r.Stdout);
        Assert.Equal("", r.Stderr);
        Assert.Equal(_commit + "\n", CliRunner.RunOk("rev-parse", $"--repo={_repo}", "origin:main"));
    }

    [Fact]
    public void AnUnknownOptionIsRejectedLikeOstreeInsteadOfTakenAsTheRemote()
    {
        var r = CliRunner.Run("pull", $"--repo={_repo}", "--bogus", "origin", "main");
        var o = OstreeOracle.Run("pull", $"--repo={_repo}", "--bogus", "origin", "main");

        Assert.Equal(o.ExitCode, r.ExitCode);
        Assert.Equal(o.Stderr, r.Stderr);
        Assert.Equal("error: Unknown option --bogus\n", r.Stderr);
        Assert.Null(File.Exists(Path.Combine(_repo, "refs/remotes/origin/main")) ? "written" : null);
        // --http-trusted is taken (objects are verified all the same)
        Assert.Equal(0, CliRunner.Run("pull", $"--repo={_repo}", "--http-trusted", "--depth=0", "origin", "main").ExitCode);
        // negative numbers stay values
        Assert.Equal(0, CliRunner.Run("pull", $"--repo={_repo}", "--depth", "-1", "origin", "main").ExitCode);
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public void ASignalDuringAPullEndsItSilentlyWithOstreesStatusAndAPullAfterwardsCompletes(string signal, int status)
    {
        OstreeOracle.Require();
        var ostreeRepo = _tmp.Combine("ostree-client");
        OstreeOracle.RunOk("init", $"--repo={ostreeRepo}", "--mode=bare-user");
        OstreeOracle.RunOk("remote", "add", $"--repo={ostreeRepo}", "--no-gpg-verify", "origin", _nginx.Url("repo"));
        var o = PullInterrupted("/usr/bin/ostree", ostreeRepo, signal);
        var r = PullInterrupted(ArborProcess.Executable, _repo, signal);

        Assert.Equal((status, "", ""), (o.ExitCode, o.Stdout, o.Stderr));
        Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (r.ExitCode, r.Stdout, r.Stderr));
        Assert.False(File.Exists(Path.Combine(_repo, "refs/remotes/origin/main")));
        CliRunner.RunOk("pull", $"--repo={_repo}", "origin", "main");
        Assert.Equal(_commit + "\n", CliRunner.RunOk("rev-parse", $"--repo={_repo}", "origin:main"));
        CliRunner.RunOk("fsck", $"--repo={_repo}");
    }

    /// <summary>Pulls through a proxy that stalls the first response, then sends the signal once the pull hangs on it.</summary>
    private CliResult PullInterrupted(string tool, string repo, string signal)
    {
        using var proxy = new FlakyProxy(_nginx.Port);
        proxy.StallOnceAfter(1);
        var psi = new System.Diagnostics.ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "pull", $"--repo={repo}", $"--url={proxy.Url("repo")}", "origin", "main" }) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        for (int i = 0; i < 200 && proxy.Stalls == 0; i++) Thread.Sleep(50);
        Assert.Equal(1, proxy.Stalls);
        ProcessRunner.RunOk("kill", "-" + signal, p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(p.WaitForExit(20_000), $"{tool} did not stop on SIG{signal}");
        return new CliResult(p.ExitCode, so.Result, se.Result);
    }

    [Fact]
    public void OnATerminalOnlyTheProgressIsWrittenNeverKeypadOrCursorModeSequences()
    {
        // script(1) gives the process a pseudo-terminal, as a user's shell would
        var cmd = $"{ArborProcess.Executable} pull --repo={_repo} origin main";
        var r = ProcessRunner.Run("script", ["-qc", cmd, "/dev/null"]);

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("content written", r.Stdout);
        Assert.DoesNotContain("\u001b[?1h", r.Stdout);
        Assert.DoesNotContain("\u001b=", r.Stdout);
        // and output redirected to a file shared with the shell keeps its offset (written with write(2))
        var log = _tmp.Combine("out.txt");
        var sh = ProcessRunner.Run("sh", ["-c", $"{{ echo before; {ArborProcess.Executable} refs --repo={_repo}; echo after; }} > {log}"]);
        Assert.Equal(0, sh.ExitCode);
        Assert.Equal("before\norigin:main\nafter\n", File.ReadAllText(log));
    }

    [Fact]
    public void RemoteColonRefAndRefAtChecksumAreAccepted()
    {
        CliRunner.RunOk("pull", $"--repo={_repo}", "origin:main");
        Assert.Equal(_commit + "\n", CliRunner.RunOk("rev-parse", $"--repo={_repo}", "origin:main"));

        var other = _tmp.Combine("other");
        CliRunner.RunOk("init", $"--repo={other}", "--mode=bare-user");
        CliRunner.RunOk("remote", "add", $"--repo={other}", "--no-gpg-verify", "origin", _nginx.Url("repo"));
        CliRunner.RunOk("pull", $"--repo={other}", "origin", $"main@{_commit}");
        Assert.Equal(_commit + "\n", CliRunner.RunOk("rev-parse", $"--repo={other}", "origin:main"));
        // the commit binds itself to "main": pinning it under another name is refused, as ostree does
        var r = CliRunner.Run("pull", $"--repo={other}", "origin", $"pinned@{_commit}");
        Assert.Equal($"error: Commit {_commit}: Commit has no requested ref ‘pinned’ in ref binding metadata (‘main’)\n", r.Stderr);
    }

    [Fact]
    public void JsonProgressWritesOneJsonObjectPerLineEndingDone()
    {
        var r = CliRunner.Run("pull", $"--repo={_repo}", "--json-progress", "origin", "main");

        Assert.Equal(0, r.ExitCode);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        var docs = lines.Select(l => JsonDocument.Parse(l)).ToList();
        var last = docs[^1].RootElement;
        Assert.Equal("done", last.GetProperty("phase").GetString());
        Assert.True(last.GetProperty("totalIsFinal").GetBoolean());
        Assert.Equal(last.GetProperty("objectsTotal").GetInt32(), last.GetProperty("objectsFetched").GetInt32());
        Assert.True(last.GetProperty("bytesTransferred").GetInt64() > 0);
        Assert.All(docs, d => Assert.True(d.RootElement.TryGetProperty("contentBytesWritten", out _)));
    }

    [Fact]
    public void ErrorsAreOneLineWithANonZeroExit()
    {
        AssertError(["pull", $"--repo={_repo}"], "error: REMOTE must be specified\n");
        AssertError(["pull", $"--repo={_repo}", "nope", "main"], "error: Remote \"nope\" not found\n");
        AssertError(["pull", $"--repo={_repo}", "origin", "nope"], $"error: No such branch 'nope' in repository summary ({_nginx.Url("repo")}/summary)\n");
        AssertError(["pull", $"--repo={_repo}", "origin", "in valid"], "error: Invalid ref name in valid\n");
        AssertError(["pull", $"--repo={_repo}", "--require-static-deltas", "origin", "main"],
            $"error: Static deltas required, but none found for main to {_commit}\n"); // ostree summary -u says its deltas are indexed
        AssertError(["pull", $"--repo={_repo}", "origin"], "error: No configured branches for remote origin\n");
        AssertError(["pull-local", $"--repo={_repo}", "--gpg-verify", _tmp.Combine("www/repo")], "error: Must specify --remote with --gpg-verify or --gpg-verify-summary\n");
    }

    [Fact]
    public void DryRunSaysWhatWouldBeFetchedAndWritesNothing()
    {
        var r = CliRunner.RunOk("pull", $"--repo={_repo}", "--dry-run", "origin", "main");

        Assert.Matches(@"^Dry run: \d+ metadata objects fetched, \d+ content objects would be fetched; nothing written\n$", r);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_repo, "objects"), "*", SearchOption.AllDirectories));
        Assert.NotEqual(0, CliRunner.Run("rev-parse", $"--repo={_repo}", "origin:main").ExitCode);
    }

    [Fact]
    public void PullLocalImportsAndSaysSo()
    {
        var dst = _tmp.Combine("dst");
        CliRunner.RunOk("init", $"--repo={dst}", "--mode=archive");

        var r = CliRunner.RunOk("pull-local", $"--repo={dst}", "--remote=up", _tmp.Combine("www/repo"), "main");

        // archive into archive: every object is hardlinked, so no content is written (as ostree counts it)
        Assert.Matches(@"^\d+ metadata, \d+ content objects imported; 0 bytes content written\n$", r);
        Assert.Equal(_commit + "\n", CliRunner.RunOk("rev-parse", $"--repo={dst}", "up:main"));
    }

    [Fact]
    public void PullLocalWithoutRefsTakesEveryRefAndRefusesARemotesAsOstreeDoes()
    {
        // pull-test.sh "pull-local mirror errors with mixed refs": the source's own refs and its remote's (origin:main)
        CliRunner.RunOk("pull", $"--repo={_repo}", "origin", "main");
        var dst = _tmp.Combine("dst");
        CliRunner.RunOk("init", $"--repo={dst}", "--mode=archive");

        AssertError(["pull-local", $"--repo={dst}", _repo], "error: Invalid ref name origin:main\n");
    }

    [Fact]
    public void ARemoteWithACustomBackendIsRefusedInOstreesWords()
    {
        CliRunner.RunOk("remote", "add", $"--repo={_repo}", "--custom-backend=ostree-rs-ext", "fromcontainer");
        AssertError(["pull", $"--repo={_repo}", "fromcontainer", "main"], "error: Cannot fetch via libostree - remote 'fromcontainer' uses custom backend 'ostree-rs-ext'\n");
    }

    private static void AssertError(string[] args, string stderr)
    {
        var r = CliRunner.Run(args);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(stderr, r.Stderr);
    }
}
