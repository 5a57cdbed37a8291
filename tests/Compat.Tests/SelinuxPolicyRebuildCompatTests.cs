using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// After an /etc merge of a tree with <c>etc/selinux/config</c>, both tools run the deployment's
/// own <c>semodule -N --rebuild-if-modules-changed</c> inside it through bubblewrap (ostree 2022.7's
/// sysroot_finalize_selinux_policy), and fail the deployment the same way when it fails.
/// </summary>
public sealed class SelinuxPolicyRebuildCompatTests
{
    private static readonly string[] Sides = ["ostree", "arbor"];

    public SelinuxPolicyRebuildCompatTests() => Privileged.RequireRoot();

    /// <summary>
    /// Each tool as its own process inside the namespace (bwrap, which starts from the caller's
    /// mount namespace, must see the sysroot at the path it is given).
    /// </summary>
    internal static CliResult Deploy(TwinSysroots t, string side) =>
        t.Ns.Run(side == "ostree" ? "/usr/bin/ostree" : ArborProcess.Executable,
            ["admin", "deploy", "--os=" + TwinSysroots.Os, "vectoros/stable", "--sysroot=" + t.Ns.InnerPath(side)]);

    private static string Log(TwinSysroots t, string side, int index) =>
        File.ReadAllText(Path.Join(t.DeploymentDir(side, index), "etc/semodule.log"));

    private static void EditEtc(TwinSysroots t, string file, string? content)
    {
        foreach (var side in Sides)
        {
            var path = Path.Join(t.DeploymentDir(side, 0), "etc", file);
            if (content is null) File.Delete(path); else File.WriteAllText(path, content);
        }
    }

    /// <summary>stderr without arbor's own error line, and sorted lines of stdout (both tools' streams are compared as sets of lines).</summary>
    private static string Lines(string s) => string.Join('\n', s.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

    [Fact]
    public void MergedDeploymentRunsTheTreesSemoduleAsOstree()
    {
        if (!File.Exists("/usr/bin/bwrap")) Assert.Fail("bubblewrap is not installed (scripts/setup.sh installs it)");
        using var t = new TwinSysroots();
        t.Commit(FakeSemodule.Install(t.VectorTree()), "1", 1);

        // the first deployment has nothing to merge: no semodule
        foreach (var side in Sides) Assert.Equal(0, Deploy(t, side).ExitCode);
        foreach (var side in Sides) Assert.False(File.Exists(Path.Join(t.DeploymentDir(side, 0), "etc/semodule.log")), side);

        // a merge: semodule runs in the new deployment, its output passed on
        var o = Deploy(t, "ostree");
        var a = Deploy(t, "arbor");
        Assert.True(o.ExitCode == 0, o.ToString());
        Assert.True(a.ExitCode == 0, a.ToString());
        Assert.Equal("semodule -N --rebuild-if-modules-changed in /\nbin dev etc lib lib32 lib64 proc run sbin sys tmp usr var \n", Log(t, "ostree", 0));
        Assert.Equal(Log(t, "ostree", 0), Log(t, "arbor", 0));
        Assert.Contains("policy rebuilt\n", o.Stdout);
        Assert.Equal(Lines(o.Stdout), Lines(a.Stdout));
        Assert.Equal("help on stderr\nrebuild note\n", o.Stderr);
        Assert.Equal(Lines(o.Stderr), Lines(a.Stderr));

        // semodule fails: so does the deployment, and the boot configuration stays
        EditEtc(t, "semodule-exit", "3\n");
        var before = t.BootState("arbor");
        o = Deploy(t, "ostree");
        a = Deploy(t, "arbor");
        Assert.EndsWith("error: Child process exited with code 3\n", o.Stderr);
        Assert.Equal((o.ExitCode, Lines(o.Stderr)), (a.ExitCode, Lines(a.Stderr)));
        Assert.Equal(before, t.BootState("arbor"));
        Assert.Equal(2, t.Arbor.Load().Deployments.Count);

        // a semodule without --rebuild-if-modules-changed is left alone
        EditEtc(t, "semodule-exit", null);
        EditEtc(t, "semodule-no-flag", "");
        o = Deploy(t, "ostree");
        a = Deploy(t, "arbor");
        Assert.True(a.ExitCode == 0, a.ToString());
        Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        foreach (var side in Sides) Assert.Equal(Log(t, side, 1), Log(t, side, 0));

        // no semodule in the tree: bwrap cannot run it
        t.Commit(FakeSemodule.Install(t.VectorTree()).Remove("usr/bin/semodule"), "2", 2);
        o = Deploy(t, "ostree");
        a = Deploy(t, "arbor");
        Assert.Equal("bwrap: execvp semodule: No such file or directory\nerror: failed to run semodule: Child process exited with code 1\n", o.Stderr);
        Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
    }
}
