using System.Text;
using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// Cases from the repository-core audit: the same command on an ostree repository and on an
/// arbor one gives the same exit code and the same first line of error (stderr is read as
/// UTF-8, so raw bytes ostree prints come out as U+FFFD, as arbor prints them).
/// </summary>
public sealed class CoreAuditCompatTests : IDisposable
{
    private readonly TempDirectory _tmp = new("core-audit");

    public CoreAuditCompatTests()
    {
        OstreeOracle.Require();
    }

    public void Dispose() => _tmp.Dispose();

    private (string O, string A) Repos(string mode = "archive")
    {
        string o = _tmp.Combine("o-" + mode), a = _tmp.Combine("a-" + mode);
        if (!Directory.Exists(o)) OstreeOracle.RunOk("init", "--repo=" + o, "--mode=" + mode);
        if (!Directory.Exists(a)) CliRunner.RunOk("init", "--repo=" + a, "--mode=" + mode);
        return (o, a);
    }

    /// <summary>Runs both tools (REPO in an argument is each one's repository) and checks they agree.</summary>
    private static (CliResult O, CliResult A) Same(string o, string a, params string[] args)
    {
        var ro = OstreeOracle.Run(args.Select(x => x.Replace("REPO", o)).ToArray());
        var ra = CliRunner.Run(args.Select(x => x.Replace("REPO", a)).ToArray());
        Assert.True(ro.ExitCode == ra.ExitCode, $"ostree:\n{ro}\narbor:\n{ra}");
        Assert.Equal(FirstLine(ro.Stderr).Replace(o, "REPO"), FirstLine(ra.Stderr).Replace(a, "REPO"));
        return (ro, ra);
    }

    private static string FirstLine(string s) => s.Split('\n')[0];

    /// <summary>A ustar archive of regular files (one byte each) and directories (names ending in '/') with raw byte names.</summary>
    private string RawTar(string name, params byte[][] names)
    {
        var ms = new MemoryStream();
        foreach (var n in names)
        {
            bool dir = n[^1] == '/';
            var h = new byte[512];
            n.CopyTo(h, 0);
            Encoding.ASCII.GetBytes(dir ? "0000755\0" : "0000644\0").CopyTo(h, 100);
            Encoding.ASCII.GetBytes("0000000\0").CopyTo(h, 108);
            Encoding.ASCII.GetBytes("0000000\0").CopyTo(h, 116);
            Encoding.ASCII.GetBytes((dir ? "00000000000" : "00000000001") + "\0").CopyTo(h, 124);
            Encoding.ASCII.GetBytes("00000000000\0").CopyTo(h, 136);
            h[156] = (byte)(dir ? '5' : '0');
            Encoding.ASCII.GetBytes("ustar\000").CopyTo(h, 257);
            Array.Fill(h, (byte)' ', 148, 8);
            int sum = h.Sum(b => b);
            Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(h, 148);
            ms.Write(h);
            if (!dir) { var data = new byte[512]; data[0] = (byte)'x'; ms.Write(data); }
        }
        ms.Write(new byte[1024]);
        var path = _tmp.Combine(name);
        File.WriteAllBytes(path, ms.ToArray());
        return path;
    }

    public static TheoryData<string, bool> BadTarNames => new()
    {
        { "ok|\xff\xfe", true }, { "ok|\xff\xfe", false }, { "d/\xe9t\xe9", true }, { "x\xff/f", true }, { "x\xff/f", false },
        { "x\xff/", true }, { "a/|a/.", true }, { "a/.", true }, { "a/.", false }, { "a.\xff", true },
    };

