using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// Every read command run by arbor and by the real ostree 2022.7 on the same repositories: the vector
/// repos and one built here with <c>ostree commit</c> (unicode names, symlinks, xattrs, uid 1000,
/// history, a commit whose parent was not pulled). stdout, exit code and the error line must match.
/// </summary>
public sealed class ReadCommandsCompatTests : IClassFixture<ReadCommandsCompatTests.Repos>
{
    public sealed class Repos : IDisposable
    {
        private readonly TempDirectory _tmp = new("readcompat");
        public string Archive { get; }
        public string BareUser { get; }
        public string Built { get; }
        public string Shallow { get; }

        public Repos()
        {
            OstreeOracle.Require();
            (Archive, BareUser) = VectorRepos.Extract(_tmp.Path);
            Built = _tmp.Combine("built");
            Shallow = _tmp.Combine("shallow");
            var tree = _tmp.Combine("tree");
            Directory.CreateDirectory(Path.Combine(tree, "dir with space/ünï"));
            File.WriteAllText(Path.Combine(tree, "dir with space/ünï/naïve.txt"), "naïve\n");
            File.WriteAllText(Path.Combine(tree, "quote'd \"name\".txt"), "q\n");
            File.CreateSymbolicLink(Path.Combine(tree, "rel-link"), "dir with space/ünï/naïve.txt");
            File.CreateSymbolicLink(Path.Combine(tree, "loop"), "loop");
            File.WriteAllText(Path.Combine(tree, "x.txt"), "xattr\n");
            ProcessRunner.RunOk("setfattr", "-n", "user.test", "-v", "value with 'quote'", Path.Combine(tree, "x.txt"));
            ProcessRunner.RunOk("setfattr", "-n", "user.bin", "-v", "0x00ff10", Path.Combine(tree, "x.txt"));
            Directory.CreateDirectory(Path.Combine(tree, "big"));
            for (int i = 0; i < 300; i++) File.WriteAllText(Path.Combine(tree, "big", $"file-{i:D4}"), i.ToString());
            OstreeOracle.RunOk("init", $"--repo={Built}", "--mode=archive");
            OstreeOracle.RunOk("commit", $"--repo={Built}", "--branch=main", "--owner-uid=1000", "--owner-gid=1000",
                "--timestamp=2020-02-29T12:34:56Z", "--subject=Line one", "--body=multi\nline\n\nbody without newline",
                "--add-metadata-string=version=v1 \"quoted\"", "--add-metadata=n=int16 -5", "--add-metadata=d=1.5", tree);
            File.WriteAllText(Path.Combine(tree, "x.txt"), "changed\n");
            File.Delete(Path.Combine(tree, "loop"));
            Directory.CreateDirectory(Path.Combine(tree, "newdir/sub"));
            File.WriteAllText(Path.Combine(tree, "newdir/sub/f"), "f\n");
            OstreeOracle.RunOk("commit", $"--repo={Built}", "--branch=main", "--timestamp=2020-03-01T00:00:00Z", "--subject=", tree);
            OstreeOracle.RunOk("commit", $"--repo={Built}", "--branch=main", "--timestamp=2020-03-02T00:00:00Z", "--subject=Third\n", tree);
            OstreeOracle.RunOk("init", $"--repo={Shallow}", "--mode=bare-user");
            OstreeOracle.RunOk("pull-local", $"--repo={Shallow}", "--depth=0", Built, "main");
        }

        public string PathOf(string which) => which switch
        {
            "archive" => Archive,
            "bare-user" => BareUser,
            "built" => Built,
            _ => Shallow,
        };

        public void Dispose() => _tmp.Dispose();
    }

    private readonly Repos _repos;

    public ReadCommandsCompatTests(Repos repos) => _repos = repos;

