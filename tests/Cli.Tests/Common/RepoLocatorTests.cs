using Arbor.TestKit;

namespace Arbor.Cli.Tests.Common;

/// <summary>Without --repo, the repository is ostree_repo_new_default's: the current directory, $OSTREE_REPO, else $OSTREE_SYSROOT/ostree/repo.</summary>
public sealed class RepoLocatorTests : IDisposable
{
    private readonly TempDirectory _tmp = new("cli-repolocator");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void TheDefaultRepositoryIsTheOneOfOstreeSysrootAndAMissingOneAsksForRepo()
    {
        var sysroot = _tmp.Combine("sysroot");
        CliRunner.RunOk("init", "--repo=" + Path.Combine(sysroot, "ostree/repo"), "--mode=bare");
        var content = _tmp.Combine("content");
        Directory.CreateDirectory(content);
        File.WriteAllText(Path.Combine(content, "f"), "x\n");
        CliRunner.RunOk("commit", "--repo=" + Path.Combine(sysroot, "ostree/repo"), "-b", "main", "--tree=dir=" + content);
        var elsewhere = _tmp.Combine("elsewhere");
        Directory.CreateDirectory(elsewhere);

        foreach (var (file, label) in new[] { (ArborProcess.Executable, "arbor"), ("/usr/bin/ostree", "ostree") })
        {
            var r = ProcessRunner.Run(file, ["refs"], elsewhere, new Dictionary<string, string> { ["OSTREE_SYSROOT"] = sysroot });
            Assert.True((0, "main\n") == (r.ExitCode, r.Stdout), $"{label}: {r}");
            r = ProcessRunner.Run(file, ["refs"], elsewhere, new Dictionary<string, string> { ["OSTREE_SYSROOT"] = elsewhere });
            Assert.True(r.ExitCode == 1 && r.Stderr.EndsWith("error: Command requires a --repo argument\n", StringComparison.Ordinal), $"{label}: {r}");
        }
    }
}
