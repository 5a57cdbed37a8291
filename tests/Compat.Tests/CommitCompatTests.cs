using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// The same input committed by the real ostree and by arbor gives the same commit checksum, in
/// every repository mode, for every input kind and modifier; and ostree's fsck accepts what
/// arbor wrote.
/// </summary>
public sealed class CommitCompatTests
{
    private const string Timestamp = "--timestamp=2021-06-01T12:00:00Z";

    /// <summary>
    /// Names with unicode and spaces, empty files and directories, symlinks (relative, absolute,
    /// dangling), setuid/setgid/sticky, hardlinks, user.*/security.*/trusted.* xattrs (one empty),
    /// owners other than 0, and a directory of 3000 entries (a dirtree over 64 KiB: 4-byte offsets).
    /// </summary>
    internal static string BuildTree(string dir)
    {
        const string script = """
            set -euo pipefail
            umask 022
            mkdir -p "$T" && cd "$T"
            mkdir -p 'dir with space/ñandú' emptydir owned sticky many 'ü'
            : > empty
            printf 'hello\n' > 'with space.txt'
            printf 'unicode\n' > '名前.txt'
            printf 'nested\n' > 'dir with space/ñandú/x'
            head -c 300000 /dev/urandom > big.bin
            printf '#!/bin/sh\n' > suid; chmod 4755 suid
            printf 'g\n' > sgid; chmod 2755 sgid
            printf 'w\n' > world-writable; chmod 0666 world-writable
            chmod 1777 sticky
            ln -s 'with space.txt' rel-link
            ln -s /etc/os-release abs-link
            ln -s does/not/exist dangling
            printf 'linked\n' > 'ü/hard1'; ln 'ü/hard1' 'ü/hard2'; ln 'ü/hard1' hard3
            printf 'xattrs\n' > xattrs.txt
            setfattr -n user.second -v 2 xattrs.txt
            setfattr -n user.first -v 1 xattrs.txt
            setfattr -n user.empty -v '' xattrs.txt
            setfattr -n security.arbor -v sec xattrs.txt
            setfattr -n trusted.arbor -v tr xattrs.txt
            setfattr -n user.dir -v d 'dir with space'
            printf 'mine\n' > owned/file
            chown -R 1234:5678 owned
            chown -h 42:43 rel-link
            for i in $(seq 1 3000); do : > "many/entry-with-a-longish-name-$i"; done
            """;
        var r = ProcessRunner.Run("bash", ["-c", script], env: new Dictionary<string, string> { ["T"] = dir });
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"building the fixture failed:\n{r}");
        return dir;
    }

    internal sealed class Twins : IDisposable
    {
        public TempDirectory Tmp { get; } = new("commit-compat");
        public string Ostree => Tmp.Combine("ostree-repo");
        public string Arbor => Tmp.Combine("arbor-repo");
        public string Tree { get; }

        public Twins(string mode)
        {
            OstreeOracle.Require();
            Privileged.RequireRoot();
            Tree = BuildTree(Tmp.Combine("tree"));
            OstreeOracle.RunOk("init", "--repo=" + Ostree, "--mode=" + mode);
            OstreeOracle.RunOk("init", "--repo=" + Arbor, "--mode=" + mode);
        }

        /// <summary>Commits with both tools and returns the two checksums.</summary>
        public (string Ostree, string Arbor) Commit(params string[] args)
        {
            var o = OstreeOracle.Run(["commit", "--repo=" + Ostree, Timestamp, .. args]);
            if (o.ExitCode != 0) throw new Xunit.Sdk.XunitException($"ostree commit failed:\n{o}");
            var a = CliRunner.Run(["commit", "--repo=" + Arbor, Timestamp, .. args]);
            if (a.ExitCode != 0) throw new Xunit.Sdk.XunitException($"arbor commit failed:\n{a}");
            Assert.Equal("", a.Stderr);
            return (o.Stdout.Trim(), a.Stdout.Trim());
        }

        public void AssertFsck()
        {
            var r = OstreeOracle.Run("fsck", "--repo=" + Arbor);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("no errors found", r.Stdout);
            Assert.Equal(["cache"], Directory.GetFileSystemEntries(Path.Combine(Arbor, "tmp")).Select(Path.GetFileName));
        }

        /// <summary>
        /// ostree's own fsck of both repositories gives the same verdict. (A tar's xattrs are committed
        /// in libarchive's order, unsorted; in bare mode fsck re-reads them sorted from disk, so ostree
        /// 2022.7 reports its own object as corrupt — arbor must write the same object, not a "fixed" one.)
        /// </summary>
        public void AssertFsckAgreesWithOstree()
        {
            var o = OstreeOracle.Run("fsck", "--repo=" + Ostree);
            var a = OstreeOracle.Run("fsck", "--repo=" + Arbor);
            Assert.Equal(o.ExitCode, a.ExitCode);
            Assert.Equal(o.Stderr, a.Stderr);
            Assert.Equal(["cache"], Directory.GetFileSystemEntries(Path.Combine(Arbor, "tmp")).Select(Path.GetFileName));
        }

        public void Dispose() => Tmp.Dispose();
    }

    public static TheoryData<string> Modes => new() { "archive", "bare", "bare-user", "bare-user-only" };

    private static string[] ModeArgs(string mode) => mode == "bare-user-only" ? ["--canonical-permissions"] : [];

    [Theory]
    [MemberData(nameof(Modes))]
    public void DirectoryCommitsMatchOstree(string mode)
    {
        using var t = new Twins(mode);
        var extra = ModeArgs(mode);
        var (o, a) = t.Commit(["-b", "main", "-s", "subject", "-m", "body", "--add-metadata-string=version=1", .. extra, t.Tree]);
        Assert.Equal(o, a);
        (o, a) = t.Commit(["-b", "main", "-s", "second, with parent", .. extra, "--tree=dir=" + t.Tree]);
        Assert.Equal(o, a);
        t.AssertFsck();
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void OwnerOverridesMatchOstree(string mode)
    {
        using var t = new Twins(mode);
        string[] owner = mode == "bare-user-only" ? ["--owner-uid=0", "--owner-gid=0"] : ["--owner-uid=7", "--owner-gid=8"];
        var (o, a) = t.Commit(["-b", "owned", .. owner, .. ModeArgs(mode), t.Tree]);
        Assert.Equal(o, a);
        t.AssertFsck();
    }

    [Theory]
    [InlineData("archive")]
    [InlineData("bare")]
    [InlineData("bare-user")]
    public void CanonicalPermissionsAndNoXattrsMatchOstree(string mode)
    {
        using var t = new Twins(mode);
        var (o, a) = t.Commit("-b", "canonical", "--canonical-permissions", t.Tree);
        Assert.Equal(o, a);
        (o, a) = t.Commit("-b", "noxattrs", "--no-xattrs", t.Tree);
        Assert.Equal(o, a);
        t.AssertFsck();
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void TarCommitsMatchOstree(string mode)
    {
        using var t = new Twins(mode);
        var tar = t.Tmp.Combine("tree.tar");
        ProcessRunner.RunOk("tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-C", t.Tree, "-cf", tar, ".");
        var (o, a) = t.Commit(["-b", "tar", .. ModeArgs(mode), "--tree=tar=" + tar]);
        Assert.Equal(o, a);

        var tgz = t.Tmp.Combine("tree.tar.gz");
        ProcessRunner.RunOk("tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-C", t.Tree, "-czf", tgz, ".");
        (o, a) = t.Commit(["-b", "tgz", "--owner-uid=0", "--owner-gid=0", .. ModeArgs(mode), "--tree=tar=" + tgz]);
        Assert.Equal(o, a);

        // no directory entries at all: parents created as ostree creates them
        var flat = t.Tmp.Combine("flat.tar");
        ProcessRunner.RunOk("tar", "--numeric-owner", "--no-recursion", "-C", t.Tree, "-cf", flat, "owned/file", "dir with space/ñandú/x", "hard3");
        (o, a) = t.Commit(["-b", "flat", "--tar-autocreate-parents", .. ModeArgs(mode), "--tree=tar=" + flat]);
        Assert.Equal(o, a);
        t.AssertFsckAgreesWithOstree();
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void RefTreesAndLayersMatchOstree(string mode)
    {
        using var t = new Twins(mode);
        var extra = ModeArgs(mode);
        var (o, a) = t.Commit(["-b", "main", .. extra, t.Tree]);
        Assert.Equal(o, a);
        var overlay = t.Tmp.Combine("overlay");
        var r = ProcessRunner.Run("bash", ["-c", "set -e; umask 022; mkdir -p \"$O/owned\" \"$O/new dir\"; printf 'over\\n' > \"$O/with space.txt\"; printf 'n\\n' > \"$O/new dir/n\"; chmod 0700 \"$O/owned\""],
            env: new Dictionary<string, string> { ["O"] = overlay });
        Assert.True(r.ExitCode == 0, r.ToString());

        (o, a) = t.Commit(["-b", "copy", .. extra, "--tree=ref=main"]);
        Assert.Equal(o, a);
        (o, a) = t.Commit(["-b", "layered", .. extra, "--tree=ref=main", "--tree=dir=" + overlay]);
        Assert.Equal(o, a);
        (o, a) = t.Commit(["-b", "reowned", "--owner-uid=0", "--owner-gid=0", .. extra, "--tree=ref=main"]);
        Assert.Equal(o, a);
        t.AssertFsck();
    }

    [Theory]
    [InlineData("uint32 42")]
    [InlineData("'str'")]
    [InlineData("true")]
    [InlineData("['a', 'b']")]
    [InlineData("@as []")]
    [InlineData("int64 -5")]
    [InlineData("{'k': <1>, 'l': <'x'>}")]
    [InlineData("(1, 'x', byte 0x10)")]
    [InlineData("[1, 2.5]")]
    [InlineData("b'bytes'")]
    [InlineData("just 'x'")]
    [InlineData("010")]
    public void AddMetadataValuesMatchOstree(string value)
    {
        using var t = new Twins("archive");
        var (o, a) = t.Commit("-b", "m", "--add-metadata-string=s=1", "--add-metadata=v=" + value, "--add-metadata-string=t=2", "--bind-ref=other", t.Tree);
        Assert.Equal(o, a);
    }

    [Fact]
    public void OrphansBindingsAndParentsMatchOstree()
    {
        using var t = new Twins("archive");
        var (o, a) = t.Commit("--orphan", t.Tree);
        Assert.Equal(o, a);
        (o, a) = t.Commit("--orphan", "--no-bindings", t.Tree);
        Assert.Equal(o, a);
        (o, a) = t.Commit("-b", "x", "--parent=" + o, "--bind-ref=x", "--bind-ref=a", t.Tree);
        Assert.Equal(o, a);
        (o, a) = t.Commit("-b", "x", "--keep-metadata=ostree.ref-binding", "--add-metadata-string=version=2", t.Tree);
        Assert.Equal(o, a);
        (o, a) = t.Commit("-b", "x", "--parent=none", "-s", "root again", t.Tree);
        Assert.Equal(o, a);
    }
}
