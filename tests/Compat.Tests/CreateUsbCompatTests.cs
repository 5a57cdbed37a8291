using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// <c>create-usb</c> against the real ostree 2022.7: from the same source repository both tools make
/// the same USB repository (files, config, refs, summary, objects), fail with the same errors, and
/// the real ostree pulls from what Arbor wrote.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CreateUsbCompatTests : IDisposable
{
    private const string Os = "org.example.Os";
    private const string Apps = "org.example.Apps";
    private static readonly string[] Tools = ["ostree", "arbor"];
    private readonly TempDirectory _tmp = new("create-usb");

    public void Dispose() => _tmp.Dispose();

    /// <summary>
    /// An archive repository with collection ID org.example.Os: os/main (two commits), other, and the
    /// mirrored collection–ref (org.example.Apps, app); its summary is up to date unless told otherwise.
    /// </summary>
    private (string Repo, string Main, string MainParent, string App) Source(bool summary = true)
    {
        var repo = _tmp.Combine("src");
        OstreeOracle.RunOk("init", $"--repo={repo}", "--mode=archive", $"--collection-id={Os}");
        var t1 = _tmp.Combine("t1");
        var t2 = _tmp.Combine("t2");
        SampleTree.Write(t1, 1);
        SampleTree.Write(t2, 2);
        var parent = RepoBuilders.OstreeCommit(repo, t1, "os/main", "v1", updateSummary: false);
        var main = RepoBuilders.OstreeCommit(repo, t2, "os/main", "v2", updateSummary: false, timestamp: "2024-02-01T00:00:00Z");
        RepoBuilders.OstreeCommit(repo, t1, "other", "other", updateSummary: false);
        // bound to "app" too, so that pulls of (org.example.Apps, app) pass ostree's ref-binding check
        var app = OstreeOracle.RunOk("commit", $"--repo={repo}", "--branch=scratch", "--bind-ref=app", "--subject=app",
            "--owner-uid=0", "--owner-gid=0", "--timestamp=2024-03-01T00:00:00Z", t2).Trim();
        OstreeOracle.RunOk("refs", $"--repo={repo}", "--collections", $"--create={Apps}:app", app);
        OstreeOracle.RunOk("refs", $"--repo={repo}", "--delete", "scratch");
        if (summary) OstreeOracle.RunOk("summary", "-u", $"--repo={repo}");
        return (repo, main, parent, app);
    }

    private string Stick(string tool)
    {
        var path = _tmp.Combine($"stick-{tool}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Every path under the stick (symlinks with their targets), and the files that are not objects with their bytes.</summary>
    private static List<string> Listing(string stick) =>
        Directory.EnumerateFileSystemEntries(stick, "*", SearchOption.AllDirectories)
            .Select(p => (Rel: Path.GetRelativePath(stick, p), Info: new FileInfo(p)))
            .Where(e => !e.Rel.EndsWith("/summary", StringComparison.Ordinal) && !e.Rel.EndsWith("/.lock", StringComparison.Ordinal))
            .Select(e => e.Info.LinkTarget is { } target ? $"{e.Rel} -> {target}"
                : File.Exists(e.Info.FullName) && !e.Rel.Contains("/objects/", StringComparison.Ordinal) ? $"{e.Rel}: {File.ReadAllText(e.Info.FullName)}"
                : e.Rel)
            .Order(StringComparer.Ordinal).ToList();

    /// <summary><c>ostree summary --view</c> of a repository, without the Last-Modified line (the clock).</summary>
    private static string SummaryView(string repo) =>
        string.Join('\n', OstreeOracle.RunOk("summary", "--view", $"--repo={repo}").Split('\n')
            .Where(l => !l.StartsWith("Last-Modified", StringComparison.Ordinal)));

    [Fact]
    public void CopiesTheSameRefsSummaryAndObjectsAsOstree()
    {
        OstreeOracle.Require();
        var (src, main, _, app) = Source();
        var sticks = new Dictionary<string, string>();
        foreach (var tool in Tools)
        {
            sticks[tool] = Stick(tool);
            var output = ToolRunner.RunOk(tool, "create-usb", $"--repo={src}", sticks[tool], Os, "os/main", Apps, "app");
            Assert.Equal($"Copied 2/2 refs successfully from ‘{src}’ to ‘.ostree/repo’ repository in ‘{sticks[tool]}’.\n", output);
        }
        Assert.Equal(Listing(sticks["ostree"]), Listing(sticks["arbor"]));
        var repos = sticks.ToDictionary(kv => kv.Key, kv => Path.Combine(kv.Value, ".ostree/repo"));
        Assert.Equal($"({Apps}, app)\n({Os}, os/main)\n", OstreeOracle.RunOk("refs", "-c", $"--repo={repos["arbor"]}"));
        Assert.Equal(main, File.ReadAllText(Path.Combine(repos["arbor"], "refs/mirrors", Os, "os/main")).Trim());
        Assert.Equal(app, File.ReadAllText(Path.Combine(repos["arbor"], "refs/mirrors", Apps, "app")).Trim());
        Assert.Equal(SummaryView(repos["ostree"]), SummaryView(repos["arbor"]));
        Assert.Contains("Collection Map", SummaryView(repos["arbor"]));
        Assert.Equal(OstreeOracle.RunOk("fsck", $"--repo={repos["ostree"]}"), OstreeOracle.RunOk("fsck", $"--repo={repos["arbor"]}"));
    }

    [Fact]
    public void PinnedCommitWithoutSourceSummaryAndCustomDestinationMatchOstree()
    {
        OstreeOracle.Require();
        var (src, _, parent, _) = Source(summary: false);
        var sticks = new Dictionary<string, string>();
        foreach (var tool in Tools)
        {
            sticks[tool] = Stick(tool);
            ToolRunner.RunOk(tool, "create-usb", $"--repo={src}", $"--commit={parent}", sticks[tool], Os, "os/main");
            var output = ToolRunner.RunOk(tool, "create-usb", $"--repo={src}", "--destination-repo=data/repo", "--disable-fsync", sticks[tool], Os, "other", Apps, "app");
            Assert.Equal($"Copied 2/2 refs successfully from ‘{src}’ to ‘data/repo’ repository in ‘{sticks[tool]}’.\n", output);
        }
        // .ostree/repos.d/00-generated -> ../../data/repo, the refs resolved from refs/ (no source summary)
        Assert.Equal(Listing(sticks["ostree"]), Listing(sticks["arbor"]));
        Assert.Contains(".ostree/repos.d/00-generated -> ../../data/repo", Listing(sticks["arbor"]));
        Assert.Equal(parent, File.ReadAllText(Path.Combine(sticks["arbor"], ".ostree/repo/refs/mirrors", Os, "os/main")).Trim());
        foreach (var repo in new[] { ".ostree/repo", "data/repo" })
            Assert.Equal(SummaryView(Path.Combine(sticks["ostree"], repo)), SummaryView(Path.Combine(sticks["arbor"], repo)));
    }

    [Theory]
    [InlineData(true, "nostick", Os, "os/main")]
    [InlineData(true, "STICK", "org.example.Other", "os/main")]
    [InlineData(false, "STICK", "org.example.Other", "os/main")]
    [InlineData(true, "STICK", Os, "nope")]
    [InlineData(true, "STICK", "bad", "os/main")]
    [InlineData(true, "STICK", Os, "../x")]
    [InlineData(true, "STICK", Os)]
    [InlineData(true, "STICK", Os, "os/main", Os)]
    [InlineData(true)]
    [InlineData(true, "--commit=0000000000000000000000000000000000000000000000000000000000000000", "STICK", Os, "os/main", Os, "other")]
    [InlineData(true, "--destination-repo=../src", "STICK", Os, "os/main")]
    public void FailsWithOstreesErrors(bool summary, params string[] args)
    {
        OstreeOracle.Require();
        var (src, _, _, _) = Source(summary);
        var errors = new Dictionary<string, (int Code, string Error)>();
        foreach (var tool in Tools)
        {
            var stick = Stick(tool);
            var r = ToolRunner.Run(tool, ["create-usb", $"--repo={src}", .. args.Select(a => a.Replace("STICK", stick, StringComparison.Ordinal))]);
            // ostree prints its usage text before a usage error: compare the error line
            var error = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last().Replace(stick, "STICK", StringComparison.Ordinal);
            errors[tool] = (r.ExitCode, error);
        }
        Assert.NotEqual(0, errors["arbor"].Code);
        Assert.Equal(errors["ostree"], errors["arbor"]);
    }

    [Fact]
    public void OstreePullsFromTheUsbRepositoryArborWrote()
    {
        OstreeOracle.Require();
        var (src, main, _, app) = Source();
        var stick = Stick("arbor");
        CliRunner.RunOk("create-usb", $"--repo={src}", stick, Os, "os/main", Apps, "app");
        var client = _tmp.Combine("client");
        OstreeOracle.RunOk("init", $"--repo={client}", "--mode=bare-user");
        OstreeOracle.RunOk("remote", "add", $"--repo={client}", "--no-gpg-verify", $"--collection-id={Os}", "usb",
            $"file://{Path.Combine(stick, ".ostree/repo")}");
        OstreeOracle.RunOk("pull", $"--repo={client}", "--mirror", "usb");
        Assert.Equal($"({Apps}, app)\n({Os}, os/main)\n", OstreeOracle.RunOk("refs", "-c", $"--repo={client}"));
        Assert.Equal(main, File.ReadAllText(Path.Combine(client, "refs/mirrors", Os, "os/main")).Trim());
        Assert.Equal(app, File.ReadAllText(Path.Combine(client, "refs/mirrors", Apps, "app")).Trim());
        OstreeOracle.RunOk("fsck", $"--repo={client}");
    }

    [Fact]
    public void ARepositoryAlreadyLinkedFromReposDirIsNotLinkedAgain()
    {
        // ostree 2022.7 compares the inode of each repos.d entry (the symlink's own) with the repository's,
        // so it adds 01-generated on a second run; Arbor follows the link and adds none (README: differences)
        var (src, _, _, _) = Source();
        var stick = Stick("arbor");
        for (int i = 0; i < 2; i++)
            CliRunner.RunOk("create-usb", $"--repo={src}", "--destination-repo=data/repo", stick, Os, i == 0 ? "os/main" : "other");
        Assert.Equal(["00-generated"], Directory.EnumerateFileSystemEntries(Path.Combine(stick, ".ostree/repos.d")).Select(Path.GetFileName));
        Assert.Equal([$"({Os}, os/main)", $"({Os}, other)"],
            CliRunner.RunOk("refs", "-c", $"--repo={Path.Combine(stick, "data/repo")}").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }
}
