using System.Formats.Tar;
using Arbor.TestKit;

namespace Arbor.Cli.Tests.Commands;

/// <summary><c>arbor commit</c>: output, flags, and every bad input as one line with no ref moved and nothing staged.</summary>
public sealed class CommitCommandTests
{
    private sealed class Fixture : IDisposable
    {
        public TempDirectory Tmp { get; } = new("commit-cli");
        public string Repo => Tmp.Combine("repo");
        public string Tree => Tmp.Combine("tree");

        public Fixture(string mode = "archive")
        {
            Directory.CreateDirectory(Tree);
            File.WriteAllText(Path.Combine(Tree, "a"), "a\n");
            Directory.CreateDirectory(Path.Combine(Tree, "d"));
            File.WriteAllText(Path.Combine(Tree, "d", "b"), "b\n");
            CliRunner.RunOk("init", "--repo=" + Repo, "--mode=" + mode);
        }

        public string? Ref(string name) => File.Exists(Path.Combine(Repo, "refs/heads", name)) ? File.ReadAllText(Path.Combine(Repo, "refs/heads", name)).Trim() : null;

        public int ObjectCount => Directory.EnumerateFiles(Path.Combine(Repo, "objects"), "*", SearchOption.AllDirectories).Count();

        public void AssertNothingStaged() =>
            Assert.Equal(["cache"], Directory.GetFileSystemEntries(Path.Combine(Repo, "tmp")).Select(Path.GetFileName));