    [Theory]
    [MemberData(nameof(BadTarNames))]
    public void TarNamesThatAreNotUtf8OrSelfReferentialAreRefusedLikeOstree(string spec, bool autocreate)
    {
        var (o, a) = Repos();
        var tar = RawTar("t.tar", spec.Split('|').Select(s => Encoding.Latin1.GetBytes(s)).ToArray());
        string[] args = ["commit", "--repo=REPO", "-b", "x", "--tree=tar=" + tar];
        if (autocreate) args = [.. args, "--tar-autocreate-parents"];
        var (ro, ra) = Same(o, a, args);
        Assert.Equal(1, ra.ExitCode);
        Assert.NotEqual(0, CliRunner.Run("rev-parse", "--repo=" + a, "x").ExitCode);
    }

    [Fact]
    public void ARealReplacementCharacterInATarNameIsKept()
    {
        var (_, a) = Repos();
        var tar = RawTar("t.tar", "./"u8.ToArray(), "\uFFFD"u8.ToArray());
        CliRunner.RunOk("commit", "--repo=" + a, "-b", "x", "--tree=tar=" + tar);
        Assert.Contains("/\uFFFD", CliRunner.RunOk("ls", "--repo=" + a, "x"));
    }

    [Fact]
    public void DirectoryNamesThatAreNotUtf8AreRefusedLikeOstree()
    {
        var (o, a) = Repos();
        var tree = _tmp.Combine("nu");
        Directory.CreateDirectory(tree);
        ProcessRunner.RunOk("bash", "-c", $"touch '{tree}'/$'\\xff\\xfe'");
        Same(o, a, "commit", "--repo=REPO", "-b", "y", tree);
        Same(o, a, "commit", "--repo=REPO", "-b", "y", "--tree=dir=" + tree);
    }

    public static TheoryData<string> BadRefs => new() { "heads/gb", "heads/empty", "heads/trunc", "remotes/origin/bad", "all" };

