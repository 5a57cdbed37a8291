using System.Text.RegularExpressions;
using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// SELinux labeling with a fake policy (a <c>file_contexts</c> and a dummy binary policy, all
/// libselinux needs for file labels): <c>commit --selinux-policy</c> and
/// <c>--selinux-policy-from-base</c> give ostree's commit checksums, <c>checkout --selinux-policy</c>
/// writes ostree's <c>security.selinux</c> xattrs, and a broken policy fails with ostree's message.
/// </summary>
public sealed partial class SelinuxCompatTests : IDisposable
{
    private const string Timestamp = "--timestamp=2021-06-01T12:00:00Z";
    private readonly TempDirectory _tmp = new("selinux-compat");

    public SelinuxCompatTests()
    {
        OstreeOracle.Require();
        Privileged.RequireRoot();
    }

    public void Dispose() => _tmp.Dispose();

    public static TheoryData<string> Modes => new() { "archive", "bare-user" };

    private const string FileContexts =
        "/usr(/.*)?\tsystem_u:object_r:usr_t:s0\n" +
        "/etc/shadow\t--\tsystem_u:object_r:shadow_t:s0\n" +
        "/usr/etc/shadow\t--\tsystem_u:object_r:usr_shadow_t:s0\n" +
        "/etc/dirx\t-d\tsystem_u:object_r:dirx_t:s0\n" +
        "/mnt\tsystem_u:object_r:mnt_t:s0\n" +
        "/.*\tsystem_u:object_r:default_t:s0\n";

    /// <summary>A policy root: <c>etc/selinux/config</c> (or under <c>usr/</c>), the file contexts and <c>policy/policy.33</c>.</summary>
    private static string WritePolicy(string root, string selinux = "enforcing", bool binaryPolicy = true, bool contexts = true, string etc = "etc")
    {
        var dir = Path.Combine(root, etc, "selinux");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config"), $"# test policy\nSELINUX={selinux}\nSELINUXTYPE=test\n");
        if (contexts)
        {
            Directory.CreateDirectory(Path.Combine(dir, "test/contexts/files"));
            File.WriteAllText(Path.Combine(dir, "test/contexts/files/file_contexts"), FileContexts);
        }
        if (binaryPolicy)
        {
            Directory.CreateDirectory(Path.Combine(dir, "test/policy"));
            File.WriteAllText(Path.Combine(dir, "test/policy/policy.33"), "not a real policy\n");
        }
        return root;
    }

    /// <summary>/etc and /usr/etc files (one matched by a regular-file-only rule), a directory of the same name, symlinks, /proc, a user xattr.</summary>
    private string BuildTree()
    {
        var tree = new OsTree(_tmp.Combine("tree"))
            .File("etc/shadow", "root:*:\n", "600")
            .Dir("etc/dirx")
            .Dir("etc/shadow.d")
            .File("usr/etc/shadow", "usr\n")
            .File("usr/bin/tool", "#!/bin/sh\n", "755")
            .Symlink("usr/lib/link", "../bin/tool")
            .Symlink("etc/shadow-link", "shadow")
            .Dir("proc");
        ProcessRunner.RunOk("setfattr", "-n", "user.note", "-v", "kept", Path.Combine(tree.Path, "usr/etc/shadow"));
        return tree.Path;
    }

    private (string Ostree, string Arbor) InitTwins(string mode)
    {
        string o = _tmp.Combine("ostree-" + mode), a = _tmp.Combine("arbor-" + mode);
        OstreeOracle.RunOk("init", "--repo=" + o, "--mode=" + mode);
        OstreeOracle.RunOk("init", "--repo=" + a, "--mode=" + mode);
        return (o, a);
    }

    private static (string Ostree, string Arbor) Commit(string ostreeRepo, string arborRepo, params string[] args)
    {
        var o = OstreeOracle.RunOk(["commit", "--repo=" + ostreeRepo, Timestamp, .. args]).Trim();
        var a = CliRunner.RunOk(["commit", "--repo=" + arborRepo, Timestamp, .. args]).Trim();
        return (o, a);
    }

    private static string Labels(string repo, string rev) => OstreeOracle.RunOk("ls", "--repo=" + repo, "-R", "-X", rev);

