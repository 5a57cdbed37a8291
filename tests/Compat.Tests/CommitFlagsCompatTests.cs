using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// <c>commit</c>'s filtering, base, bootable, sizes, statistics and signing options: the same flags
/// through the real ostree and through arbor give the same commit checksum (or output, or error).
/// </summary>
public sealed class CommitFlagsCompatTests
{
    private const string Timestamp = "--timestamp=2021-06-01T12:00:00Z";

    public static TheoryData<string> Modes => new() { "archive", "bare", "bare-user", "bare-user-only" };

    private static string[] ModeArgs(string mode) => mode == "bare-user-only" ? ["--canonical-permissions"] : [];

    /// <summary>Adds to a file and the root, overrides a file and a directory, adds to a subdirectory (which ostree ignores), skips files and directories.</summary>
    private static (string StatOverride, string SkipList) FilterFiles(CommitCompatTests.Twins t)
    {
        var statOverride = t.Tmp.Combine("statoverride");
        File.WriteAllText(statOverride, "+2048 /with space.txt\n=384 /owned/file\n+512 /emptydir\n=448 /owned\n\n+1024 /\n1 /sgid\n");
        var skipList = t.Tmp.Combine("skip-list");
        File.WriteAllText(skipList, "/big.bin\n/many\n/dir with space/ñandú/x\n/abs-link\n");
        return (statOverride, skipList);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void StatOverrideSkipListAndReadOnlyExecutablesMatchOstree(string mode)
    {
        using var t = new CommitCompatTests.Twins(mode);
        var extra = ModeArgs(mode);
        var (so, skip) = FilterFiles(t);
        string[] filters = ["--statoverride=" + so, "--skip-list=" + skip, "--mode-ro-executables"];
        var (o, a) = t.Commit(["-b", "dir", .. filters, .. extra, t.Tree]);
        Assert.Equal(o, a);

        (o, a) = t.Commit(["-b", "main", .. extra, t.Tree]);
        Assert.Equal(o, a);
        // ostree 2022.7 fails on a skipped directory of a ref tree ("No such file or directory: many"): files only there
        var fileSkips = t.Tmp.Combine("file-skips");
        File.WriteAllText(fileSkips, "/big.bin\n/dir with space/ñandú/x\n/abs-link\n");
        (o, a) = t.Commit(["-b", "ref", "--statoverride=" + so, "--skip-list=" + fileSkips, "--mode-ro-executables", .. extra, "--tree=ref=main"]);
        Assert.Equal(o, a);

        var tar = t.Tmp.Combine("tree.tar");
        ProcessRunner.RunOk("tar", "--numeric-owner", "-C", t.Tree, "-cf", tar, ".");
        (o, a) = t.Commit(["-b", "tar", "--statoverride=" + so, "--skip-list=" + fileSkips, "--mode-ro-executables", .. extra, "--tree=tar=" + tar]);
        Assert.Equal(o, a);
        t.AssertFsckAgreesWithOstree();

        // a skipped directory of a tar leaves its entries without a parent: the same error in both
        var ro = OstreeOracle.Run(["commit", "--repo=" + t.Ostree, "-b", "tar2", "--skip-list=" + skip, .. extra, "--tree=tar=" + tar]);
        var ra = CliRunner.Run(["commit", "--repo=" + t.Arbor, "-b", "tar2", "--skip-list=" + skip, .. extra, "--tree=tar=" + tar]);
        Assert.Equal(1, ro.ExitCode);
        Assert.Equal((ro.ExitCode, ro.Stderr), (ra.ExitCode, ra.Stderr));
    }

    [Fact]
    public void UnmatchedAndMalformedFilterFilesFailAsInOstree()
    {
        using var t = new CommitCompatTests.Twins("bare");
        var unmatched = t.Tmp.Combine("unmatched");
        File.WriteAllText(unmatched, "+1 /no/such/path\n");
        var malformed = t.Tmp.Combine("malformed");
        File.WriteAllText(malformed, "0755\n");
        var skip = t.Tmp.Combine("skip");
        File.WriteAllText(skip, "/nope\n");
        foreach (var args in new[]
        {
            new[] { "--statoverride=" + unmatched }, ["--statoverride=" + malformed], ["--skip-list=" + skip],
            ["--statoverride=" + t.Tmp.Combine("missing")], ["--base=nosuch"],
        })
        {
            var o = OstreeOracle.Run(["commit", "--repo=" + t.Ostree, "-b", "x", .. args, t.Tree]);
            var a = CliRunner.Run(["commit", "--repo=" + t.Arbor, "-b", "x", .. args, t.Tree]);
            Assert.Equal(1, o.ExitCode);
            Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        }
        Assert.Empty(CliRunner.RunOk("refs", "--repo=" + t.Arbor));
    }

    [Theory]
    [InlineData("archive")]
    [InlineData("bare-user")]
    public void BaseMatchesOstree(string mode)
    {
        using var t = new CommitCompatTests.Twins(mode);
        var (o, a) = t.Commit("-b", "main", t.Tree);
        Assert.Equal(o, a);
        var overlay = t.Tmp.Combine("overlay");
        Directory.CreateDirectory(Path.Combine(overlay, "owned"));
        File.WriteAllText(Path.Combine(overlay, "owned", "added"), "added\n");
        File.WriteAllText(Path.Combine(overlay, "with space.txt"), "replaced\n");
        (o, a) = t.Commit("-b", "based", "--base=main", "--tree=dir=" + overlay);
        Assert.Equal(o, a);
        (o, a) = t.Commit("-b", "based2", "--base=" + o, "--owner-uid=0", "--tree=dir=" + overlay);
        Assert.Equal(o, a);
        t.AssertFsck();
    }

    [Fact]
    public void BootableMatchesOstree()
    {
        using var t = new CommitCompatTests.Twins("archive");
        var modules = Directory.CreateDirectory(Path.Combine(t.Tree, "usr", "lib", "modules", "6.1.0-18-amd64")).FullName;
        File.WriteAllText(Path.Combine(modules, "vmlinuz"), "kernel\n");
        Directory.CreateDirectory(Path.Combine(t.Tree, "usr", "lib", "modules", "no-kernel-here"));
        var (o, a) = t.Commit("-b", "os", "--bootable", t.Tree);
        Assert.Equal(o, a);
        (o, a) = t.Commit("-b", "os", "--bootable", "--add-metadata-string=version=42", "--bind-ref=other", t.Tree);
        Assert.Equal(o, a);
        Assert.Equal("'6.1.0-18-amd64'", OstreeOracle.RunOk("show", "--repo=" + t.Arbor, "--print-metadata-key=ostree.linux", "os").Trim());

        // two kernels, no usr, no modules directory, no kernel: ostree's errors
        Directory.CreateDirectory(Path.Combine(t.Tree, "usr", "lib", "modules", "6.2", "vmlinuz"));
        var noModules = Directory.CreateDirectory(t.Tmp.Combine("no-modules/usr/lib")).Parent!.Parent!.FullName;
        var noKernel = Directory.CreateDirectory(t.Tmp.Combine("no-kernel/usr/lib/modules/6.3")).Parent!.Parent!.Parent!.Parent!.FullName;
        foreach (var tree in new[] { t.Tree, Path.Combine(t.Tree, "owned"), noModules, noKernel })
        {
            var ro = OstreeOracle.Run("commit", "--repo=" + t.Ostree, "-b", "bad", "--bootable", tree);
            var ra = CliRunner.Run("commit", "--repo=" + t.Arbor, "-b", "bad", "--bootable", tree);
            Assert.Equal(1, ro.ExitCode);
            Assert.Equal((ro.ExitCode, ro.Stderr), (ra.ExitCode, ra.Stderr));
        }
    }

    [Theory]
    [InlineData("archive")]
    [InlineData("bare")]
    public void GenerateSizesMatchesOstree(string mode)
    {
        using var t = new CommitCompatTests.Twins(mode);
        // compressible content: the archived sizes are zlib's, so they must be compressed as ostree does
        File.WriteAllLines(Path.Combine(t.Tree, "counting.txt"), Enumerable.Range(0, 60000).Select(i => $"line {i} of a compressible file"));
        var (o, a) = t.Commit("-b", "main", "--generate-sizes", t.Tree);
        Assert.Equal(o, a);
        // a second tree restarts the index; a ref tree is written again, so its objects are listed
        var overlay = Directory.CreateDirectory(t.Tmp.Combine("overlay")).FullName;
        File.WriteAllText(Path.Combine(overlay, "new"), "new\n");
        (o, a) = t.Commit("-b", "layered", "--generate-sizes", "--tree=dir=" + t.Tree, "--tree=ref=main", "--tree=dir=" + overlay);
        Assert.Equal(o, a);
        (o, a) = t.Commit("-b", "ref", "--generate-sizes", "--tree=ref=main");
        Assert.Equal(o, a);
        // a tar tree records its objects too
        var tar = t.Tmp.Combine("tree.tar");
        ProcessRunner.RunOk("tar", "--numeric-owner", "-C", t.Tree, "-cf", tar, ".");
        (o, a) = t.Commit("-b", "tar", "--generate-sizes", "--tree=tar=" + tar);
        Assert.Equal(o, a);
        t.AssertFsck();
    }

    [Fact]
    public void TableOutputMatchesOstree()
    {
        using var t = new CommitCompatTests.Twins("bare");
        foreach (var branch in new[] { "main", "again" })
        {
            var o = OstreeOracle.RunOk("commit", "--repo=" + t.Ostree, Timestamp, "-b", branch, "--table-output", t.Tree);
            var a = CliRunner.RunOk("commit", "--repo=" + t.Arbor, Timestamp, "-b", branch, "--table-output", t.Tree);
            Assert.StartsWith("Commit: ", o);
            Assert.Equal(o, a);
        }
    }

    [Fact]
    public void FsyncFlagsAndDevInoCanonicalMatchOstree()
    {
        using var t = new CommitCompatTests.Twins("bare");
        var (o, a) = t.Commit("-b", "main", "--disable-fsync", t.Tree);
        Assert.Equal(o, a);
        (o, a) = t.Commit("-b", "main2", "--fsync=false", t.Tree);
        Assert.Equal(o, a);

        // a hardlink checkout of each repository, committed with an owner override: -I keeps the
        // hardlinked objects as they are, the override applies to the rest
        var oCheckout = t.Tmp.Combine("o-co");
        var aCheckout = t.Tmp.Combine("a-co");
        OstreeOracle.RunOk("checkout", "--repo=" + t.Ostree, "-H", "main", oCheckout);
        OstreeOracle.RunOk("checkout", "--repo=" + t.Arbor, "-H", "main", aCheckout);
        foreach (var co in new[] { oCheckout, aCheckout }) File.WriteAllText(Path.Combine(co, "fresh"), "not from the repository\n");
        var ro = OstreeOracle.RunOk("commit", "--repo=" + t.Ostree, Timestamp, "-b", "canon", "-I", "--owner-uid=9", "--table-output", oCheckout);
        var ra = CliRunner.RunOk("commit", "--repo=" + t.Arbor, Timestamp, "-b", "canon", "-I", "--owner-uid=9", "--table-output", aCheckout);
        Assert.Contains("Content Cache Hits: ", ro);
        Assert.DoesNotContain("Content Cache Hits: 0\n", ro);
        Assert.Equal(ro, ra);
    }

    /// <summary>
    /// Debian's ostree 2022.7 is built without libsodium (<c>--sign</c> fails with "Requested signature
    /// type is not implemented"), so the commit is made by ostree and signed by <c>arbor sign</c>:
    /// Ed25519 signatures are deterministic, so <c>arbor commit --sign</c> must write the same bytes.
    /// </summary>
    [Fact]
    public void Ed25519SignedCommitsEqualSigningAfterwards()
    {
        using var t = new CommitCompatTests.Twins("archive");
        var (secret, pub) = Ed25519TestKey();
        var o = OstreeOracle.RunOk("commit", "--repo=" + t.Ostree, Timestamp, "-b", "signed", "--add-detached-metadata-string=k=v", t.Tree).Trim();
        CliRunner.RunOk("sign", "--repo=" + t.Ostree, o, secret);
        var a = CliRunner.RunOk("commit", "--repo=" + t.Arbor, Timestamp, "-b", "signed", "--add-detached-metadata-string=k=v", "--sign=" + secret, "--sign-type=ed25519", t.Tree).Trim();
        Assert.Equal(o, a);
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(t.Ostree, "objects", o[..2], o[2..] + ".commitmeta")),
            File.ReadAllBytes(Path.Combine(t.Arbor, "objects", a[..2], a[2..] + ".commitmeta")));
        Assert.Contains("Signature verified successfully", CliRunner.RunOk("sign", "--repo=" + t.Arbor, "--verify", "signed", pub));
    }

    /// <summary>RFC 8032's first Ed25519 test key, as ostree takes it: base64 of the 64-byte secret (seed, then public key) and of the public key.</summary>
    private static (string Secret, string Public) Ed25519TestKey()
    {
        var seed = Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        var pub = Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        return (Convert.ToBase64String([.. seed, .. pub]), Convert.ToBase64String(pub));
    }
}
