using System.Globalization;
using System.Text.RegularExpressions;
using Arbor.Repo.Core;
using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// core.min-free-space-percent / -size, with the real ostree 2022.7 and arbor side by side: each
/// tool has its own small tmpfs (in a private mount namespace) holding a bare-user repository with
/// the same first commit, then meets the same configuration and the same tree. Exit codes and
/// stderr must be equal; after a refused write the ref has not moved, no staging directory is
/// left and both tools' fsck pass.
/// </summary>
public sealed class MinFreeSpaceCompatTests : IDisposable
{
    private const int BlockSize = 4096;
    private static readonly string[] Sides = ["ostree", "arbor"];
    private readonly ScratchNamespace _ns;

    public MinFreeSpaceCompatTests()
    {
        OstreeOracle.Require();
        _ns = new ScratchNamespace(64);
    }

    public void Dispose() => _ns.Dispose();

    private CliResult Tool(string side, params string[] args) =>
        _ns.Run(side == "ostree" ? "/usr/bin/ostree" : ArborProcess.Executable, args);

    private string ToolOk(string side, params string[] args)
    {
        var r = Tool(side, args);
        Assert.True(r.ExitCode == 0, $"{side} {string.Join(' ', args)}: {r}");
        return r.Stdout;
    }

    private string Repo(string side) => _ns.InnerPath(side + "/repo");

    /// <summary>Both sides' tmpfs of <paramref name="sizeMb"/>, a bare-user repository and a commit of a 100 kB file on <c>main</c>.</summary>
    private void Setup(int sizeMb)
    {
        WriteTree("small", "a", 100_000);
        foreach (var side in Sides)
        {
            Directory.CreateDirectory(_ns.HostPath(side));
            var m = _ns.Run("mount", ["-t", "tmpfs", "-o", $"size={sizeMb}m", "tmpfs", _ns.InnerPath(side)]);
            Assert.True(m.ExitCode == 0, m.ToString());
            ToolOk(side, "init", "--repo=" + Repo(side), "--mode=bare-user");
            Commit(side, "small");
        }
    }

    private CliResult Commit(string side, string tree) =>
        Tool(side, "commit", "--repo=" + Repo(side), "-b", "main", "-s", tree, "--timestamp=2024-01-01T00:00:00Z", _ns.InnerPath("trees/" + tree));

    /// <summary>A tree of one file of random bytes (one file, so the object that crosses the limit is the same for both tools).</summary>
    private void WriteTree(string tree, string file, int size)
    {
        var dir = _ns.HostPath("trees/" + tree);
        Directory.CreateDirectory(dir);
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        File.WriteAllBytes(Path.Join(dir, file), bytes);
    }

    /// <summary>Sets (or with null removes) a <c>[core]</c> key, editing the file as a user would (ostree's own <c>config set</c> refuses to open a repository with an invalid value).</summary>
    private void SetCore(string key, string? value)
    {
        foreach (var side in Sides)
        {
            var path = _ns.HostPath(side + "/repo/config");
            var lines = File.ReadAllLines(path).Where(l => !l.StartsWith(key + "=", StringComparison.Ordinal)).ToList();
            if (value is not null) lines.Insert(lines.IndexOf("[core]") + 1, $"{key}={value}");
            File.WriteAllLines(path, lines);
        }
    }

    private ulong FreeBlocks(string side)
    {
        var r = _ns.Run("stat", ["-f", "-c", "%f %S", _ns.InnerPath(side)]);
        var parts = r.Stdout.Trim().Split(' ');
        Assert.Equal(BlockSize.ToString(CultureInfo.InvariantCulture), parts[1]);
        return ulong.Parse(parts[0], CultureInfo.InvariantCulture);
    }

    /// <summary>The same failure on both sides; then main is where it was, no staging is left, and both fsck pass.</summary>
    private void BothRefuse(string tree, string expectedStderr)
    {
        var heads = Sides.Select(s => ToolOk(s, "rev-parse", "--repo=" + Repo(s), "main")).ToList();
        var o = Commit("ostree", tree);
        var a = Commit("arbor", tree);
        Assert.Equal((1, expectedStderr), (o.ExitCode, o.Stderr));
        Assert.Equal((o.ExitCode, o.Stderr), (a.ExitCode, a.Stderr));
        for (int i = 0; i < Sides.Length; i++)
        {
            var side = Sides[i];
            Assert.Equal(heads[i], ToolOk(side, "rev-parse", "--repo=" + Repo(side), "main"));
            Assert.Equal(["cache"], Directory.EnumerateFileSystemEntries(_ns.HostPath(side + "/repo/tmp")).Select(Path.GetFileName));
            foreach (var checker in Sides) ToolOk(checker, "fsck", "--repo=" + Repo(side));
        }
    }

