using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// Deployments of a tree that carries an SELinux policy (a fake one: <c>file_contexts</c> and a
/// dummy binary policy under <c>usr/etc/selinux</c>, all libselinux needs for file labels): the
/// deployment's <c>/etc</c> is labeled as <c>/etc/…</c> and the stateroot's <c>/var</c> relabeled on its
/// first deployment, as ostree 2022.7 does; <c>admin instutil selinux-ensure-labeled</c> labels what
/// is still unlabeled and prints the same lines.
/// </summary>
public sealed class SelinuxDeployCompatTests
{
    // libselinux lets the last matching regular expression win (exact paths before any)
    private const string FileContexts =
        "/.*\tsystem_u:object_r:default_t:s0\n" +
        "/etc(/.*)?\tsystem_u:object_r:etc_t:s0\n" +
        "/etc/shadow\t--\tsystem_u:object_r:shadow_t:s0\n" +
        "/usr(/.*)?\tsystem_u:object_r:usr_t:s0\n" +
        "/var/lib(/.*)?\tsystem_u:object_r:var_lib_t:s0\n" +
        "/var/log\t-d\tsystem_u:object_r:var_log_t:s0\n";

    public SelinuxDeployCompatTests() => Privileged.RequireRoot();

    // with a semodule: a merged deployment runs it (SelinuxPolicyRebuildCompatTests)
    private static OsTree PolicyTree(TwinSysroots t, string selinux = "enforcing") =>
        FakeSemodule.Install(t.VectorTree())
            .File("usr/etc/shadow", "root:*:\n", "600")
            .Dir("usr/etc/sub")
            .Symlink("usr/etc/link", "shadow")
            .File("usr/etc/selinux/config", $"SELINUX={selinux}\nSELINUXTYPE=test\n")
            .File("usr/etc/selinux/test/contexts/files/file_contexts", FileContexts)
            .File("usr/etc/selinux/test/policy/policy.33", "not a real policy\n");

    private static void SeedVar(TwinSysroots t, string side)
    {
        var var = t.Host(side, $"ostree/deploy/{TwinSysroots.Os}/var");
        Directory.CreateDirectory(Path.Join(var, "lib/app"));
        File.WriteAllText(Path.Join(var, "lib/app/state"), "1\n");
        Directory.CreateDirectory(Path.Join(var, "log"));
    }