    public static TheoryData<string, string> Vectors()
    {
        var data = new TheoryData<string, string>();
        string[] lines =
        [
            "log vectors/main", "log --raw vectors/main", "log vectors/uid1000", "log nope",
            "show vectors/main", "show --raw vectors/main^", "show -B vectors/main^", "show vectors/uid1000",
            "show --print-metadata-key=vectors.number vectors/main^", "show --print-metadata-key=version vectors/main",
            "show --print-detached-metadata-key=vectors.note vectors/main^", "show --print-detached-metadata-key=x vectors/main",
            "show --print-metadata-key=nope vectors/main", "show --print-related vectors/main",
            "show 446a0ef11b7cc167f3b603e585c7eeeeb675faa412d5ec73f62988eb0b6c5488",
            "show --raw 04169bbf5a84f10875d0d478e777be255b92438b6640e8d4a11e3ac2bc11aabd",
            "show abf9ced49560310884cd2babc62ce376b166a50ea69235cca068c626a4851a70",
            "show f66efa496a72379413c44593de510dc344beb045294f1a543da87b2b6118db35",
            "ls vectors/main", "ls -R -C -X vectors/main", "ls -R -C -X vectors/main^", "ls -R vectors/uid1000",
            "ls -d vectors/main", "ls vectors/main sub /bin", "ls vectors/main nope", "ls vectors/main sub/", "ls vectors/main link/x",
            "ls -R -C vectors/large-dirtree", "ls -C vectors/main /sub//nested",
            "cat vectors/main hello.txt link sub/nested/deep.txt", "cat vectors/main sub", "cat vectors/main nope",
            "diff vectors/main", "diff vectors/main^ vectors/main", "diff vectors/main vectors/uid1000", "diff --stats vectors/main^ vectors/main",
            "refs", "refs vectors", "refs --list vectors", "refs -A", "refs vectors/main",
            "rev-parse vectors/main^", "rev-parse vectors/main^^", "rev-parse 24ff", "rev-parse 2", "rev-parse nope",
            "rev-parse bad:ref:x", "rev-parse vectors", "rev-parse --single",
            "config get core.mode", "config get core.nope", "config get nope.x", "config get nodot",
        ];
        foreach (var repo in new[] { "archive", "bare-user" })
            foreach (var l in lines) data.Add(repo, l);
        return data;
    }

    public static TheoryData<string, string> Built()
    {
        var data = new TheoryData<string, string>();
        string[] lines =
        [
            "log main", "log --raw main", "show main", "show main^", "show main^^", "show --raw main^^",
            "show --print-metadata-key=version main^^", "show --print-metadata-key=n main^^", "show -B --print-metadata-key=n main^^",
            "show --print-metadata-key=d main^^",
            "ls -R -C -X main", "ls -R -X main^^", "ls main big", "ls main rel-link", "ls main^^ loop",
            "cat main rel-link", "cat main x.txt",
            "diff main^^ main", "diff main", "diff --stats main^^ main",
            "refs", "rev-parse main^",
        ];
        foreach (var l in lines) data.Add("built", l);
        foreach (var l in new[] { "log main", "log --raw main", "show main", "ls -R main", "rev-parse main^", "log main^" })
            data.Add("shallow", l);
        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    [MemberData(nameof(Built))]
    public void SameOutputAsOstree(string repo, string commandLine)
    {
        var words = commandLine.Split(' ');
        string[] args = [words[0], $"--repo={_repos.PathOf(repo)}", .. words[1..]];
        var expected = OstreeOracle.Run(args);
        var actual = CliRunner.Run(args);
        Assert.Equal(expected.Stdout, actual.Stdout);
        Assert.Equal(expected.ExitCode, actual.ExitCode);
        Assert.Equal(LastLine(expected.Stderr), LastLine(actual.Stderr));
    }

    /// <summary>ostree overflows its stack on a symlink loop (exit 139); arbor stops after 40 links with one error line.</summary>
    [Fact]
    public void CatOfSymlinkLoopIsAOneLineError()
    {
        var r = CliRunner.Run("cat", $"--repo={_repos.Built}", "main^^", "loop");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: Too many levels of symbolic links", r.Stderr);
        Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
    }

    private static string LastLine(string s) => s.TrimEnd('\n').Split('\n')[^1];
}
