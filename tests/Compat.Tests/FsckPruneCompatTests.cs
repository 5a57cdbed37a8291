using System.Security.Cryptography;
using Arbor.Repo.Core;
using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// The same repository, damaged the same way, checked by the real <c>ostree fsck</c> and by
/// <c>arbor fsck</c>; pruned by both with the same flags. Exit codes, stdout (without the timed
/// progress lines), stderr (as a set: ostree lists objects in hash-table order), and the
/// repository afterwards (state markers, deleted objects, tombstones, config) must agree.
/// </summary>
public sealed class FsckPruneCompatTests : IDisposable
{
    private readonly TempDirectory _tmp = new("compat");

    public void Dispose() => _tmp.Dispose();

    // ---- fsck ----

    /// <summary>A damage to apply to a fresh sample repository: (repo, mode) → nothing.</summary>
    private static readonly Dictionary<string, Action<string, string>> Damages = new()
    {
        ["none"] = (_, _) => { },
        ["flip-payload"] = (r, m) => OstreeRepos.FlipByte(FileObject(r, m, "/big.bin"), 3000),
        ["flip-last-byte"] = (r, m) => OstreeRepos.FlipByte(FileObject(r, m, "/hello.txt"), -1),
        ["truncate-object"] = (r, m) => OstreeRepos.Truncate(FileObject(r, m, "/big.bin"), 200),
        ["truncate-header"] = (r, m) => OstreeRepos.Truncate(FileObject(r, m, "/big.bin"), 5),
        ["missing-file"] = (r, m) => File.Delete(FileObject(r, m, "/sub/nested/deep.txt")),
        ["missing-dirtree"] = (r, _) => File.Delete(OstreeRepos.ObjectPath(r, OstreeRepos.ChecksumOfDir(r, "main", "/sub/nested"), "dirtree")),
        ["missing-dirmeta"] = (r, _) => File.Delete(OstreeRepos.ObjectPath(r, DirMeta(r, "/private"), "dirmeta")),
        ["flip-dirtree-name"] = (r, _) => OstreeRepos.FlipByte(OstreeRepos.ObjectPath(r, OstreeRepos.ChecksumOfDir(r, "main", "/sub/nested"), "dirtree"), 1),
        ["flip-dirtree-checksum"] = (r, _) => OstreeRepos.FlipByte(OstreeRepos.ObjectPath(r, OstreeRepos.ChecksumOfDir(r, "main", "/sub/nested"), "dirtree"), 20),
        ["truncate-dirtree"] = (r, _) => OstreeRepos.Truncate(OstreeRepos.ObjectPath(r, OstreeRepos.ChecksumOfDir(r, "main", "/sub"), "dirtree"), 10),
        ["flip-commit"] = (r, _) => OstreeRepos.FlipByte(OstreeRepos.ObjectPath(r, Head(r), "commit"), 20),
        ["missing-commit"] = (r, _) => File.Delete(OstreeRepos.ObjectPath(r, Head(r), "commit")),
        ["no-ostreemeta"] = (r, m) => Repo.Native.Xattrs.Remove(FileObject(r, m, "/hello.txt"), "user.ostreemeta"u8),
        ["ostreemeta-bad-bits"] = (r, m) => Repo.Native.Xattrs.Set(FileObject(r, m, "/hello.txt"), "user.ostreemeta"u8, Convert.FromHexString("00000000000000000001a1ed")),
        ["ostreemeta-other-owner"] = (r, m) => Repo.Native.Xattrs.Set(FileObject(r, m, "/hello.txt"), "user.ostreemeta"u8, Convert.FromHexString("000003e8000003e8000081a4")),
        ["symlink-target"] = (r, m) => RewriteSymlink(FileObject(r, m, "/link"), m),
        ["wrong-mode"] = (r, m) => OstreeRepos.SetMode(FileObject(r, m, "/bin/tool"), 0x180),
        ["wrong-owner"] = (r, m) => ProcessRunner.RunOk("chown", "-h", "7:7", FileObject(r, m, "/hello.txt")),
        ["extra-xattr"] = (r, m) => ProcessRunner.RunOk("setfattr", "-n", "user.extra", "-v", "1", FileObject(r, m, "/hello.txt")),
        ["fifo"] = (r, m) => { var p = FileObject(r, m, "/hello.txt"); File.Delete(p); ProcessRunner.RunOk("mkfifo", p); },
        ["name-dotdot"] = (r, _) => HostileObjects.CommitWithFileName(r, "..", Checksum.Parse(OstreeRepos.ChecksumOf(r, "main", "/hello.txt"))),
        ["name-dot"] = (r, _) => HostileObjects.CommitWithFileName(r, ".", Checksum.Parse(OstreeRepos.ChecksumOf(r, "main", "/hello.txt"))),
        ["name-slash"] = (r, _) => HostileObjects.CommitWithFileName(r, "a/b", Checksum.Parse(OstreeRepos.ChecksumOf(r, "main", "/hello.txt"))),
        ["partial"] = (r, _) => File.WriteAllBytes(Path.Combine(r, "state", Head(r) + ".commitpartial"), []),
        ["fsck-partial"] = (r, _) => File.WriteAllText(Path.Combine(r, "state", Head(r) + ".commitpartial"), "f"),
        ["other-ref"] = (r, _) => OstreeOracle.RunOk("refs", $"--repo={r}", "main", "--create=other"),
        ["remote-ref"] = (r, _) =>
        {
            Directory.CreateDirectory(Path.Combine(r, "refs", "remotes", "origin"));
            File.Copy(Path.Combine(r, "refs", "heads", "main"), Path.Combine(r, "refs", "remotes", "origin", "main"));
        },
        ["mirror-ref"] = (r, _) =>
        {
            Directory.CreateDirectory(Path.Combine(r, "refs", "mirrors", "org.example.Os"));
            File.Copy(Path.Combine(r, "refs", "heads", "main"), Path.Combine(r, "refs", "mirrors", "org.example.Os", "main"));
        },
    };

