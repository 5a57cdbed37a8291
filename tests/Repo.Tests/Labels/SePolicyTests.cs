using System.Text;
using Arbor.Repo.Commit;
using Arbor.Repo.Core;
using Arbor.Repo.Labels;
using Arbor.Repo.Objects;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Labels;

/// <summary><see cref="SePolicy"/> on a fake policy root: how the config is read, what is looked up, how labels become xattrs.</summary>
public sealed class SePolicyTests : IDisposable
{
    private readonly TempDirectory _tmp = new("sepolicy");

    public void Dispose() => _tmp.Dispose();

    private string Root(string config, string etc = "etc", bool binaryPolicy = true)
    {
        var root = _tmp.Combine("root-" + Guid.NewGuid().ToString("N"));
        var dir = Path.Combine(root, etc, "selinux");
        Directory.CreateDirectory(Path.Combine(dir, "test/contexts/files"));
        File.WriteAllText(Path.Combine(dir, "config"), config);
        File.WriteAllText(Path.Combine(dir, "test/contexts/files/file_contexts"),
            "/etc/shadow\t--\tu:r:shadow_t:s0\n/mnt\tu:r:mnt_t:s0\n/.*\tu:r:default_t:s0\n");
        if (binaryPolicy)
        {
            Directory.CreateDirectory(Path.Combine(dir, "test/policy"));
            File.WriteAllText(Path.Combine(dir, "test/policy/policy.31"), "x");
        }
        return root;
    }

    [Theory]
    [InlineData("SELINUX=enforcing\nSELINUXTYPE=test\n")]
    [InlineData("SELINUXTYPE= test \r\nSELINUX=Permissive\n")]
    public void EnforcingOrPermissiveLabelsByPathAndFileType(string config)
    {
        using var policy = SePolicy.Open(Root(config));
        Assert.True(policy.Enabled);
        Assert.Equal("test", policy.Name);
        Assert.Equal("u:r:shadow_t:s0", policy.Label("/etc/shadow", 0x81A4));
        // the rule is for regular files only
        Assert.Equal("u:r:default_t:s0", policy.Label("/etc/shadow", 0x41ED));
        // /proc is looked up as /mnt
        Assert.Equal("u:r:mnt_t:s0", policy.Label("/proc", 0x41ED));
    }

    [Theory]
    [InlineData("SELINUX=disabled\nSELINUXTYPE=test\n")]
    [InlineData("SELINUXTYPE=test\n")]
    public void OtherwiseNothingIsLabeled(string config)
    {
        using var policy = SePolicy.Open(Root(config, binaryPolicy: false));
        Assert.False(policy.Enabled);
        Assert.Null(policy.Label("/etc/shadow", 0x81A4));
    }

    [Fact]
    public void UsrEtcIsTheFallbackAndTheBinaryPolicyIsRequired()
    {
        using (var policy = SePolicy.Open(Root("SELINUX=enforcing\nSELINUXTYPE=test\n", etc: "usr/etc")))
            Assert.True(policy.Enabled);
        var e = Assert.Throws<RepoException>(() => SePolicy.Open(Root("SELINUX=enforcing\nSELINUXTYPE=test\n", binaryPolicy: false)));
        Assert.Matches(@"^While calculating SELinux checksum: opendir\(/proc/self/fd/\d+/etc/selinux/test/policy\): No such file or directory$", e.Message);
        e = Assert.Throws<RepoException>(() => SePolicy.Open(_tmp.Combine("missing"), "p: "));
        Assert.Equal($"p: opendir({_tmp.Combine("missing")}): No such file or directory", e.Message);
    }

    [Fact]
    public void ModifierAppendsTheLabelNulTerminatedAfterOtherXattrs()
    {
        using var policy = SePolicy.Open(Root("SELINUX=enforcing\nSELINUXTYPE=test\n"));
        var modifier = CommitModifier.None with { SePolicy = policy };
        var xattrs = new XattrList([Xattr.Create(SePolicy.XattrName, "old"u8.ToArray()), Xattr.Create("user.z", "v"u8.ToArray())]);
        var labeled = modifier.Label("/etc/shadow", 0x81A4, xattrs);
        Assert.Equal(["user.z", SePolicy.XattrName], labeled.Items.Select(x => x.NameString));
        Assert.Equal("u:r:shadow_t:s0\0", Encoding.UTF8.GetString(labeled.Items[1].Value));
        Assert.True(modifier.NeedsPaths);
        Assert.False(modifier.IsIdentity);
        Assert.Same(xattrs, CommitModifier.None.Label("/etc/shadow", 0x81A4, xattrs));
        Assert.Equal(["user.z"], SePolicy.WithoutLabel(xattrs).Items.Select(x => x.NameString));
    }
}