    private void BothCommit(string tree)
    {
        foreach (var side in Sides)
        {
            var r = Commit(side, tree);
            Assert.True(r.ExitCode == 0, $"{side}: {r}");
            foreach (var checker in Sides) ToolOk(checker, "fsck", "--repo=" + Repo(side));
        }
        Assert.Equal(ToolOk("ostree", "rev-parse", "--repo=" + Repo("ostree"), "main"), ToolOk("arbor", "rev-parse", "--repo=" + Repo("arbor"), "main"));
    }

    [Fact]
    public void TheDefaultThreePercentRefusesAFileThatWouldCrossItAndZeroLetsItThrough()
    {
        Setup(16);
        // 3% of 16 MiB = 122 blocks: a file taking 60 blocks fewer than are free fits the disk, not the reserve
        var free = Sides.Select(FreeBlocks).ToList();
        Assert.True(free.Max() - free.Min() < 40, $"free blocks: {string.Join(", ", free)}");
        ulong objectBlocks = free.Min() - 60;
        WriteTree("big", "b", (int)((objectBlocks - 1) * BlockSize + 100));
        BothRefuse("big", $"error: Writing content object: min-free-space-percent '3%' would be exceeded, at least {SizeFormat.Format(objectBlocks * BlockSize)} requested\n");

        SetCore("min-free-space-percent", "0");
        BothCommit("big");
    }

    [Fact]
    public void MinFreeSpaceSizeWinsOverThePercentAndZeroMbTurnsTheCheckOff()
    {
        Setup(16);
        WriteTree("nine", "b", 9_000_000);
        SetCore("min-free-space-size", "8MB");
        SetCore("min-free-space-percent", "50");
        ulong blocks = 9_000_000 / BlockSize + 1;
        BothRefuse("nine", $"error: Writing content object: min-free-space-size 8MB would be exceeded, at least {SizeFormat.Format(blocks * BlockSize)} requested\n");

        // a size beyond 2^64 bytes is accepted when the repository opens, refused when a transaction starts
        SetCore("min-free-space-percent", null);
        SetCore("min-free-space-size", "17592186044416MB");
        BothRefuse("nine", "error: Error calculating min-free-space bytes: min-free-space value is greater than the maximum allowed value of 17592186044415 bytes\n");

        SetCore("min-free-space-size", "0MB");
        BothCommit("nine");
    }

    [Theory]
    [InlineData("min-free-space-percent", "100")]
    [InlineData("min-free-space-percent", "-1")]
    [InlineData("min-free-space-size", "1KB")]
    [InlineData("min-free-space-size", "5MB ")]
    [InlineData("min-free-space-size", "18014398509481984GB")]
    public void AnInvalidValueFailsOpeningTheRepositoryAlike(string key, string value)
    {
        Setup(16);
        SetCore(key, value);
        foreach (var args in new[] { new[] { "refs" }, ["commit", "-b", "main", _ns.InnerPath("trees/small")] })
        {
            var o = Tool("ostree", [.. args, "--repo=" + Repo("ostree")]);
            var a = Tool("arbor", [.. args, "--repo=" + Repo("arbor")]);
            Assert.Equal(1, o.ExitCode);
            Assert.StartsWith($"error: opening repo: Invalid {key} '{value}'", o.Stderr, StringComparison.Ordinal);
            Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        }
    }