    /// <summary>Output lines with each side's sysroot path replaced, sorted (each tool checks out in its own order).</summary>
    private static string Normalized(string output, string sysroot) =>
        string.Join('\n', output.Replace(sysroot, "SYSROOT").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

    [Fact]
    public void DeployLabelsEtcAndVarAsOstree()
    {
        using var t = new TwinSysroots();
        t.Commit(PolicyTree(t), "1", 1);
        foreach (var side in new[] { "ostree", "arbor" }) SeedVar(t, side);
        t.OstreeAdminOk("ostree", "deploy", "--os=" + TwinSysroots.Os, "vectoros/stable");
        t.ArborAdminOk("arbor", "deploy", "--os=" + TwinSysroots.Os, "vectoros/stable");

        var etc = TreeListing.SecurityXattrs(Path.Join(t.DeploymentDir("ostree", 0), "etc"));
        // "system_u:object_r:shadow_t:s0" without a trailing NUL, as ostree's checkout writes it
        Assert.Contains("# file: shadow\nsecurity.selinux=0x73797374656d5f753a6f626a6563745f723a736861646f775f743a7330\n", etc);
        Assert.Contains("# file: hostname\nsecurity.selinux=0x73797374656d5f753a6f626a6563745f723a6574635f743a7330\n", etc);
        Assert.Equal(etc, TreeListing.SecurityXattrs(Path.Join(t.DeploymentDir("arbor", 0), "etc")));
        var var = $"ostree/deploy/{TwinSysroots.Os}/var";
        var labels = TreeListing.SecurityXattrs(t.Host("ostree", var));
        Assert.Contains("# file: lib/app/state\n", labels);
        Assert.Equal(labels, TreeListing.SecurityXattrs(t.Host("arbor", var)));
        Assert.True(File.Exists(t.Host("arbor", var + "/.ostree-selabeled")));

        // a second deployment finds the stamp and leaves /var alone; /etc is merged
        File.WriteAllText(Path.Join(t.Host("arbor", var), "lib/app/later"), "2\n");
        var merged = SelinuxPolicyRebuildCompatTests.Deploy(t, "arbor");
        Assert.True(merged.ExitCode == 0, merged.ToString());
        Assert.DoesNotContain("lib/app/later", TreeListing.SecurityXattrs(t.Host("arbor", var)));
    }

    [Fact]
    public void EnsureLabeledPrintsAndLabelsAsOstree()
    {
        using var t = new TwinSysroots();
        string ostreeRoot = t.Ns.InnerPath("ostree"), arborRoot = t.Host("arbor");

        // no deployment yet: the same error on both
        var o = t.OstreeAdmin("ostree", "instutil", "selinux-ensure-labeled");
        var a = t.ArborAdmin("arbor", "instutil", "selinux-ensure-labeled");
        Assert.Equal("error: Unable to find a deployment in sysroot\n", o.Stderr);
        Assert.Equal((1, o.Stderr), (a.ExitCode, a.Stderr));

        t.Commit(PolicyTree(t), "1", 1);
        t.OstreeAdminOk("ostree", "deploy", "--os=" + TwinSysroots.Os, "vectoros/stable");
        t.ArborAdminOk("arbor", "deploy", "--os=" + TwinSysroots.Os, "vectoros/stable");

        // the whole deployment: its root is sealed (immutable), so both fail on it, naming it
        o = t.OstreeAdmin("ostree", "instutil", "selinux-ensure-labeled");
        a = t.ArborAdmin("arbor", "instutil", "selinux-ensure-labeled");
        Assert.Equal("Relabeling using policy 'test'\n", o.Stdout);
        Assert.EndsWith(".0: lsetfilecon: Operation not permitted\n", o.Stderr);
        Assert.Equal((o.ExitCode, o.Stdout, Normalized(o.Stderr, ostreeRoot)), (a.ExitCode, a.Stdout, Normalized(a.Stderr, arborRoot)));

        // its /usr: everything the commit left unlabeled
        var os = t.OstreeAdminOk("ostree", "instutil", "selinux-ensure-labeled", t.Ns.InnerPath("ostree/" + t.Arbor.Load()[0].RelativePath + "/usr"), "usr");
        var ar = t.ArborAdminOk("arbor", "instutil", "selinux-ensure-labeled", Path.Join(t.DeploymentDir("arbor", 0), "usr"), "usr");
        Assert.StartsWith("Relabeling using policy 'test'\n", os);
        Assert.Contains("(as '/usr/etc/shadow') to 'system_u:object_r:usr_t:s0'", os);
        Assert.Equal(Normalized(os, ostreeRoot), Normalized(ar, arborRoot));
        Assert.Equal(TreeListing.SecurityXattrs(Path.Join(t.DeploymentDir("ostree", 0), "usr")), TreeListing.SecurityXattrs(Path.Join(t.DeploymentDir("arbor", 0), "usr")));
        // everything there is labeled now: a second run only names the policy
        Assert.Equal("Relabeling using policy 'test'\n",
            t.ArborAdminOk("arbor", "instutil", "selinux-ensure-labeled", Path.Join(t.DeploymentDir("arbor", 0), "usr"), "usr"));

        // SUBPATH PREFIX: new files in the stateroot's var, looked up as /var/...
        foreach (var side in new[] { "ostree", "arbor" })
        {
            Directory.CreateDirectory(t.Host(side, $"ostree/deploy/{TwinSysroots.Os}/var/lib/new"));
            File.WriteAllText(t.Host(side, $"ostree/deploy/{TwinSysroots.Os}/var/lib/new/file"), "x\n");
        }
        os = t.OstreeAdminOk("ostree", "instutil", "selinux-ensure-labeled", t.Ns.InnerPath($"ostree/ostree/deploy/{TwinSysroots.Os}/var/lib/new"), "var/lib/new");
        ar = t.ArborAdminOk("arbor", "instutil", "selinux-ensure-labeled", t.Host("arbor", $"ostree/deploy/{TwinSysroots.Os}/var/lib/new"), "var/lib/new");
        Assert.Contains("(as '/var/lib/new/file') to 'system_u:object_r:var_lib_t:s0'", os);
        Assert.Equal(Normalized(os, ostreeRoot), Normalized(ar, arborRoot));
    }

    [Fact]
    public void EnsureLabeledWithoutAPolicySaysSo()
    {
        using var t = new TwinSysroots();
        t.Commit(PolicyTree(t, selinux: "disabled"), "1", 1);
        t.OstreeAdminOk("ostree", "deploy", "--os=" + TwinSysroots.Os, "vectoros/stable");
        t.ArborAdminOk("arbor", "deploy", "--os=" + TwinSysroots.Os, "vectoros/stable");
        var os = t.OstreeAdminOk("ostree", "instutil", "selinux-ensure-labeled");
        var ar = t.ArborAdminOk("arbor", "instutil", "selinux-ensure-labeled");
        Assert.StartsWith("No SELinux policy found in deployment '", os);
        Assert.Equal(Normalized(os, t.Ns.InnerPath("ostree")), Normalized(ar, t.Host("arbor")));
        Assert.Equal("", TreeListing.SecurityXattrs(Path.Join(t.DeploymentDir("arbor", 0), "etc")));
    }
}
