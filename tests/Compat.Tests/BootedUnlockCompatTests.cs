using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// <c>admin unlock</c> on booted systems (<see cref="BootedTwins"/>), each tool on its own side:
/// same output, state, origins and status; on arbor's side /usr then takes writes without touching
/// the deployment or the repository. Arbor's booted /usr is the deployment's own (read-only, as
/// prepare-root leaves it), never the host's; ostree's side keeps the host's /usr so that the
/// chrooted ostree runs, and its overlay ends with its own mount namespace.
/// </summary>
public sealed class BootedUnlockCompatTests
{
    [Fact]
    public void DevelopmentUnlockMatchesOstreeAndWritesGoToTheOverlay()
    {
        Privileged.RequireRoot();
        using var b = Boot();
        var appConf = Path.Join(BootedDeployment(b, "arbor"), "usr/etc/app.conf");
        var before = File.ReadAllText(appConf);
        Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Join(b.Root("arbor"), "usr/etc/app.conf"), "x\n"));

        var expected = b.Ok("ostree", "ostree", "admin", "unlock");
        Assert.Equal("Development mode enabled.  A writable overlayfs is now mounted on /usr.\nAll changes there will be discarded on reboot.\n", expected);
        Assert.Equal(expected, b.Ok("arbor", "arbor", "admin", "unlock"));

        foreach (var side in BootedTwins.Sides)
        {
            var flag = Path.Join(b.Root(side), "run/ostree/deployment-state", Name(b, side), "unlocked-development");
            var ovl = File.ReadAllText(flag);
            Assert.Matches(@"^/var/tmp/ostree-unlock-ovl\.[A-Za-z0-9]{6}$", ovl);
            Assert.True(Directory.Exists(Path.Join(b.Root(side), ovl, "upper")), side);
            Assert.True(Directory.Exists(Path.Join(b.Root(side), ovl, "work")), side);
        }
        AssertStatusMatches(b, "    Unlocked: development\n");
        AssertOverlayTakesWrites(b, appConf, before);

        var again = b.Tool("ostree", "ostree", "admin", "unlock", "--hotfix");
        Assert.Equal("error: Deployment is already in unlocked state: development\n", again.Stderr);
        var mine = b.Tool("arbor", "arbor", "admin", "unlock", "--hotfix");
        Assert.Equal((again.ExitCode, again.Stderr), (mine.ExitCode, mine.Stderr));
    }

    [Fact]
    public void HotfixUnlockRetainsARollbackCloneAsOstreeDoes()
    {
        Privileged.RequireRoot();
        using var b = Boot();
        var appConf = Path.Join(BootedDeployment(b, "arbor"), "usr/etc/app.conf");
        var before = File.ReadAllText(appConf);

        var expected = b.Ok("ostree", "ostree", "admin", "unlock", "--hotfix");
        Assert.EndsWith("Hotfix mode enabled.  A writable overlayfs is now mounted on /usr\nfor this booted deployment.  A non-hotfixed clone has been created\nas the non-default rollback target.\n", expected);
        Assert.Equal(expected, b.Ok("arbor", "arbor", "admin", "unlock", "--hotfix"));

        AssertStatusMatches(b, "    Unlocked: hotfix\n");
        Assert.Equal(b.Twin.BootState("ostree"), b.Twin.BootState("arbor"));
        var ostreeSet = b.Twin.ArborSysroot("ostree").Load();
        var arborSet = b.Twin.ArborSysroot("arbor").Load();
        Assert.Equal(ostreeSet.Deployments.Select(d => d.Name), arborSet.Deployments.Select(d => d.Name));
        for (int i = 0; i < ostreeSet.Count; i++)
            Assert.Equal(File.ReadAllText(b.Twin.Host("ostree", ostreeSet[i].OriginRelativePath)), File.ReadAllText(b.Twin.Host("arbor", arborSet[i].OriginRelativePath)));
        Assert.Contains("unlocked=hotfix\n", File.ReadAllText(b.Twin.Host("arbor", arborSet[0].OriginRelativePath)));
        Assert.Equal(arborSet[0].Commit, arborSet[1].Commit); // the clone is the rollback
        Assert.DoesNotContain("unlocked", File.ReadAllText(b.Twin.Host("arbor", arborSet[1].OriginRelativePath)));
        foreach (var dir in new[] { ".usr-ovl-upper", ".usr-ovl-work" })
            Assert.Equal(TreeListing.Capture(Path.Join(BootedDeployment(b, "ostree"), dir)), TreeListing.Capture(Path.Join(BootedDeployment(b, "arbor"), dir)));

        AssertOverlayTakesWrites(b, appConf, before);
        // the change persists in the deployment, for prepare-root to mount again at boot
        Assert.Equal("hotfix\n", File.ReadAllText(Path.Join(BootedDeployment(b, "arbor"), ".usr-ovl-upper/etc/app.conf")));
    }

    [Fact]
    public void TransientUnlockIsReadOnlyAsOstreeMountsIt()
    {
        Privileged.RequireRoot();
        using var b = Boot();
        var expected = b.Ok("ostree", "ostree", "admin", "unlock", "--transient");
        Assert.Equal(expected, b.Ok("arbor", "arbor", "admin", "unlock", "--transient"));
        Assert.Contains("overlay ro,", MountLine(b, "arbor"));
        Assert.True(File.Exists(Path.Join(b.Root("arbor"), "run/ostree/deployment-state", Name(b, "arbor"), "unlocked-transient")));
        Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Join(b.Root("arbor"), "usr/new-file"), "x\n"));
        AssertStatusMatches(b, "    Unlocked: transient\n");
    }

    [Fact]
    public void RefusalsMatchOstree()
    {
        Privileged.RequireRoot();
        using var b = Boot();
        var both = b.Tool("ostree", "ostree", "admin", "unlock", "--hotfix", "--transient");
        Assert.Equal("error: Cannot specify both --hotfix and --transient\n", both.Stderr);
        var mine = b.Tool("arbor", "arbor", "admin", "unlock", "--hotfix", "--transient");
        Assert.Equal((both.ExitCode, both.Stderr), (mine.ExitCode, mine.Stderr));

        // the physical sysroot, not booted
        var notBooted = b.Twin.OstreeAdmin("ostree", "unlock");
        Assert.Equal("error: Not currently booted into an OSTree system\n", notBooted.Stderr);
        mine = b.Twin.ArborAdmin("arbor", "unlock");
        Assert.Equal((notBooted.ExitCode, notBooted.Stderr), (mine.ExitCode, mine.Stderr));
        Assert.Equal(b.Ok("ostree", "ostree", "admin", "status"), b.Ok("arbor", "arbor", "admin", "status"));
    }

    /// <summary>
    /// Booted twins with the stateroot's var at /var (holding tmp/) on both sides, and arbor's
    /// booted /usr made the deployment's own, read-only, as prepare-root mounts it.
    /// </summary>
    private static BootedTwins Boot()
    {
        var b = new BootedTwins();
        foreach (var side in BootedTwins.Sides)
        {
            var target = b.Inner(side);
            var script = $"""
                set -e
                mount --bind {b.Twin.Ns.InnerPath(side)}/ostree/deploy/{TwinSysroots.Os}/var {target}/var
                mkdir -p {target}/var/tmp
                """;
            if (side == "arbor")
                script += $"""

                    umount -R {target}/usr
                    mount --bind {target}/usr {target}/usr
                    mount -o remount,bind,ro {target}/usr
                    """;
            var r = b.Twin.Ns.Run("sh", ["-c", script]);
            Assert.True(r.ExitCode == 0, r.ToString());
        }
        return b;
    }

    private static string Name(BootedTwins b, string side) => b.Sysroot(side).Load().Booted!.Name;

    private static string BootedDeployment(BootedTwins b, string side) =>
        b.Twin.Host(side, "ostree/deploy/" + TwinSysroots.Os + "/deploy/" + Name(b, side));

    /// <summary>The mount table line of arbor's booted /usr, as the namespace sees it.</summary>
    private static string MountLine(BootedTwins b, string side)
    {
        var target = b.Inner(side) + "/usr";
        var lines = File.ReadAllLines($"/proc/{b.Twin.Ns.Pid}/mounts").Where(l => l.Split(' ')[1] == target).ToList();
        Assert.NotEmpty(lines);
        return lines[^1];
    }

    /// <summary>
    /// Arbor's status on each side is ostree's, with the unlocked line on the booted deployment
    /// (ostree cannot run on arbor's side, whose /usr is not the host's).
    /// </summary>
    private static void AssertStatusMatches(BootedTwins b, string unlockedLine)
    {
        var status = b.Ok("ostree", "ostree", "admin", "status");
        Assert.Contains(unlockedLine, status);
        Assert.Equal(status, b.Ok("arbor", "arbor", "admin", "status"));
        Assert.Equal(status, b.Ok("arbor", "ostree", "admin", "status"));
        var json = b.Ok("arbor", "arbor", "admin", "status", "--json");
        Assert.Contains($"\"unlocked\": \"{unlockedLine.Split(": ")[1].TrimEnd('\n')}\"", json);
    }

    /// <summary>
    /// Arbor's booted /usr is an overlay (checked first: a write must never reach a real /usr)
    /// whose changes leave the deployment's hardlinked file and the repository as they were.
    /// </summary>
    private static void AssertOverlayTakesWrites(BootedTwins b, string deploymentFile, string before)
    {
        var line = MountLine(b, "arbor");
        Assert.StartsWith("overlay ", line);
        Assert.Contains("lowerdir=usr,", line);
        var usr = Path.Join(b.Root("arbor"), "usr");
        File.WriteAllText(Path.Join(usr, "etc/app.conf"), "hotfix\n");
        File.WriteAllText(Path.Join(usr, "new-file"), "new\n");
        Assert.Equal("hotfix\n", File.ReadAllText(Path.Join(usr, "etc/app.conf")));
        Assert.Equal(before, File.ReadAllText(deploymentFile));
        Assert.False(File.Exists(Path.Join(Path.GetDirectoryName(Path.GetDirectoryName(deploymentFile))!, "new-file")));
        var fsck = CliRunner.Run(["fsck", "--repo=" + b.Twin.Host("arbor", "ostree/repo")]);
        Assert.True(fsck.ExitCode == 0, fsck.ToString());
    }
}