    [Theory]
    [MemberData(nameof(Modes))]
    public void CommitWithPolicyMatchesOstree(string mode)
    {
        var tree = BuildTree();
        var policy = WritePolicy(_tmp.Combine("policy"));
        var (o, a) = InitTwins(mode);

        var (co, ca) = Commit(o, a, "-b", "labeled", "--selinux-policy=" + policy, "--tree=dir=" + tree);
        Assert.Equal(co, ca);
        var listing = Labels(a, "labeled");
        Assert.Contains("b'system_u:object_r:shadow_t:s0')] } /etc/shadow\n", listing);
        Assert.Contains("b'system_u:object_r:default_t:s0')] } /etc/shadow.d\n", listing);
        Assert.Contains("b'system_u:object_r:mnt_t:s0')] } /proc\n", listing);
        Assert.Contains("(b'user.note', [byte 0x6b, 0x65, 0x70, 0x74]), (b'security.selinux', b'system_u:object_r:usr_shadow_t:s0')", listing);

        // relabeling an existing commit (--tree=ref) and a policy under usr/etc
        var usrPolicy = WritePolicy(_tmp.Combine("usr-policy"), etc: "usr/etc");
        (co, ca) = Commit(o, a, "-b", "plain", "--tree=dir=" + tree);
        Assert.Equal(co, ca);
        (co, ca) = Commit(o, a, "-b", "relabeled", "--selinux-policy=" + usrPolicy, "--tree=ref=plain");
        Assert.Equal(co, ca);
        Assert.Equal(listing, Labels(a, "relabeled"));

        // SELINUX=disabled (or no config at all): nothing is labeled
        var disabled = WritePolicy(_tmp.Combine("disabled"), selinux: "disabled", binaryPolicy: false, contexts: false);
        (co, ca) = Commit(o, a, "-b", "disabled", "--selinux-policy=" + disabled, "--tree=dir=" + tree);
        Assert.Equal(co, ca);
        Assert.DoesNotContain("security.selinux", Labels(a, "disabled"));
        (co, ca) = Commit(o, a, "-b", "no-config", "--selinux-policy=" + _tmp.Path, "--tree=dir=" + tree);
        Assert.Equal(co, ca);
        Assert.DoesNotContain("security.selinux", Labels(a, "no-config"));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void TarCommitWithPolicyMatchesOstree(string mode)
    {
        var tree = BuildTree();
        var policy = WritePolicy(_tmp.Combine("policy"));
        var (o, a) = InitTwins(mode);
        // a full archive (with its root, a pax xattr kept before the label), and one of files only
        // whose parent directories are made up, each labeled as its own path
        string full = _tmp.Combine("full.tar"), files = _tmp.Combine("files.tar"), empty = _tmp.Combine("empty.tar");
        ProcessRunner.RunOk("tar", "-C", tree, "--xattrs", "--xattrs-include=*", "--format=pax", "--owner=0", "--group=0", "--mtime=@0", "--sort=name", "-cf", full, ".");
        var loose = new OsTree(_tmp.Combine("loose")).File("etc/dirx/f", "f\n").File("usr/bin/tool", "#!/bin/sh\n", "755").Path;
        ProcessRunner.RunOk("tar", "-C", loose, "--owner=0", "--group=0", "--mtime=@0", "--sort=name", "--no-recursion", "-cf", files,
            "etc/dirx/f", "usr/bin/tool");
        ProcessRunner.RunOk("tar", "-C", _tmp.Combine("policy"), "--owner=0", "--group=0", "--mtime=@0", "--no-recursion", "-cf", empty, "--files-from=/dev/null");

        var (co, ca) = Commit(o, a, "-b", "full", "--selinux-policy=" + policy, "--tree=tar=" + full);
        Assert.Equal(co, ca);
        var listing = Labels(a, "full");
        Assert.Contains("b'system_u:object_r:shadow_t:s0')] } /etc/shadow\n", listing);
        Assert.Contains("(b'user.note', [byte 0x6b, 0x65, 0x70, 0x74]), (b'security.selinux', b'system_u:object_r:usr_shadow_t:s0')", listing);

        (co, ca) = Commit(o, a, "-b", "files", "--selinux-policy=" + policy, "--tar-autocreate-parents", "--tree=tar=" + files);
        Assert.Equal(co, ca);
        Assert.Contains("b'system_u:object_r:dirx_t:s0')] } /etc/dirx\n", Labels(a, "files"));
        (co, ca) = Commit(o, a, "-b", "empty", "--selinux-policy=" + policy, "--tar-autocreate-parents", "--tree=tar=" + empty);
        Assert.Equal(co, ca);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void PolicyFromBaseMatchesOstree(string mode)
    {
        var tree = BuildTree();
        var baseTree = WritePolicy(_tmp.Combine("base"), etc: "usr/etc");
        var (o, a) = InitTwins(mode);
        var (co, ca) = Commit(o, a, "-b", "base", "--tree=dir=" + baseTree);
        Assert.Equal(co, ca);

        (co, ca) = Commit(o, a, "-b", "derived", "--base=base", "--selinux-policy-from-base", "--tree=dir=" + tree);
        Assert.Equal(co, ca);
        var listing = Labels(a, "derived");
        Assert.Contains("shadow_t", listing);
        Assert.Contains("/usr/etc/selinux/config", listing);

        // without --base the first tree is the policy root
        (co, ca) = Commit(o, a, "-b", "first-tree", "--selinux-policy-from-base", "--tree=dir=" + baseTree, "--tree=dir=" + tree);
        Assert.Equal(co, ca);
        Assert.Contains("usr_shadow_t", Labels(a, "first-tree"));

        // a base without a policy labels nothing
        (co, ca) = Commit(o, a, "-b", "plain", "--tree=dir=" + tree);
        Assert.Equal(co, ca);
        (co, ca) = Commit(o, a, "-b", "unlabeled", "--base=plain", "--selinux-policy-from-base", "--tree=dir=" + tree);
        Assert.Equal(co, ca);
        Assert.DoesNotContain("security.selinux", Labels(a, "unlabeled"));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void CheckoutWithPolicyMatchesOstree(string mode)
    {
        var tree = BuildTree();
        var policy = WritePolicy(_tmp.Combine("policy"));
        var (o, _) = InitTwins(mode);
        OstreeOracle.RunOk("commit", "--repo=" + o, Timestamp, "-b", "main", "--selinux-policy=" + policy, "--tree=dir=" + tree);
        foreach (var extra in new[]
        {
            new string[0], ["--selinux-prefix=/usr"], ["--selinux-prefix=/usr/"], ["--subpath=/usr"], ["--subpath=/etc/shadow"], ["-U"],
        })
        {
            string od = _tmp.Combine("co-ostree"), ad = _tmp.Combine("co-arbor");
            OstreeOracle.RunOk(["checkout", "--repo=" + o, .. extra, "--selinux-policy=" + policy, "main", od]);
            CliRunner.RunOk(["checkout", "--repo=" + o, .. extra, "--selinux-policy=" + policy, "main", ad]);
            var expected = TreeListing.SecurityXattrs(od);
            Assert.Equal(expected, TreeListing.SecurityXattrs(ad));
            // "...:shadow_t:s0" without a trailing NUL
            if (extra.Length == 0) Assert.Contains("3a736861646f775f743a7330\n", expected);
            TempDirectory.Remove(od);
            TempDirectory.Remove(ad);
        }
    }

    [GeneratedRegex(@"/proc/self/fd/\d+")]
    private static partial Regex FdPath();

    private static string LastLine(string stderr) =>
        FdPath().Replace(stderr.TrimEnd('\n').Split('\n')[^1], "/proc/self/fd/N");

    [Fact]
    public void BrokenPoliciesFailAsInOstree()
    {
        var tree = BuildTree();
        var (o, a) = InitTwins("archive");
        var noContexts = WritePolicy(_tmp.Combine("no-contexts"), contexts: false);
        var noBinary = WritePolicy(_tmp.Combine("no-binary"), binaryPolicy: false);
        var emptyBinary = WritePolicy(_tmp.Combine("empty-binary"), binaryPolicy: false);
        Directory.CreateDirectory(Path.Combine(emptyBinary, "etc/selinux/test/policy"));
        var baseTree = WritePolicy(_tmp.Combine("base"), binaryPolicy: false, etc: "usr/etc");
        OstreeOracle.RunOk("commit", "--repo=" + o, Timestamp, "-b", "base", "--tree=dir=" + baseTree);
        CliRunner.RunOk("commit", "--repo=" + a, Timestamp, "-b", "base", "--tree=dir=" + baseTree);
        var tar = _tmp.Combine("tree.tar");
        ProcessRunner.RunOk("tar", "-C", tree, "-cf", tar, ".");

        foreach (var args in new[]
        {
            new[] { "commit", "-b", "x", "--selinux-policy=" + noContexts, tree },
            ["commit", "-b", "x", "--selinux-policy=" + noBinary, tree],
            ["commit", "-b", "x", "--selinux-policy=" + emptyBinary, tree],
            ["commit", "-b", "x", "--selinux-policy=" + _tmp.Combine("missing"), tree],
            ["commit", "-b", "x", "--selinux-policy=" + noBinary, "--selinux-policy-from-base", tree],
            ["commit", "-b", "x", "--base=base", "--selinux-policy-from-base", tree],
            ["commit", "-b", "x", "--selinux-policy-from-base", "--tree=tar=" + tar],
            ["checkout", "--selinux-policy=" + _tmp.Combine("missing"), "base", _tmp.Combine("co")],
            ["checkout", "--selinux-policy=" + noBinary, "base", _tmp.Combine("co")],
            ["checkout", "--selinux-prefix=/usr", "base", _tmp.Combine("co")],
            ["checkout", "--selinux-policy=" + noContexts, "-H", "base", _tmp.Combine("co")],
        })
        {
            var ro = OstreeOracle.Run([args[0], "--repo=" + o, .. args[1..]]);
            var ra = CliRunner.Run([args[0], "--repo=" + a, .. args[1..]]);
            Assert.Equal(1, ro.ExitCode);
            Assert.Equal((ro.ExitCode, LastLine(ro.Stderr)), (ra.ExitCode, LastLine(ra.Stderr)));
        }
        Assert.Equal("base\n", CliRunner.RunOk("refs", "--repo=" + a));
        Assert.False(Directory.Exists(_tmp.Combine("co")));
    }
}