    /// <summary>A ref file that does not hold a checksum (garbage, empty, truncated) fails fsck and summary like a missing commit.</summary>
    [Theory]
    [MemberData(nameof(BadRefs))]
    public void RefsThatAreNotChecksumsFailFsckAndSummaryLikeOstree(string which)
    {
        var (o, a) = Repos();
        var tree = _tmp.Combine("tree");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "f"), "hi\n");
        foreach (var repo in new[] { o, a })
        {
            var commit = OstreeOracle.RunOk("commit", "--repo=" + repo, "-b", "main", "--timestamp=2021-01-01T00:00:00Z", tree).Trim();
            var bad = new Dictionary<string, string>
            {
                ["heads/gb"] = "garbage\n", ["heads/empty"] = "", ["heads/trunc"] = commit[..63] + "\n", ["remotes/origin/bad"] = "junk\n",
            };
            foreach (var (path, text) in bad)
            {
                if (which != "all" && which != path) continue;
                var file = Path.Combine(repo, "refs", path);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, text);
            }
        }
        var (ro, ra) = Same(o, a, "fsck", "--repo=REPO");
        Assert.Equal(1, ra.ExitCode);
        Assert.Equal(ro.Stdout.Split('\n').Where(l => !l.StartsWith("fsck objects")), ra.Stdout.Split('\n').Where(l => !l.StartsWith("fsck objects")));
        Same(o, a, "summary", "-u", "--repo=REPO");
        Same(o, a, "refs", "--repo=REPO");
        // ("empty" is left out: ostree's "Invalid rev " keeps its trailing space, arbor's error printer trims it)
        foreach (var r in new[] { "gb", "trunc", "origin:bad" }) Same(o, a, "rev-parse", "--repo=REPO", r);
    }

    [Theory]
    [InlineData("archive", "bare")]
    [InlineData("archive", null)]
    [InlineData("bare-user", "archive")]
    public void InitOnAnExistingRepositoryKeepsItsConfigLikeOstree(string first, string? second)
    {
        string o = _tmp.Combine("io"), a = _tmp.Combine("ia");
        Same(o, a, "init", "--repo=REPO", "--mode=" + first);
        var before = File.ReadAllText(Path.Combine(a, "config"));
        Same(o, a, second is null ? ["init", "--repo=REPO"] : ["init", "--repo=REPO", "--mode=" + second]);
        Assert.Equal(before, File.ReadAllText(Path.Combine(a, "config")));
        Assert.Equal(File.ReadAllText(Path.Combine(o, "config")), File.ReadAllText(Path.Combine(a, "config")));
    }

    [Fact]
    public void InitRefusesABadCollectionIdAndReportsMkdirLikeOstree()
    {
        string o = _tmp.Combine("co"), a = _tmp.Combine("ca");
        var (_, ra) = Same(o, a, "init", "--repo=REPO", "--collection-id=bad");
        Assert.Equal(1, ra.ExitCode);
        Assert.False(Directory.Exists(a));
        Same("/proc/x", "/proc/x", "init", "--repo=REPO");
        Same(o, a, "init", "--repo=REPO", "--collection-id=org.example.Os");
        Assert.Equal(File.ReadAllText(Path.Combine(o, "config")), File.ReadAllText(Path.Combine(a, "config")));
    }

    /// <summary>Without --repo, the current directory is the repository when it looks like one, before $OSTREE_REPO.</summary>
    [Fact]
    public void TheCurrentDirectoryIsTheDefaultRepositoryLikeOstree()
    {
        var (o, a) = Repos();
        foreach (var repo in new[] { o, a }) File.WriteAllText(Path.Combine(repo, "refs", "heads", "r1"), new string('0', 64) + "\n");
        var empty = _tmp.Combine("empty");
        Directory.CreateDirectory(empty);
        CliResult Tool(string exe, string cwd, string? env, params string[] args) =>
            ProcessRunner.Run(exe, args, workingDirectory: cwd, env: new Dictionary<string, string> { ["OSTREE_REPO"] = env ?? "" });
        var other = _tmp.Combine("other");
        OstreeOracle.RunOk("init", "--repo=" + other, "--mode=archive");
        File.WriteAllText(Path.Combine(other, "refs", "heads", "o1"), new string('1', 64) + "\n");
        foreach (var (cwdO, cwdA, env) in new[] { (o, a, (string?)null), (o, a, other), (empty, empty, null), (empty, empty, other) })
        {
            var ro = Tool("/usr/bin/ostree", cwdO, env, "refs");
            var ra = Tool(ArborProcess.Executable, cwdA, env, "refs");
            Assert.True(ro.ExitCode == ra.ExitCode, $"ostree:\n{ro}\narbor:\n{ra}");
            Assert.Equal(ro.Stdout, ra.Stdout);
            Assert.Equal(LastLine(ro.Stderr), LastLine(ra.Stderr)); // ostree prints its usage first
        }
        static string LastLine(string s) => s.Split('\n').LastOrDefault(l => l.Length > 0) ?? "";
    }

    public static TheoryData<string[]> Timestamps => new()
    {
        new[] { "--timestamp=2021-01-01T00:00:1Z" }, new[] { "--timestamp=2021-01-01T1:2:3Z" }, new[] { "--timestamp=2021-01-01 1:2" },
        new[] { "--timestamp=@1600000000" }, new[] { "--timestamp=2021-01-01" }, new[] { "--timestamp=2021-01-01T00:00:00+02:00" },
        new[] { "--timestamp=1 Jan 2021" }, new[] { "--timestamp=2021-01-01T00:00:00.5Z" },
        new[] { "--timestamp=2020-01-01", "--timestamp=2021-05-05T00:00:00Z" },
    };

    /// <summary>--timestamp forms parse_datetime accepts give the same commit; repeated, the last one counts.</summary>
    [Theory]
    [MemberData(nameof(Timestamps))]
    public void TimestampsParseLikeOstree(string[] stamps)
    {
        var (o, a) = Repos();
        var tree = _tmp.Combine("ts");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "f"), "x\n");
        var (ro, ra) = Same(o, a, ["commit", "--repo=REPO", "--orphan", .. stamps, tree]);
        Assert.Equal(0, ra.ExitCode);
        Assert.Equal(ro.Stdout, ra.Stdout);
    }
}