    public static TheoryData<string, string, string> FsckCases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var mode in OstreeRepos.Modes) data.Add(mode, "none", "");
        foreach (var flags in new[] { "--all", "", "--delete" })
        {
            foreach (var damage in new[] { "flip-payload", "flip-last-byte", "truncate-object", "truncate-header", "missing-file", "missing-dirtree",
                "missing-dirmeta", "flip-dirtree-name", "flip-dirtree-checksum", "truncate-dirtree", "flip-commit", "missing-commit" })
                data.Add("archive", damage, flags);
            foreach (var damage in new[] { "no-ostreemeta", "ostreemeta-bad-bits", "ostreemeta-other-owner", "symlink-target", "flip-payload" })
                data.Add("bare-user", damage, flags);
        }
        foreach (var damage in new[] { "wrong-mode", "wrong-owner", "extra-xattr", "fifo", "symlink-target", "truncate-object" })
            data.Add("bare", damage, "--all");
        foreach (var damage in new[] { "wrong-mode", "extra-xattr", "fifo", "symlink-target" })
            data.Add("bare-user-only", damage, "--all");
        foreach (var damage in new[] { "name-dotdot", "name-dot", "name-slash" })
        {
            data.Add("archive", damage, "--all");
            data.Add("bare-user", damage, "");
        }
        data.Add("archive", "partial", "");
        data.Add("archive", "fsck-partial", "");
        data.Add("archive", "missing-file", "--quiet");
        data.Add("archive", "other-ref", "--verify-bindings");
        data.Add("archive", "none", "--verify-bindings");
        data.Add("archive", "remote-ref", "--verify-bindings");
        data.Add("archive", "mirror-ref", "");
        data.Add("archive", "none", "--verify-back-refs");
        data.Add("archive", "other-ref", "--verify-back-refs --quiet");
        return data;
    }

    [Theory]
    [MemberData(nameof(FsckCases))]
    public void FsckAgreesWithOstree(string mode, string damage, string flags)
    {
        var (ostreeRepo, arborRepo) = TwinRepos(mode, r => Damages[damage](r, mode));
        var flagList = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ostree = OstreeOracle.Run(["fsck", $"--repo={ostreeRepo}", .. flagList]);
        var arbor = CliRunner.Run(["fsck", $"--repo={arborRepo}", .. flagList]);
        Assert.Equal(ostree.ExitCode, arbor.ExitCode);
        Assert.Equal(WithoutProgress(ostree.Stdout), WithoutProgress(arbor.Stdout));
        Assert.Equal(Lines(ostree.Stderr).Order(StringComparer.Ordinal), Lines(arbor.Stderr).Order(StringComparer.Ordinal));
        Assert.Equal(Snapshot(ostreeRepo), Snapshot(arborRepo));
    }

    [Fact]
    public void AddTombstonesAgreesWithOstree()
    {
        var (ostreeRepo, arborRepo) = TwinRepos("archive", r =>
        {
            var first = Head(r);
            OstreeRepos.Commit(r, "main", OstreeRepos.WriteSampleTree(Path.Combine(Path.GetDirectoryName(r)!, "tree2-" + Path.GetFileName(r)), variant: "2"), "archive");
            File.Delete(OstreeRepos.ObjectPath(r, first, "commit"));
        });
        var ostree = OstreeOracle.Run("fsck", $"--repo={ostreeRepo}", "--add-tombstones");
        var arbor = CliRunner.Run("fsck", $"--repo={arborRepo}", "--add-tombstones");
        Assert.Equal(ostree.ExitCode, arbor.ExitCode);
        Assert.Equal(WithoutProgress(ostree.Stdout), WithoutProgress(arbor.Stdout));
        Assert.Equal(Snapshot(ostreeRepo), Snapshot(arborRepo));
        Assert.Equal(File.ReadAllText(Path.Combine(ostreeRepo, "config")), File.ReadAllText(Path.Combine(arborRepo, "config")));
    }

    [Fact]
    public void ASoundRepositoryPrintsExactlyWhatOstreePrints()
    {
        var (archive, bareUser) = VectorRepos.Extract(_tmp.Path);
        foreach (var repo in new[] { archive, bareUser })
        {
            var ostree = OstreeOracle.Run("fsck", $"--repo={repo}");
            var arbor = CliRunner.Run("fsck", $"--repo={repo}");
            Assert.Equal(0, arbor.ExitCode);
            Assert.Equal(ostree.Stdout, arbor.Stdout); // 34 objects: the first and the last progress line only
            Assert.Equal(ostree.Stderr, arbor.Stderr);
        }
    }

    // ---- prune ----

    public static TheoryData<string, string> PruneCases() => new()
    {
        { "none", "" },
        { "none", "--refs-only" },
        { "none", "--refs-only --depth=0" },
        { "none", "--refs-only --depth=1 --no-prune" },
        { "none", "--depth=0" },
        { "none", "--refs-only --depth=0 --commit-only" },
        { "none", "--keep-younger-than=2021-01-03" },
        { "none", "--keep-younger-than=2031-01-01" },
        { "none", "--retain-branch-depth=main=1 --depth=0" },
        { "none", "--retain-branch-depth=main=0 --depth=0" },
        { "none", "--only-branch=main --depth=0" },
        { "none", "--only-branch=nope" },
        { "none", "--static-deltas-only" },
        { "other-ref", "--refs-only --depth=0" },
        { "deleted-ref", "--refs-only" },
        { "deleted-ref", "--refs-only --no-prune" },
        { "deployment-ref", "--refs-only --depth=0" },
        { "remote-ref", "--refs-only --depth=0" },
        { "mirror-ref", "--refs-only --depth=0" },
        { "tombstones", "--refs-only --depth=0" },
        { "partial", "--refs-only --depth=1" },
        { "summary-cache", "--refs-only" },
        { "delete-c1", "" },
        { "delete-head", "" },
        { "delete-c1-no-prune", "--no-prune" },
        { "delete-c1-deltas", "--static-deltas-only" },
    };

    [Theory]
    [MemberData(nameof(PruneCases))]
    public void PruneAgreesWithOstree(string setup, string flags)
    {
        var (ostreeRepo, arborRepo) = TwinRepos("archive", _ => { }, history: true);
        var flagList = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var commits = History(ostreeRepo);
        foreach (var repo in new[] { ostreeRepo, arborRepo })
        {
            switch (setup)
            {
                case "other-ref": OstreeOracle.RunOk("refs", $"--repo={repo}", commits[1], "--create=other"); break;
                case "deleted-ref": OstreeOracle.RunOk("refs", $"--repo={repo}", "--delete", "main"); break;
                case "deployment-ref":
                    Directory.CreateDirectory(Path.Combine(repo, "refs", "heads", "ostree", "0", "1"));
                    File.WriteAllText(Path.Combine(repo, "refs", "heads", "ostree", "0", "1", "0"), commits[0] + "\n");
                    break;
                case "remote-ref":
                    Directory.CreateDirectory(Path.Combine(repo, "refs", "remotes", "origin"));
                    File.WriteAllText(Path.Combine(repo, "refs", "remotes", "origin", "old"), commits[1] + "\n");
                    break;
                case "mirror-ref":
                    Directory.CreateDirectory(Path.Combine(repo, "refs", "mirrors", "org.example.Os"));
                    File.WriteAllText(Path.Combine(repo, "refs", "mirrors", "org.example.Os", "old"), commits[0] + "\n");
                    break;
                case "tombstones": OstreeOracle.RunOk("config", $"--repo={repo}", "set", "core.tombstone-commits", "true"); break;
                case "partial": File.WriteAllBytes(Path.Combine(repo, "state", commits[0] + ".commitpartial"), []); break;
                case "summary-cache":
                    Directory.CreateDirectory(Path.Combine(repo, "tmp", "cache", "summaries"));
                    OstreeOracle.RunOk("remote", "add", $"--repo={repo}", "--no-gpg-verify", "kept", "http://127.0.0.1:1/");
                    foreach (var name in new[] { "kept", "kept.sig", "gone", "gone.sig" })
                        File.WriteAllText(Path.Combine(repo, "tmp", "cache", "summaries", name), "x");
                    break;
            }
        }
        if (setup.StartsWith("delete-c1", StringComparison.Ordinal)) flagList.Add($"--delete-commit={commits[0]}");
        if (setup == "delete-head") flagList.Add($"--delete-commit={commits[^1]}");
        var ostree = OstreeOracle.Run(["prune", $"--repo={ostreeRepo}", .. flagList]);
        var arbor = CliRunner.Run(["prune", $"--repo={arborRepo}", .. flagList]);
        Assert.Equal(ostree.ExitCode, arbor.ExitCode);
        Assert.Equal(ostree.Stdout, arbor.Stdout);
        if (ostree.ExitCode != 0) Assert.Equal(LastLine(ostree.Stderr), LastLine(arbor.Stderr));
        Assert.Equal(Snapshot(ostreeRepo), Snapshot(arborRepo));
        Assert.Equal(File.ReadAllText(Path.Combine(ostreeRepo, "config")), File.ReadAllText(Path.Combine(arborRepo, "config")));
    }

    // ---- helpers ----

    /// <summary>Two identical copies of a repository made by ostree, each damaged by <paramref name="damage"/>.</summary>
    private (string Ostree, string Arbor) TwinRepos(string mode, Action<string> damage, bool history = false)
    {
        string source;
        if (history) source = HistoryRepo();
        else source = OstreeRepos.Sample(_tmp.Combine("src"), mode).Repo;
        var o = OstreeRepos.Copy(source, _tmp.Combine("ostree"));
        var a = OstreeRepos.Copy(source, _tmp.Combine("arbor"));
        damage(o);
        damage(a);
        return (o, a);
    }

    /// <summary>main: four commits a day apart, a static delta between the last two.</summary>
    private string HistoryRepo()
    {
        var repo = OstreeRepos.Init(_tmp.Combine("history"), "archive");
        for (int i = 0; i < 4; i++)
        {
            var tree = OstreeRepos.WriteSampleTree(_tmp.Combine($"htree{i}"), variant: i.ToString());
            OstreeOracle.RunOk("commit", $"--repo={repo}", "--branch=main", "--owner-uid=0", "--owner-gid=0",
                $"--timestamp=2021-01-0{i + 1}T00:00:00Z", $"--subject=c{i}", tree);
        }
        var commits = History(repo);
        OstreeOracle.RunOk("static-delta", "generate", $"--repo={repo}", $"--from={commits[0]}", $"--to={commits[1]}");
        OstreeOracle.RunOk("static-delta", "generate", $"--repo={repo}", $"--from={commits[2]}", $"--to={commits[3]}");
        return repo;
    }

    /// <summary>main's commits, oldest first.</summary>
    private static List<string> History(string repo)
    {
        var log = OstreeOracle.RunOk("log", $"--repo={repo}", "main");
        var commits = log.Split('\n').Where(l => l.StartsWith("commit ", StringComparison.Ordinal)).Select(l => l[7..].Trim()).ToList();
        commits.Reverse();
        return commits;
    }

    private static string Head(string repo) => File.ReadAllText(Path.Combine(repo, "refs", "heads", "main")).Trim();

    private static string FileObject(string repo, string mode, string path) =>
        OstreeRepos.FileObjectPath(repo, mode, OstreeRepos.ChecksumOf(repo, "main", path));

    private static string DirMeta(string repo, string path)
    {
        var line = OstreeOracle.RunOk("ls", $"--repo={repo}", "-C", "-d", "main", path).Trim();
        return line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[5];
    }

    private static void RewriteSymlink(string objectPath, string mode)
    {
        File.Delete(objectPath);
        if (mode == "bare-user") File.WriteAllText(objectPath, "elsewhere\0");
        else File.CreateSymbolicLink(objectPath, "elsewhere");
    }

    private static List<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static List<string> WithoutProgress(string stdout) =>
        Lines(stdout).Where(l => !l.StartsWith("fsck objects (", StringComparison.Ordinal)).ToList();

    private static string LastLine(string text) => Lines(text).LastOrDefault() ?? "";

    /// <summary>Every path under the repository with its type and content hash (the lock file and tmp/ aside).</summary>
    private static List<string> Snapshot(string repo)
    {
        var result = new List<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(repo, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(repo, path);
            if (rel == ".lock" || rel.StartsWith("tmp/staging", StringComparison.Ordinal)) continue;
            var st = Repo.Native.Files.LStat(path);
            if (st.IsSymlink) result.Add($"{rel} -> {Repo.Native.Files.ReadLink(path)}");
            else if (st.IsDirectory) result.Add(rel + "/");
            else if (rel == "config") result.Add(rel); // compared as text where it matters
            else if (!st.IsRegular) result.Add($"{rel} (type {st.FileType:x})");
            else result.Add($"{rel} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))}");
        }
        result.Sort(StringComparer.Ordinal);
        return result;
    }
}