        public string Tar(string name, params string[] entries)
        {
            var path = Tmp.Combine(name);
            using var f = File.Create(path);
            using var w = new TarWriter(f, TarEntryFormat.Pax);
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "./") { Mode = (UnixFileMode)0x1ED });
            foreach (var e in entries)
                w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, e) { Mode = (UnixFileMode)0x1A4, DataStream = new MemoryStream("x"u8.ToArray()) });
            return path;
        }

        public void Dispose() => Tmp.Dispose();
    }

    [Fact]
    public void PrintsTheChecksumLikeOstree()
    {
        using var f = new Fixture();
        var r = CliRunner.Run("commit", "--repo=" + f.Repo, "-b", "main", "-s", "s", "--timestamp=@0", f.Tree);
        Assert.Equal(0, r.ExitCode);
        Assert.Matches("^[0-9a-f]{64}\n$", r.Stdout);
        Assert.Equal(r.Stdout.Trim(), f.Ref("main"));
        OstreeOracle.Require();
        var o = OstreeOracle.RunOk("commit", "--repo=" + f.Repo, "-b", "other", "-s", "s", "--timestamp=@0", "--parent=none", "--bind-ref=main", "--no-bindings", f.Tree);
        var a = CliRunner.RunOk("commit", "--repo=" + f.Repo, "-b", "other2", "-s", "s", "--timestamp=@0", "--parent=none", "--bind-ref=main", "--no-bindings", f.Tree);
        Assert.Equal(o, a);
    }

    /// <summary>basic-test.sh "rejected invalid metadata": ostree_repo_write_metadata refuses a commit with an empty metadata key.</summary>
    [Fact]
    public void AnEmptyMetadataKeyIsRefused()
    {
        using var f = new Fixture();
        var r = CliRunner.Run("commit", "--repo=" + f.Repo, "-b", "main", "--add-metadata-string==FOO", f.Tree);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: Empty metadata key\n", r.Stderr);
        Assert.Null(f.Ref("main"));
        CliRunner.RunOk("commit", "--repo=" + f.Repo, "-b", "main", "--add-metadata-string=FOO=", f.Tree);
    }

    /// <summary>basic-test.sh "test error pre commit/bootid": OSTREE_REPO_TEST_ERROR=pre-commit fails the transaction before it
    /// publishes anything and leaves its staging directory, named for $OSTREE_BOOTID as ostree names its own.</summary>
    [Fact]
    public void TestErrorPreCommitLeavesAStagingDirectoryNamedForTheBoot()
    {
        using var f = new Fixture();
        var env = new Dictionary<string, string> { ["OSTREE_REPO_TEST_ERROR"] = "pre-commit", ["OSTREE_BOOTID"] = "3072029c-8b10-60d1-d31b-8422eeff9b42" };
        var r = ArborProcess.Run(["commit", "--repo=" + f.Repo, "-b", "main", f.Tree], env);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: OSTREE_REPO_TEST_ERROR_PRE_COMMIT specified\n", r.Stderr);
        Assert.Null(f.Ref("main"));
        var staging = Directory.GetDirectories(Path.Combine(f.Repo, "tmp"), "staging-*");
        Assert.Matches("^staging-3072029c-8b10-60d1-d31b-8422eeff9b42-", Path.GetFileName(Assert.Single(staging)));
        // the next transaction removes it: arbor never resumes one
        CliRunner.RunOk("commit", "--repo=" + f.Repo, "-b", "main", f.Tree);
        f.AssertNothingStaged();
    }

    [Fact]
    public void SkipIfUnchangedPrintsTheExistingCommitAndWritesNothing()
    {
        using var f = new Fixture();
        var first = CliRunner.RunOk("commit", "--repo=" + f.Repo, "-b", "main", f.Tree);
        int objects = f.ObjectCount;
        var again = CliRunner.RunOk("commit", "--repo=" + f.Repo, "-b", "main", "-s", "different", "--skip-if-unchanged", f.Tree);
        Assert.Equal(first, again);
        Assert.Equal(objects, f.ObjectCount);
        f.AssertNothingStaged();
    }

    [Fact]
    public void BodyFileAndFsyncPolicy()
    {
        using var f = new Fixture();
        var body = f.Tmp.Combine("msg");
        File.WriteAllText(body, "line one\nline two\n");
        var c = CliRunner.RunOk("commit", "--repo=" + f.Repo, "-b", "main", "-s", "subj", "-F", body, "--fsync=false", f.Tree).Trim();
        OstreeOracle.Require();
        var log = OstreeOracle.RunOk("log", "--repo=" + f.Repo, c);
        Assert.Contains("    line one\n    line two", log);
        var r = CliRunner.Run("commit", "--repo=" + f.Repo, "-b", "main", "--fsync=maybe", f.Tree);
        Assert.Equal("error: Invalid boolean argument 'maybe'\n", r.Stderr);
    }

    /// <summary>`ostree commit -b main DIR OTHER`: argv[1] is committed, further arguments are ignored.</summary>
    [Fact]
    public void ArgumentsAfterTheFirstPathAreIgnored()
    {
        using var f = new Fixture();
        var one = CliRunner.RunOk("commit", "--repo=" + f.Repo, "--orphan", "--timestamp=@0", f.Tree);
        var two = CliRunner.RunOk("commit", "--repo=" + f.Repo, "--orphan", "--timestamp=@0", f.Tree, "/nonexistent", "x");
        Assert.Equal(one, two);
    }

    public static TheoryData<string[], string> UsageErrors => new()
    {
        { [], "error: A branch must be specified with --branch, or use --orphan\n" },
        { ["-b", "main", "--tree=foobar"], "error: Missing type in tree specification 'foobar'\n" },
        { ["-b", "main", "--tree=foo=bar"], "error: Invalid tree type specification 'foo'\n" },
        { ["-b", "main", "--add-metadata=x"], "error: Missing '=' in KEY=VALUE metadata 'x'\n" },
        { ["-b", "main", "--add-metadata=x=uint32 abc"], "error: Parsing x=uint32 abc: 7-10:unknown keyword\n" },
        { ["-b", "main", "--parent=abc"], "error: Invalid rev abc\n" },
        { ["-b", "main", "--timestamp=garbage"], "error: Could not parse 'garbage'\n" },
        { ["-b", "main", "--canonical-permissions", "--owner-uid=5"], "error: Cannot specify both --canonical-permissions and non-zero --owner-uid\n" },
        { ["--orphan", "--keep-metadata=foo"], "error: Either --branch or --parent must be specified when using --keep-metadata\n" },
        { ["-b", "bad name"], "error: Invalid refspec bad name\n" },
        { ["-b", "main", "--tree=ref=nope"], "error: Refspec 'nope' not found\n" },
        { ["-b", "main", "--selinux-policy=/", "-P"], "error: Cannot specify both --selinux-policy and --selinux-policy-from-base\n" },
        { ["-b", "main", "--base=nope"], "error: Refspec 'nope' not found\n" },
    };

    public static TheoryData<string[], string> Unsupported => new()
    {
        { ["-b", "main", "--tar-pathname-filter=nocomma"], "error: Missing ',' in --tar-pathname-filter\n" },
        { ["-b", "main", "--sign=x", "--sign-type=rsa"], "error: Requested signature type is not implemented\n" },
    };

    /// <summary>Options arbor does not implement, and a signature that cannot be made: one line, nothing written.</summary>
    [Theory]
    [MemberData(nameof(Unsupported))]
    public void UnsupportedOptionsFailWithOneLineAndWriteNothing(string[] args, string stderr)
    {
        using var f = new Fixture();
        var r = CliRunner.Run(["commit", "--repo=" + f.Repo, .. args, f.Tree]);
        Assert.Equal((1, stderr, ""), (r.ExitCode, r.Stderr, r.Stdout));
        Assert.Null(f.Ref("main"));
        f.AssertNothingStaged();
    }

    /// <summary>An enabled policy labels every entry of a tar tree (security.selinux, NUL-terminated, after its own xattrs).</summary>
    [Fact]
    public void ATarTreeIsLabeledFromThePolicy()
    {
        using var f = new Fixture();
        var policy = Directory.CreateTempSubdirectory("apolicy-").FullName;
        try
        {
            var selinux = Path.Combine(policy, "etc/selinux");
            Directory.CreateDirectory(Path.Combine(selinux, "test/contexts/files"));
            Directory.CreateDirectory(Path.Combine(selinux, "test/policy"));
            File.WriteAllText(Path.Combine(selinux, "config"), "SELINUX=enforcing\nSELINUXTYPE=test\n");
            File.WriteAllText(Path.Combine(selinux, "test/contexts/files/file_contexts"), "/.*\tu:r:default_t:s0\n");
            File.WriteAllText(Path.Combine(selinux, "test/policy/policy.33"), "x");
            var tar = Path.Combine(policy, "tree.tar");
            ProcessRunner.RunOk("tar", "-C", f.Tree, "-cf", tar, ".");
            CliRunner.RunOk("commit", "--repo=" + f.Repo, "-b", "main", "--selinux-policy=" + policy, "--tree=tar=" + tar);
            var listing = CliRunner.RunOk("ls", "--repo=" + f.Repo, "-R", "-X", "main");
            var lines = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.NotEmpty(lines);
            Assert.All(lines, l => Assert.Contains("(b'security.selinux', b'u:r:default_t:s0')", l));
        }
        finally
        {
            Directory.Delete(policy, recursive: true);
        }
    }

    [Fact]
    public void AGpgKeyThatIsNotThereFailsBeforeAnythingIsPublished()
    {
        using var f = new Fixture();
        var home = Directory.CreateTempSubdirectory("agpg-").FullName;
        try
        {
            var r = CliRunner.Run("commit", "--repo=" + f.Repo, "-b", "main", "--gpg-sign=0123456789ABCDEF", "--gpg-homedir=" + home, f.Tree);
            Assert.Equal((1, $"error: No gpg key found with ID 0123456789ABCDEF (homedir: {home})\n"), (r.ExitCode, r.Stderr));
            Assert.Null(f.Ref("main"));
            f.AssertNothingStaged();
        }
        finally
        {
            ProcessRunner.Run("gpgconf", ["--homedir", home, "--kill", "all"]);
            Directory.Delete(home, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public void ErrorsAreOstreesOneLine(string[] args, string stderr)
    {
        using var f = new Fixture();
        var r = CliRunner.Run(["commit", "--repo=" + f.Repo, .. args, f.Tree]);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(stderr, r.Stderr);
        Assert.Equal("", r.Stdout);
        Assert.Null(f.Ref("main"));
        f.AssertNothingStaged();
        OstreeOracle.Require();
        var o = OstreeOracle.Run(["commit", "--repo=" + f.Repo, .. args, f.Tree]);
        Assert.Equal(stderr, o.Stderr);
    }

    [Theory]
    [InlineData("../x", "error: While making relative path \"../x\":Invalid uplink '..' in path ../x\n")]
    [InlineData("/abs", "error: ostree-tar: Invalid absolute path \"/abs\" in archive\n")]
    [InlineData("d/../../x", "error: While making relative path \"d/../../x\":Invalid uplink '..' in path d/../../x\n")]
    public void BadTarNamesMoveNoRef(string name, string stderr)
    {
        using var f = new Fixture();
        var before = CliRunner.RunOk("commit", "--repo=" + f.Repo, "-b", "main", f.Tree).Trim();
        int objects = f.ObjectCount;
        var r = CliRunner.Run("commit", "--repo=" + f.Repo, "-b", "main", "--tree=tar=" + f.Tar("bad.tar", "ok", name));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(stderr, r.Stderr);
        Assert.Equal(before, f.Ref("main"));
        Assert.Equal(objects, f.ObjectCount);
        f.AssertNothingStaged();
    }

    [Fact]
    public void MissingTreeAndMissingRepo()
    {
        using var f = new Fixture();
        var missing = f.Tmp.Combine("missing");
        var r = CliRunner.Run("commit", "--repo=" + f.Repo, "-b", "main", "--tree=dir=" + missing);
        Assert.Equal($"error: opendir({missing}): No such file or directory\n", r.Stderr);
        Assert.Equal(1, r.ExitCode);
        Assert.Null(f.Ref("main"));
        f.AssertNothingStaged();

        var noRepo = f.Tmp.Combine("no-repo");
        r = CliRunner.Run("commit", "--repo=" + noRepo, "-b", "main", f.Tree);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: opening repo: opendir(", r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(noRepo));
    }

    [Fact]
    public void AReadOnlyRepositoryIsRefusedWithoutChanges()
    {
        Privileged.RequireRoot();
        using var f = new Fixture();
        var before = CliRunner.RunOk("commit", "--repo=" + f.Repo, "-b", "main", f.Tree).Trim();
        File.WriteAllText(Path.Combine(f.Tree, "new"), "new\n");
        int objects = f.ObjectCount;
        var r = ProcessRunner.Run("unshare", ["-m", "--propagation", "private", "sh", "-c",
            "mount --bind \"$R\" \"$R\" && mount -o remount,bind,ro \"$R\" && exec \"$A\" commit --repo=\"$R\" -b main \"$T\"", "sh"],
            env: new Dictionary<string, string> { ["R"] = f.Repo, ["A"] = ArborProcess.Executable, ["T"] = f.Tree });
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: Cannot write to repository: Read-only file system\n", r.Stderr);
        Assert.Equal(before, f.Ref("main"));
        Assert.Equal(objects, f.ObjectCount);
        f.AssertNothingStaged();
    }

    [Fact]
    public void LayeredTreesAndGitTreesFromTheCommandLine()
    {
        using var f = new Fixture();
        var git = f.Tmp.Combine("git");
        Directory.CreateDirectory(git);
        GitRun(git, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(git, "a"), "from git\n");
        GitRun(git, "add", "-A");
        GitRun(git, "commit", "-q", "-m", "x");
        var c = CliRunner.RunOk("commit", "--repo=" + f.Repo, "-b", "main", "--tree=dir=" + f.Tree, "--tree=git=" + git + ":main").Trim();
        OstreeOracle.Require();
        Assert.Equal("from git\n", OstreeOracle.RunOk("cat", "--repo=" + f.Repo, c, "/a"));
        Assert.Equal("b\n", OstreeOracle.RunOk("cat", "--repo=" + f.Repo, c, "/d/b"));
    }

    /// <summary>LibGit2Sharp under NativeAOT: the published binary (artifacts/cli/arbor) imports a git tree.</summary>
    [Fact]
    public void ThePublishedBinaryImportsGitTrees()
    {
        var top = RepoRoot();
        var build = ProcessRunner.Run(Path.Combine(top, "arbor"), ["--help"], timeoutMs: 1_800_000);
        Assert.True(build.ExitCode == 0, build.ToString());
        var aot = Path.Combine(top, "artifacts", "cli", "arbor");

        using var f = new Fixture();
        var git = f.Tmp.Combine("git");
        Directory.CreateDirectory(Path.Combine(git, "bin"));
        GitRun(git, "init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(git, "bin", "tool"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(git, "bin", "tool"), (UnixFileMode)0x1ED);
        File.CreateSymbolicLink(Path.Combine(git, "link"), "bin/tool");
        GitRun(git, "add", "-A");
        GitRun(git, "commit", "-q", "-m", "x");

        var r = ProcessRunner.Run(aot, ["commit", "--repo=" + f.Repo, "-b", "git", "--tree=git=" + git + ":main"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        OstreeOracle.Require();
        Assert.Equal("""
            d00755 0 0      0 /
            l00777 0 0      0 /link -> bin/tool
            d00755 0 0      0 /bin
            -00755 0 0     10 /bin/tool

            """, OstreeOracle.RunOk("ls", "--repo=" + f.Repo, "-R", "git"));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Arbor.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("Arbor.slnx not found above the test directory");
    }

    private static void GitRun(string dir, params string[] args)
    {
        var env = new Dictionary<string, string>
        {
            ["GIT_AUTHOR_NAME"] = "t", ["GIT_AUTHOR_EMAIL"] = "t@example.com",
            ["GIT_COMMITTER_NAME"] = "t", ["GIT_COMMITTER_EMAIL"] = "t@example.com",
        };
        var r = ProcessRunner.Run("git", ["-C", dir, .. args], env: env);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"git {string.Join(' ', args)} failed:\n{r}");
    }
}
