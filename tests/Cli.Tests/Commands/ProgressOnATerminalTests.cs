using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands;

/// <summary>
/// The long commands on a pseudo-terminal (script(1), as a user's shell gives it) show a progress line
/// ("\r", text, ESC[K; no other escape sequence) and erase it before their own output, which is then the
/// same as with stdout redirected; redirected, they print exactly their usual output and no progress.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProgressOnATerminalTests : IDisposable
{
    private const string EraseLine = "\r\u001b[K";
    private readonly TempDirectory _tmp = new("cli-progress");
    private readonly string _repo;
    private readonly string _tree;

    public ProgressOnATerminalTests()
    {
        _tree = _tmp.Combine("tree");
        SampleTree.Write(_tree);
        _repo = _tmp.Combine("repo");
        CliRunner.RunOk("init", $"--repo={_repo}", "--mode=archive", "--collection-id=org.example.Os");
    }

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void CommitShowsItsFilesThenPrintsTheChecksumAsWhenRedirected()
    {
        var tty = OnATerminal("commit", $"--repo={_repo}", "-b", "main", "--subject=s", _tree);
        var commit = CliRunner.RunOk("rev-parse", $"--repo={_repo}", "main");
        AssertProgressThen(tty, "Committing: ", commit);

        var redirected = CliRunner.Run("commit", $"--repo={_repo}", "-b", "other", "--subject=s", _tree);
        Assert.Equal((0, CliRunner.RunOk("rev-parse", $"--repo={_repo}", "other"), ""), (redirected.ExitCode, redirected.Stdout, redirected.Stderr));
    }

    [Fact]
    public void CheckoutShowsItsFilesAndPrintsNothingElse()
    {
        CliRunner.RunOk("commit", $"--repo={_repo}", "-b", "main", "--subject=s", _tree);
        AssertProgressThen(OnATerminal("checkout", $"--repo={_repo}", "main", _tmp.Combine("co1")), "Checking out: ", "");
        Assert.Equal(TreeListing.Capture(_tree), TreeListing.Capture(_tmp.Combine("co1")));

        var redirected = CliRunner.Run("checkout", $"--repo={_repo}", "main", _tmp.Combine("co2"));
        Assert.Equal((0, "", ""), (redirected.ExitCode, redirected.Stdout, redirected.Stderr));
    }

    [Fact]
    public void PruneShowsTheObjectsExaminedThenOstreesSummary()
    {
        OstreeOracle.Require();
        CliRunner.RunOk("commit", $"--repo={_repo}", "-b", "main", "--subject=s", _tree);
        File.WriteAllText(Path.Join(_tree, "new-file"), "new\n");
        CliRunner.RunOk("commit", $"--repo={_repo}", "-b", "main", "--subject=s2", _tree);
        // what ostree prints for the same repository (nothing is deleted with --no-prune)
        var expected = OstreeOracle.RunOk("prune", $"--repo={_repo}", "--no-prune", "--refs-only", "--depth=0");
        Assert.Contains("Would delete:", expected);

        AssertProgressThen(OnATerminal("prune", $"--repo={_repo}", "--no-prune", "--refs-only", "--depth=0"), "Pruning: ", expected);
        var redirected = CliRunner.Run("prune", $"--repo={_repo}", "--no-prune", "--refs-only", "--depth=0");
        Assert.Equal((0, expected, ""), (redirected.ExitCode, redirected.Stdout, redirected.Stderr));
    }

    [Fact]
    public void StaticDeltaGenerateShowsItsPartsThenItsHeaderAsWhenRedirected()
    {
        var from = CliRunner.RunOk("commit", $"--repo={_repo}", "-b", "main", "--subject=s", _tree).Trim();
        File.WriteAllText(Path.Join(_tree, "new-file"), "new\n");
        var to = CliRunner.RunOk("commit", $"--repo={_repo}", "-b", "main", "--subject=s2", _tree).Trim();
        var expected = $"Generating static delta:\n  From: {from}\n  To:   {to}\n";

        AssertProgressThen(OnATerminal("static-delta", "generate", $"--repo={_repo}", $"--from={from}", $"--to={to}"), "Generating static delta: ", expected);
        var redirected = CliRunner.Run("static-delta", "generate", $"--repo={_repo}", $"--from={from}", $"--to={to}");
        Assert.Equal((0, expected), (redirected.ExitCode, redirected.Stdout));
        Assert.DoesNotContain('\u001b', redirected.Stderr);
    }

    [Fact]
    public void CreateUsbShowsThePullThenItsSummaryLineAsWhenRedirected()
    {
        CliRunner.RunOk("commit", $"--repo={_repo}", "-b", "os/main", "--subject=s", _tree);
        Directory.CreateDirectory(_tmp.Combine("stick1"));
        Directory.CreateDirectory(_tmp.Combine("stick2"));
        string Expected(string stick) => $"Copied 1/1 refs successfully from ‘{_repo}’ to ‘.ostree/repo’ repository in ‘{stick}’.\n";

        var stick1 = _tmp.Combine("stick1");
        AssertProgressThen(OnATerminal("create-usb", $"--repo={_repo}", stick1, "org.example.Os", "os/main"), "Fetching summary and refs", Expected(stick1));
        var stick2 = _tmp.Combine("stick2");
        var redirected = CliRunner.Run("create-usb", $"--repo={_repo}", stick2, "org.example.Os", "os/main");
        Assert.Equal((0, Expected(stick2), ""), (redirected.ExitCode, redirected.Stdout, redirected.Stderr));
    }

    [Fact]
    public void AdminDeployAndUpgradeShowTheCheckoutAndThePullBetweenOstreesLines()
    {
        Privileged.RequireRoot();
        OstreeOracle.Require();
        using var f = new ArborSysroot();
        var tree = f.VectorTree();
        var upstream = _tmp.Combine("upstream");
        CliRunner.RunOk("init", $"--repo={upstream}", "--mode=archive");
        OsTree.Commit(args => OstreeOracle.Run(args), upstream, tree.Path, "vectoros/stable", "1", 1);
        CliRunner.RunOk("remote", "add", $"--repo={f.Repo}", "--no-gpg-verify", "origin", "file://" + upstream);
        CliRunner.RunOk("pull", $"--repo={f.Repo}", "origin", "vectoros/stable");

        var deploy = OnATerminal("admin", "deploy", "--sysroot=" + f.Path, "--os=vectoros", "origin:vectoros/stable");
        AssertProgressThen(deploy, "Checking out: ", null);
        Assert.EndsWith("Bootloader updated; bootconfig swap: yes; bootversion: boot.1.1, deployment count change: 1\n", Visible(deploy));

        OsTree.Commit(args => OstreeOracle.Run(args), upstream, tree.File("usr/etc/app.conf", "a=2\n").Path, "vectoros/stable", "2", 2);
        var upgrade = OnATerminal("admin", "upgrade", "--sysroot=" + f.Path, "--os=vectoros");
        AssertProgressThen(upgrade, "Fetching summary and refs",
            "Copying /etc changes: 0 modified, 0 removed, 0 added\n" +
            "Bootloader updated; bootconfig swap: yes; bootversion: boot.0.1, deployment count change: 1\n");
        Assert.Contains(EraseLine + "Checking out: ", upgrade);
        Assert.Equal(2, f.Load().Count);

        // redirected: only ostree's lines
        OsTree.Commit(args => OstreeOracle.Run(args), upstream, tree.File("usr/etc/app.conf", "a=3\n").Path, "vectoros/stable", "3", 3);
        var redirected = CliRunner.Run("admin", "upgrade", "--sysroot=" + f.Path, "--os=vectoros");
        Assert.Equal((0, ""), (redirected.ExitCode, redirected.Stderr));
        Assert.Matches("^Copying /etc changes: 0 modified, 0 removed, 0 added\n" +
            "Bootloader updated; bootconfig swap: yes; bootversion: boot\\.1\\.1, deployment count change: 0\n" +
            "Freed objects: [0-9]+ bytes\n$", redirected.Stdout);

        // switch pulls (and checks out) the same way
        OsTree.Commit(args => OstreeOracle.Run(args), upstream, tree.File("usr/etc/app.conf", "a=4\n").Path, "vectoros/next", "4", 4);
        var switched = OnATerminal("admin", "switch", "--sysroot=" + f.Path, "--os=vectoros", "origin:vectoros/next");
        AssertProgressThen(switched, "Fetching summary and refs", null);
        Assert.Contains(EraseLine + "Checking out: ", switched);
        Assert.Contains("\nBootloader updated; bootconfig swap: yes; bootversion: boot.0.1, deployment count change: 0\n", Visible(switched));
        Assert.Equal("origin:vectoros/next", f.Load()[0].Origin!.Refspec);
    }

    /// <summary>
    /// Runs arbor with a pseudo-terminal as its stdout (stderr goes to a file, not the terminal); returns what
    /// it wrote there, with the terminal's CRLF line ends made LF again.
    /// </summary>
    private string OnATerminal(params string[] args)
    {
        var cmd = string.Join(' ', new[] { ArborProcess.Executable }.Concat(args).Select(Quote)) + " 2>" + Quote(_tmp.Combine("stderr"));
        var r = ProcessRunner.Run("script", ["-qec", cmd, "/dev/null"]);
        Assert.True(r.ExitCode == 0, r + File.ReadAllText(_tmp.Combine("stderr")));
        return r.Stdout.Replace("\r\n", "\n");
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    /// <summary>What the terminal shows in the end: every erased line dropped.</summary>
    private static string Visible(string raw) => string.Join('\n', raw.Split('\n').Select(AfterLastErase));

    private static string AfterLastErase(string line)
    {
        int erased = line.LastIndexOf(EraseLine, StringComparison.Ordinal);
        return erased < 0 ? line : line[(erased + EraseLine.Length)..];
    }

    /// <summary>
    /// The progress line was shown, only with "\r ESC[K" before it (no cursor, keypad or other mode
    /// sequence), erased before every line of output and at the end, and the output left is <paramref name="expected"/>.
    /// </summary>
    private static void AssertProgressThen(string raw, string progressText, string? expected)
    {
        Assert.Contains(EraseLine + progressText, raw);
        var rest = raw.Replace(EraseLine, "");
        Assert.DoesNotContain('\u001b', rest);
        Assert.DoesNotContain('\r', rest);
        string[] progressLines = ["Committing: ", "Checking out: ", "Pruning: ", "Generating static delta: ", "Fetching summary and refs", "Receiving ", "Writing objects: "];
        foreach (var line in raw.Split('\n'))
        {
            var shown = AfterLastErase(line);
            Assert.False(progressLines.Any(p => shown.StartsWith(p, StringComparison.Ordinal)), $"a progress line was left in the output: {shown}");
        }
        Assert.Equal("", AfterLastErase(raw.Split('\n')[^1]));
        if (expected is not null) Assert.Equal(expected, Visible(raw));
    }
}