    [Fact]
    public void PullsAreHeldToTheSameLimitsAndADeltaToTheFreeSpace()
    {
        Setup(8);
        var srv = _ns.InnerPath("srv");
        WriteTree("twelve", "b", 12_000_000);
        _ns.OstreeOk("init", "--repo=" + srv, "--mode=archive");
        _ns.OstreeOk("commit", "--repo=" + srv, "-b", "main", _ns.InnerPath("trees/twelve"));
        _ns.OstreeOk("static-delta", "generate", "--repo=" + srv, "--empty", "--to=main", "--min-fallback-size=0");
        _ns.OstreeOk("summary", "-u", "--repo=" + srv);
        foreach (var side in Sides) ToolOk(side, "remote", "add", "--repo=" + Repo(side), "--no-gpg-verify", "origin", "file://" + srv);

        var free = Sides.Select(FreeBlocks).ToList();
        Assert.Equal(free[0], free[1]);
        var delta = Sides.Select(s => Tool(s, "pull", "--repo=" + Repo(s), "--require-static-deltas", "origin", "main")).ToList();
        Assert.Equal(1, delta[0].ExitCode);
        // the parts' uncompressed size: the file, its header and the metadata
        Assert.Matches($"^error: Delta requires 12\\.0\u00A0MB free space, but only {Regex.Escape(SizeFormat.Format(free[0] * BlockSize))} available\n$", delta[0].Stderr);
        Assert.Equal((delta[0].ExitCode, delta[0].Stderr), (delta[1].ExitCode, delta[1].Stderr));

        var expected = $"error: Writing content object: min-free-space-percent '3%' would be exceeded, at least {SizeFormat.Format((12_000_000 / BlockSize + 1) * BlockSize)} requested\n";
        foreach (var args in new[] { new[] { "pull", "--disable-static-deltas", "origin", "main" }, ["pull-local", srv, "main"] })
        {
            foreach (var side in Sides)
            {
                var r = Tool(side, [.. args, "--repo=" + Repo(side)]);
                Assert.True((1, expected) == (r.ExitCode, r.Stderr), $"{side} {args[0]}: {r}");
                Assert.False(File.Exists(_ns.HostPath(side + "/repo/refs/remotes/origin/main")));
                Assert.Equal(["cache"], Directory.EnumerateFileSystemEntries(_ns.HostPath(side + "/repo/tmp")).Select(Path.GetFileName));
                foreach (var checker in Sides) ToolOk(checker, "fsck", "--repo=" + Repo(side));
            }
        }
    }

    [Fact]
    public void ADeltaPartOverTheReserveFailsThePullAlikeAndApplyOfflineLeavesNothing()
    {
        Setup(16);
        SetCore("min-free-space-size", "8MB");
        var srv = _ns.InnerPath("srv");
        WriteTree("nine", "b", 9_000_000);
        _ns.OstreeOk("init", "--repo=" + srv, "--mode=archive");
        _ns.OstreeOk("commit", "--repo=" + srv, "-b", "main", _ns.InnerPath("trees/nine"));
        _ns.OstreeOk("static-delta", "generate", "--repo=" + srv, "--empty", "--to=main", "--min-fallback-size=0");
        _ns.OstreeOk("summary", "-u", "--repo=" + srv);
        var expected = $"error: Writing content object: min-free-space-size 8MB would be exceeded, at least {SizeFormat.Format((9_000_000 / BlockSize + 1) * BlockSize)} requested\n";
        foreach (var side in Sides)
        {
            ToolOk(side, "remote", "add", "--repo=" + Repo(side), "--no-gpg-verify", "origin", "file://" + srv);
            var r = Tool(side, "pull", "--repo=" + Repo(side), "--require-static-deltas", "origin", "main");
            Assert.True((1, expected) == (r.ExitCode, r.Stderr), $"{side}: {r}");
            Assert.False(File.Exists(_ns.HostPath(side + "/repo/refs/remotes/origin/main")));
        }

        // apply-offline: ostree names the opcode ("Executing delta part 0: opcode open-splice-and-close: opcode
        // close: ...") and leaves its staging directory to a later transaction; arbor fails as a content write does
        var delta = Directory.EnumerateDirectories(_ns.HostPath("srv/deltas"), "*", SearchOption.AllDirectories).Single(d => File.Exists(Path.Join(d, "superblock")));
        var innerDelta = _ns.Inner + delta[_ns.Path.Length..];
        var o = Tool("ostree", "static-delta", "apply-offline", "--repo=" + Repo("ostree"), innerDelta);
        Assert.Equal(1, o.ExitCode);
        Assert.EndsWith("min-free-space-size 8MB would be exceeded, at least 9.0\u00A0MB requested\n", o.Stderr, StringComparison.Ordinal);
        var a = Tool("arbor", "static-delta", "apply-offline", "--repo=" + Repo("arbor"), innerDelta);
        Assert.Equal((1, expected), (a.ExitCode, a.Stderr));
        Assert.Equal(["cache"], Directory.EnumerateFileSystemEntries(_ns.HostPath("arbor/repo/tmp")).Select(Path.GetFileName));
        foreach (var side in Sides)
            foreach (var checker in Sides) ToolOk(checker, "fsck", "--repo=" + Repo(side));
    }
}
