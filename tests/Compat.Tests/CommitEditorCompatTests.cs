using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary><c>commit --editor</c> against the real ostree 2022.7: the same pre-filled file, the same commit from the edited message, the same refusals.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(EditorEnvironment.Name)]
public sealed class CommitEditorCompatTests : IDisposable
{
    private const string Timestamp = "--timestamp=2021-06-01T12:00:00Z";
    private readonly TempDirectory _tmp = new("commit-editor");
    private readonly string _tree;

    public CommitEditorCompatTests()
    {
        OstreeOracle.Require();
        _tree = _tmp.Combine("tree");
        Directory.CreateDirectory(_tree);
        File.WriteAllText(Path.Combine(_tree, "f"), "f\n");
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("OSTREE_EDITOR", null);
        _tmp.Dispose();
    }

    /// <summary>An editor that keeps what it was given in CAPTURE and writes MESSAGE (printf format).</summary>
    private string Editor(string name, string message)
    {
        var script = _tmp.Combine(name + ".sh");
        File.WriteAllText(script, $"#!/bin/sh\ncp \"$1\" '{_tmp.Combine(name + ".captured")}'\nprintf '{message}' > \"$1\"\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1ED);
        return script;
    }

    private (CliResult Result, string Captured, string Repo) Run(string tool, string editor, params string[] args)
    {
        var repo = _tmp.Combine($"{tool}-{Guid.NewGuid():N}");
        var captured = Path.ChangeExtension(editor, ".captured");
        File.Delete(captured);
        string[] init = ["init", $"--repo={repo}", "--mode=archive"];
        string[] commit = ["commit", $"--repo={repo}", Timestamp, $"--tree=dir={_tree}", "-e", .. args];
        CliResult r;
        if (tool == "ostree")
        {
            OstreeOracle.RunOk(init);
            r = ProcessRunner.Run("/usr/bin/ostree", commit, env: new Dictionary<string, string> { ["OSTREE_EDITOR"] = editor });
        }
        else
        {
            CliRunner.RunOk(init);
            Environment.SetEnvironmentVariable("OSTREE_EDITOR", editor);
            try { r = CliRunner.Run(commit); }
            finally { Environment.SetEnvironmentVariable("OSTREE_EDITOR", null); }
        }
        return (r, File.Exists(captured) ? File.ReadAllText(captured) : "", repo);
    }

    [Theory]
    [InlineData(@"My subject\n\n# comment\nbody line 1\nbody line 2\n", "-b", "main")]
    [InlineData(@"  Subj  \n  \n\n  body  \n\n\n", "-b", "main", "-s", "given")]
    [InlineData(@"  \n\nbody only\n", "--orphan")]
    [InlineData(@"one line", "--orphan", "-s", "S", "-m", "ignored body")]
    public void TheSameTemplateAndCommit(string message, params string[] args)
    {
        var editor = Editor("edit", message);
        var (o, oCaptured, oRepo) = Run("ostree", editor, args);
        var (a, aCaptured, aRepo) = Run("arbor", editor, args);
        Assert.True(o.ExitCode == 0, o.ToString());
        Assert.Equal(oCaptured, aCaptured);
        Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        var commit = o.Stdout.Trim();
        Assert.Equal(OstreeOracle.RunOk("log", $"--repo={oRepo}", commit), CliRunner.RunOk("log", $"--repo={aRepo}", commit));
    }

    [Theory]
    [InlineData(@"# only comments\n\n   \n")]
    [InlineData("")]
    public void AnEmptyMessageAborts(string message)
    {
        var editor = Editor("empty", message);
        var (o, _, _) = Run("ostree", editor, "-b", "main");
        var (a, _, aRepo) = Run("arbor", editor, "-b", "main");
        Assert.Equal((1, "error: Aborting commit due to empty commit subject.\n"), (o.ExitCode, o.Stderr));
        Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        Assert.Empty(CliRunner.RunOk("refs", $"--repo={aRepo}"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(aRepo, "objects"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void AFailingEditorIsOstreesError()
    {
        var (o, _, _) = Run("ostree", "false", "-b", "main");
        var (a, _, _) = Run("arbor", "false", "-b", "main");
        Assert.Equal((1, "error: There was a problem with the editor 'false'Child process exited with code 1\n"), (o.ExitCode, o.Stderr));
        Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
    }
}

/// <summary>Tests that set OSTREE_EDITOR in this process run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EditorEnvironment
{
    public const string Name = "OSTREE_EDITOR";
}
