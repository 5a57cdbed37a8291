using Arbor.Deploy;
using Arbor.Deploy.Operations;
using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// The same scenario through the real <c>ostree admin</c> (2022.7) and through arbor, on twin
/// sysroots in a private tmpfs (ostree freezes the filesystem holding /boot), with the results
/// compared: trees, boot entries, boot links, origins, /etc contents, refs and status output.
/// </summary>
public sealed class AdminCompatTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void InitFsAndOsInitLayOutTheSameTree(bool modern)
    {
        using var t = new TwinSysroots(modern);
        Assert.Equal(TreeListing.Capture(t.Host("ostree")), TreeListing.Capture(t.Host("arbor")));
        Assert.Equal(File.ReadAllText(t.Host("ostree", "ostree/repo/config")), File.ReadAllText(t.Host("arbor", "ostree/repo/config")));
        // os-init prints the same line; a second one fails the same way
        Assert.Equal(t.OstreeAdmin("ostree", "os-init", "second").Stdout, t.ArborAdmin("arbor", "os-init", "second").Stdout);
        var o = t.OstreeAdmin("ostree", "os-init", "second");
        var a = t.ArborAdmin("arbor", "os-init", "second");
        Assert.Equal((o.ExitCode != 0, o.Stderr), (a.ExitCode != 0, a.Stderr));
        Assert.Equal(TreeListing.Capture(t.Host("ostree")), TreeListing.Capture(t.Host("arbor")));
    }

    [Fact]
    public void StatusOfAnEmptySysroot()
    {
        using var t = new TwinSysroots();
        Assert.Equal("No deployments.\n", t.OstreeAdminOk("ostree", "status"));
        Assert.Equal("No deployments.\n", t.ArborAdminOk("ostree", "status"));
        // -v: the debug lines of the sysroot load (no boot/loader link yet) on stderr, as ostree's
        var o = t.OstreeAdmin("ostree", "status", "-v");
        var a = t.ArborAdmin("ostree", "status", "-v");
        Assert.Contains("OT: Didn't find $sysroot/boot/loader symlink", o.Stderr);
        Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
    }

    /// <summary>v1 (with kargs), local /etc edits of every kind, v2 with new defaults; then v3.</summary>
    private static void DeployScenario(TwinSysroots t, string side, bool arbor, Action<string>? afterFirst = null)
    {
        void Deploy(string refspec, params string[] kargs)
        {
            if (arbor) t.ArborDeploy(side, new DeployRequest { Refspec = refspec, Stateroot = TwinSysroots.Os, Kargs = kargs });
            else t.OstreeAdminOk(side, ["deploy", "--os=" + TwinSysroots.Os, .. kargs.Select(k => "--karg=" + k), refspec]);
        }
        Deploy("vectoros/stable", "root=LABEL=root", "quiet");
        afterFirst?.Invoke(side);
        Deploy("vectoros/v2");
        Deploy("vectoros/v3");
    }

    /// <summary>Local changes of every kind in the first deployment's /etc.</summary>
    internal static void EditEtc(TwinSysroots t, string side)
    {
        var etc = Path.Join(t.DeploymentDir(side, 0), "etc");
        File.WriteAllText(Path.Join(etc, "app.conf"), "a=local\n");                          // modified
        File.Delete(Path.Join(etc, "hostname"));                                              // deleted
        File.WriteAllText(Path.Join(etc, "local.conf"), "local\n");                           // added file
        Directory.CreateDirectory(Path.Join(etc, "local.d/sub"));                             // added directories
        File.WriteAllText(Path.Join(etc, "local.d/sub/f"), "f\n");
        File.CreateSymbolicLink(Path.Join(etc, "alink"), "app.conf");                         // added symlink
        File.SetUnixFileMode(Path.Join(etc, "dir1/x"), (UnixFileMode)0x180);                  // chmod
        File.SetUnixFileMode(Path.Join(etc, "dir1"), (UnixFileMode)0x1E8);                    // directory mode, with a change inside
        ProcessRunner.RunOk("chown", "1000:1000", Path.Join(etc, "owned"));                   // chown
        File.SetUnixFileMode(Path.Join(etc, "modedir"), (UnixFileMode)0x1C0);                 // directory mode only
        File.WriteAllText(Path.Join(etc, "goes/away.conf"), "kept\n");                        // modified, default removed in v2
        ProcessRunner.RunOk("setfattr", "-n", "user.note", "-v", "1", Path.Join(etc, "xattr-only"));  // xattr-only edit (lost)
        File.Delete(Path.Join(etc, "becomes-dir"));                                           // deleted; v2 makes it a directory
    }

    internal static void CommitVersions(TwinSysroots t)
    {
        var tree = t.VectorTree()
            .File("usr/etc/owned", "o\n").Dir("usr/etc/modedir").File("usr/etc/goes/away.conf", "default\n")
            .File("usr/etc/xattr-only", "x\n").File("usr/etc/becomes-dir", "file\n");
        t.Commit(tree, "1", 1);
        tree.File("usr/etc/app.conf", "a=2\n").File("usr/etc/hostname", "host2\n").File("usr/etc/newdefault", "new\n")
            .Remove("usr/etc/goes").Remove("usr/etc/becomes-dir").File("usr/etc/becomes-dir/inside", "i\n");
        t.Commit(tree, "2", 2, "vectoros/v2");
        tree.File("usr/etc/app.conf", "a=3\n").File("usr/etc/v3only", "3\n");
        t.Commit(tree, "3", 3, "vectoros/v3");
    }

    [Fact]
    public void DeployAndUpgradeWithLocalEtcEditsMatchOstree()
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        CommitVersions(t);
        DeployScenario(t, "ostree", arbor: false, side => EditEtc(t, side));
        DeployScenario(t, "arbor", arbor: true, side => EditEtc(t, side));

        Assert.Equal(t.BootState("ostree"), t.BootState("arbor"));
        Assert.Equal(t.DeploymentRefs("ostree"), t.DeploymentRefs("arbor"));
        for (int i = 0; i < 2; i++)
        {
            var etcO = Path.Join(t.DeploymentDir("ostree", i), "etc");
            var etcA = Path.Join(t.DeploymentDir("arbor", i), "etc");
            Assert.Equal(TreeListing.Capture(etcO), TreeListing.Capture(etcA));
            Assert.Equal(TreeListing.Xattrs(etcO), TreeListing.Xattrs(etcA));
        }
        // each tool reads the other's result the same way
        Assert.Equal(t.OstreeAdminOk("ostree", "status"), t.OstreeAdminOk("arbor", "status"));
        Assert.Equal(t.OstreeAdminOk("ostree", "status"), t.ArborAdminOk("ostree", "status"));
        Assert.Equal(t.OstreeAdminOk("arbor", "status"), t.ArborAdminOk("arbor", "status"));
        foreach (var side in new[] { "ostree", "arbor" })
        {
            var o = t.OstreeAdmin(side, "status", "-v");
            var a = t.ArborAdmin(side, "status", "--verbose");
            Assert.Contains(" unlocked=0\n", o.Stderr);
            Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        }
        // config-diff lists in directory order, so both tools read the same directory
        foreach (var side in new[] { "ostree", "arbor" })
        {
            var diff = t.OstreeAdminOk(side, "config-diff", "--os=" + TwinSysroots.Os);
            Assert.Contains("M    app.conf\n", diff);
            Assert.Equal(diff, t.ArborAdminOk(side, "config-diff", "--os=" + TwinSysroots.Os));
        }
    }

    [Fact]
    public void EachToolDeploysOnTopOfTheOthersSysroot()
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        CommitVersions(t);
        // ostree: v1 by ostree, v2 by arbor, v3 by ostree; arbor: v1 by arbor, v2 by ostree, v3 by arbor
        t.OstreeAdminOk("ostree", "deploy", "--os=" + TwinSysroots.Os, "--karg=root=LABEL=root", "vectoros/stable");
        t.ArborDeploy("arbor", new DeployRequest { Refspec = "vectoros/stable", Stateroot = TwinSysroots.Os, Kargs = ["root=LABEL=root"] });
        EditEtc(t, "ostree");
        EditEtc(t, "arbor");
        t.ArborDeploy("ostree", new DeployRequest { Refspec = "vectoros/v2", Stateroot = TwinSysroots.Os, Retain = true });
        t.OstreeAdminOk("arbor", "deploy", "--os=" + TwinSysroots.Os, "--retain", "vectoros/v2");
        t.OstreeAdminOk("ostree", "deploy", "--os=" + TwinSysroots.Os, "--retain", "vectoros/v3");
        t.ArborDeploy("arbor", new DeployRequest { Refspec = "vectoros/v3", Stateroot = TwinSysroots.Os, Retain = true });

        Assert.Equal(t.BootState("ostree"), t.BootState("arbor"));
        for (int i = 0; i < 3; i++)
            Assert.Equal(TreeListing.Capture(Path.Join(t.DeploymentDir("ostree", i), "etc")), TreeListing.Capture(Path.Join(t.DeploymentDir("arbor", i), "etc")));
        Assert.Equal(t.OstreeAdminOk("ostree", "status"), t.ArborAdminOk("arbor", "status"));
    }

    /// <summary>Both twins get v1, v2, v3 (retained, identical), made by ostree on both sides.</summary>
    private static TwinSysroots ThreeDeployments()
    {
        var t = new TwinSysroots();
        CommitVersions(t);
        foreach (var side in new[] { "ostree", "arbor" })
        {
            t.OstreeAdminOk(side, "deploy", "--os=" + TwinSysroots.Os, "--karg=quiet", "vectoros/stable");
            t.OstreeAdminOk(side, "deploy", "--os=" + TwinSysroots.Os, "--retain", "vectoros/v2");
            t.OstreeAdminOk(side, "deploy", "--os=" + TwinSysroots.Os, "--retain", "vectoros/v3");
        }
        Assert.Equal(t.BootState("ostree"), t.BootState("arbor"));
        return t;
    }

    [Fact]
    public void UndeployMatchesOstree()
    {
        Privileged.RequireRoot();
        using var t = ThreeDeployments();
        var o = t.OstreeAdminOk("ostree", "undeploy", "1");
        var a = t.ArborAdminOk("arbor", "undeploy", "1");
        Assert.Equal(o, a);
        Assert.Equal(t.BootState("ostree"), t.BootState("arbor"));
        Assert.Equal(t.DeploymentRefs("ostree"), t.DeploymentRefs("arbor"));
        // out of range, same words
        var eo = t.OstreeAdmin("ostree", "undeploy", "5");
        var ea = t.ArborAdmin("arbor", "undeploy", "5");
        Assert.NotEqual(0, ea.ExitCode);
        Assert.Equal(eo.Stderr, ea.Stderr);
    }

    [Fact]
    public void PinAndUnpinMatchOstree()
    {
        Privileged.RequireRoot();
        using var t = ThreeDeployments();
        foreach (var args in new[] { new[] { "pin", "1" }, ["pin", "1"], ["pin", "0", "2"], ["pin", "--unpin", "1"], ["pin", "-u", "1"] })
            Assert.Equal(t.OstreeAdminOk("ostree", args), t.ArborAdminOk("arbor", args));
        Assert.Equal(t.BootState("ostree"), t.BootState("arbor"));
        Assert.Equal(t.OstreeAdminOk("ostree", "status"), t.ArborAdminOk("arbor", "status"));
        foreach (var bad in new[] { "x", "9" })
            Assert.Equal(t.OstreeAdmin("ostree", "pin", bad).Stderr, t.ArborAdmin("arbor", "pin", bad).Stderr);
        // pinned deployments survive a new deployment on both sides
        t.OstreeAdminOk("ostree", "deploy", "--os=" + TwinSysroots.Os, "vectoros/v2");
        t.ArborDeploy("arbor", new DeployRequest { Refspec = "vectoros/v2", Stateroot = TwinSysroots.Os });
        Assert.Equal(t.BootState("ostree"), t.BootState("arbor"));
    }

    [Fact]
    public void KargsEditInPlaceMatchesOstreeIncludingOddEntries()
    {
        Privileged.RequireRoot();
        using var t = ThreeDeployments();
        // give one entry odd spacing and an unknown key, on both sides
        foreach (var side in new[] { "ostree", "arbor" })
        {
            var entry = t.Host(side, "boot/loader/entries/ostree-2-vectoros.conf");
            var lines = File.ReadAllLines(entry).ToList();
            lines.Insert(0, "# a comment");
            lines.Add("machine-id 0123");
            lines[lines.FindIndex(l => l.StartsWith("title ", StringComparison.Ordinal))] = "title\tTabbed  Title ";
            File.WriteAllText(entry, string.Join('\n', lines) + "\n");
        }
        Assert.Equal(t.OstreeAdminOk("ostree", "kargs", "edit-in-place", "--append-if-missing=console=ttyS0", "--append-if-missing=quiet"),
            t.ArborAdminOk("arbor", "kargs", "edit-in-place", "--append-if-missing=console=ttyS0", "--append-if-missing=quiet"));
        Assert.Equal(t.BootState("ostree"), t.BootState("arbor"));
    }

    [Fact]
    public void CleanupRemovesTheSameLeftovers()
    {
        Privileged.RequireRoot();
        using var t = ThreeDeployments();
        foreach (var side in new[] { "ostree", "arbor" })
        {
            // leftovers of interrupted operations: another boot version, a stray farm, an unreferenced deployment and kernel dir
            Directory.CreateDirectory(t.Host(side, "boot/loader.1/entries"));
            Directory.CreateDirectory(t.Host(side, "ostree/boot.0.0/x"));
            ProcessRunner.RunOk("cp", "-a", t.DeploymentDir(side, 2), t.Host(side, $"ostree/deploy/{TwinSysroots.Os}/deploy/{new string('a', 64)}.0"));
            Directory.CreateDirectory(t.Host(side, $"boot/ostree/{TwinSysroots.Os}-{new string('b', 64)}"));
        }
        Assert.Equal(t.OstreeAdminOk("ostree", "cleanup"), t.ArborAdminOk("arbor", "cleanup"));
        Assert.Equal(t.BootState("ostree"), t.BootState("arbor"));
        Assert.Equal(t.DeploymentRefs("ostree"), t.DeploymentRefs("arbor"));
    }

    [Fact]
    public void ArborSetDefaultAndRollbackLeaveASysrootOstreeReads()
    {
        Privileged.RequireRoot();
        using var t = ThreeDeployments();
        var before = t.ArborAdminOk("arbor", "status");
        t.ArborAdminOk("arbor", "set-default", "2");
        var status = t.OstreeAdminOk("arbor", "status");
        Assert.Equal(t.ArborAdminOk("arbor", "status"), status);
        Assert.StartsWith($"  {TwinSysroots.Os} {t.Arbor.Load()[0].Name}", status);
        var lines = before.Split('\n');
        Assert.Equal(lines[6], status.Split('\n')[0]);          // the third deployment is now first
        t.ArborAdminOk("arbor", "rollback");
        t.ArborAdminOk("arbor", "rollback");
        Assert.Equal(t.OstreeAdminOk("arbor", "status"), t.ArborAdminOk("arbor", "status"));
        Assert.Equal(lines[6], t.OstreeAdminOk("arbor", "status").Split('\n')[0]);
    }
}
