using Arbor.Repo.Commit;
using Arbor.Repo.Core;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Import;

public sealed class GitTreeImporterTests
{
    internal static string MakeGitRepo(string dir)
    {
        Directory.CreateDirectory(dir);
        Git(dir, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(dir, "README"), "hello\n");
        Directory.CreateDirectory(Path.Combine(dir, "bin"));
        File.WriteAllText(Path.Combine(dir, "bin", "run"), "#!/bin/sh\necho run\n");
        File.SetUnixFileMode(Path.Combine(dir, "bin", "run"), (UnixFileMode)0x1ED);
        File.CreateSymbolicLink(Path.Combine(dir, "link"), "bin/run");
        File.CreateSymbolicLink(Path.Combine(dir, "dangling"), "/nowhere/at/all");
        Git(dir, "add", "-A");
        Git(dir, "commit", "-q", "-m", "first");
        return dir;
    }

    internal static void Git(string dir, params string[] args)
    {
        var env = new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = "t", ["GIT_AUTHOR_EMAIL"] = "t@example.com",
            ["GIT_COMMITTER_NAME"] = "t", ["GIT_COMMITTER_EMAIL"] = "t@example.com",
        };
        var r = ProcessRunner.Run("git", ["-C", dir, .. args], env: env);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"git {string.Join(' ', args)} failed:\n{r}");
    }

    [Fact]
    public void FilesModesAndSymlinksComeFromTheGitTree()
    {
        OstreeOracle.Require();
        using var tmp = new TempDirectory("git");
        var git = MakeGitRepo(tmp.Combine("src"));
        var repoPath = tmp.Combine("repo");
        var repo = Repository.Create(repoPath, RepoMode.Archive);

        CommitBuilder.Commit(repo, new CommitRequest { Branch = "main", Timestamp = 0, Trees = [new TreeSource(TreeSourceKind.Git, git, "main")] });

        var listing = OstreeOracle.RunOk("ls", "--repo=" + repoPath, "-R", "main");
        Assert.Equal("""
            d00755 0 0      0 /
            -00644 0 0      6 /README
            l00777 0 0      0 /dangling -> /nowhere/at/all
            l00777 0 0      0 /link -> bin/run
            d00755 0 0      0 /bin
            -00755 0 0     19 /bin/run

            """.Replace("\r", ""), listing);
        Assert.Contains("no errors found", OstreeOracle.RunOk("fsck", "--repo=" + repoPath));
    }

    [Fact]
    public void SubmodulesAreRefused()
    {
        using var tmp = new TempDirectory("git");
        var sub = MakeGitRepo(tmp.Combine("sub"));
        var top = MakeGitRepo(tmp.Combine("top"));
        Git(top, "-c", "protocol.file.allow=always", "submodule", "add", "-q", sub, "vendor/sub");
        Git(top, "commit", "-q", "-m", "with a submodule");
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);

        var e = Assert.Throws<RepoException>(() => CommitBuilder.Commit(repo, new CommitRequest
        {
            Branch = "main", Timestamp = 0, Trees = [new TreeSource(TreeSourceKind.Git, top, "HEAD")],
        }));
        Assert.Equal("Submodules are not supported: 'vendor/sub' in git tree", e.Message);
        Assert.Empty(ObjectEnumerator.ListAll(repo));
        Assert.Null(repo.Refs.TryRead(null, "main"));
    }

    [Fact]
    public void UnknownRevisionsAndNonRepositoriesAreOneLineErrors()
    {
        using var tmp = new TempDirectory("git");
        var git = MakeGitRepo(tmp.Combine("src"));
        var repo = Repository.Create(tmp.Combine("repo"), RepoMode.Archive);
        var e = Assert.Throws<RepoException>(() => CommitBuilder.Commit(repo, new CommitRequest
        {
            Branch = "main", Trees = [new TreeSource(TreeSourceKind.Git, git, "no-such-branch")],
        }));
        Assert.StartsWith("Revision 'no-such-branch' not found in git repository", e.Message);
        e = Assert.Throws<RepoException>(() => CommitBuilder.Commit(repo, new CommitRequest
        {
            Branch = "main", Trees = [new TreeSource(TreeSourceKind.Git, tmp.Combine("nothing-here"), null)],
        }));
        Assert.Equal($"Not a git repository: '{tmp.Combine("nothing-here")}'", e.Message);
    }
}
