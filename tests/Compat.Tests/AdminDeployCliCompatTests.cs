using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// <c>arbor admin deploy / upgrade / switch / set-origin / cleanup</c> run as a process inside the
/// scratch namespace (arbor's own checkout), against <c>ostree admin</c> on the twin sysroot:
/// same printed lines, same deployment trees, boot entries, links, origins, status and repo.
/// </summary>
public sealed class AdminDeployCliCompatTests
{
    private static CliResult Arbor(TwinSysroots t, string side, params string[] args) =>
        t.Ns.Run(ArborProcess.Executable, ["admin", .. args, "--sysroot=" + t.Ns.InnerPath(side)]);

    private static string ArborOk(TwinSysroots t, string side, params string[] args)
    {
        var r = Arbor(t, side, args);
        if (r.ExitCode != 0) throw new Xunit.Sdk.XunitException($"arbor admin {string.Join(' ', args)} on {side} failed:\n{r}");
        return r.Stdout;
    }

    /// <summary>Runs the same admin command with each tool on its own twin; the printed lines must be the same.</summary>
    private static string Both(TwinSysroots t, params string[] args)
    {
        var o = t.OstreeAdminOk("ostree", args);
        var a = ArborOk(t, "arbor", args);
        Assert.Equal(o, a);
        return a;
    }

    private static void AssertSameSysroots(TwinSysroots t, int deployments)
    {
        Assert.Equal(t.BootState("ostree"), t.BootState("arbor"));
        Assert.Equal(t.DeploymentRefs("ostree"), t.DeploymentRefs("arbor"));
        for (int i = 0; i < deployments; i++)
        {
            var o = t.DeploymentDir("ostree", i);
            var a = t.DeploymentDir("arbor", i);
            Assert.Equal(TreeListing.Capture(o), TreeListing.Capture(a));
            Assert.Equal(TreeListing.Xattrs(o), TreeListing.Xattrs(a));
        }
        Assert.Equal(t.OstreeAdminOk("ostree", "status"), t.OstreeAdminOk("arbor", "status"));
        Assert.Equal(t.OstreeAdminOk("ostree", "status"), ArborOk(t, "arbor", "status"));
    }

    [Fact]
    public void DeployThroughTheCliGivesOstreesTrees()
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        AdminCompatTests.CommitVersions(t);
        Assert.Contains("Bootloader updated", Both(t, "deploy", "--os=" + TwinSysroots.Os, "--karg=root=LABEL=root", "--karg-append=quiet", "vectoros/stable"));
        AdminCompatTests.EditEtc(t, "ostree");
        AdminCompatTests.EditEtc(t, "arbor");
        Assert.StartsWith("Copying /etc changes:", Both(t, "deploy", "--os=" + TwinSysroots.Os, "vectoros/v2"));
        AssertSameSysroots(t, 2);
        Both(t, "deploy", "--os=" + TwinSysroots.Os, "--retain", "--not-as-default", "vectoros/v3");
        AssertSameSysroots(t, 3);
        Both(t, "undeploy", "2");
        Assert.Equal("", Both(t, "cleanup"));
        AssertSameSysroots(t, 2);
        Assert.Equal(Objects(t, "ostree"), Objects(t, "arbor"));
    }

    [Fact]
    public void RepeatedKargFlagsAreTakenAsOstreeTakesThem()
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        AdminCompatTests.CommitVersions(t);
        var os = "--os=" + TwinSysroots.Os;
        Both(t, "deploy", os, "--karg=a=1", "--karg=b=2", "--karg-append=c=1", "--karg-append=c=2", "vectoros/stable");
        // --karg and --karg-append add up; --karg-delete is a single string in ostree: the last one given wins
        Both(t, "deploy", os, "--karg=a=3", "--karg-delete=c=1", "--karg-delete=b", "vectoros/stable");
        Both(t, "deploy", os, "--karg=a=1", "--karg-delete=a=1", "--karg-delete=a", "vectoros/stable");
        AssertSameSysroots(t, 2);
        Assert.Contains("\noptions c=1 c=2 ostree=", t.BootState("arbor"));
        var o = t.OstreeAdmin("ostree", "deploy", os, "--karg-delete=zz=1", "--karg-delete=a", "vectoros/stable");
        var a = Arbor(t, "arbor", "deploy", os, "--karg-delete=zz=1", "--karg-delete=a", "vectoros/stable");
        Assert.Equal((1, "error: No key 'a' found\n"), (o.ExitCode, o.Stderr));
        Assert.Equal((o.ExitCode, o.Stderr), (a.ExitCode, a.Stderr));
        AssertSameSysroots(t, 2);
    }

    [Fact]
    public void InstutilSetKargsPrintCurrentDirAndLeadingSysrootMatchOstree()
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        AdminCompatTests.CommitVersions(t);
        var os = "--os=" + TwinSysroots.Os;
        Both(t, "deploy", os, "--karg=quiet", "--karg=a=1", "vectoros/stable");
        Both(t, "deploy", os, "--retain", "vectoros/v2");
        foreach (var args in new[]
                 {
                     new[] { "foo=bar" },
                     new[] { "--merge", "--replace=foo=baz", "--append=x=1", "--append=x=2", "y" },
                     new[] { "--merge", "--replace=x=9", "--replace=y=1", "z" },
                     new[] { "--import-proc-cmdline", "q" },
                     Array.Empty<string>(),
                 })
        {
            Assert.StartsWith("Bootloader updated; bootconfig swap: yes;", Both(t, ["instutil", "set-kargs", .. args]));
            AssertSameSysroots(t, 2);
        }

        // the first deployment's directory, absolute
        var dir = t.OstreeAdminOk("ostree", "--print-current-dir");
        Assert.Equal(t.Ns.InnerPath("ostree/" + t.Arbor.Load()[0].RelativePath) + "\n", dir);
        Assert.Equal(dir.Replace(t.Ns.InnerPath("ostree/"), t.Ns.InnerPath("arbor/"), StringComparison.Ordinal), ArborOk(t, "arbor", "--print-current-dir"));

        // options before the command go to the command, as in ostree's main
        var o = t.Ns.Ostree(["--sysroot=" + t.Ns.InnerPath("ostree"), "admin", "status"]);
        var a = t.Ns.Run(ArborProcess.Executable, ["--sysroot=" + t.Ns.InnerPath("arbor"), "admin", "status"]);
        Assert.Equal((0, o.Stdout), (a.ExitCode, a.Stdout));
    }

    [Fact]
    public void ErrorAndMessageLinesMatchOstree()
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        AdminCompatTests.CommitVersions(t);
        var os = "--os=" + TwinSysroots.Os;
        foreach (var side in new[] { "ostree", "arbor" })
            t.Ns.OstreeOk("refs", "--repo=" + t.Ns.InnerPath(side + "/ostree/repo"), "--create=vectoros/up", "vectoros/stable");
        Both(t, "deploy", os, "vectoros/up");
        File.WriteAllText(t.Ns.HostPath("bad.origin"), "garbage no group\n");
        File.WriteAllText(t.Ns.HostPath("unconfigured.origin"), "[origin]\nrefspec=vectoros/v3\nunconfigured-state=Use subscription-manager\n");
        Directory.CreateDirectory(t.Ns.HostPath("empty"));

        void Same(string[] args, string expected, string ostreeSide = "ostree", string arborSide = "arbor")
        {
            var o = t.OstreeAdmin(ostreeSide, args);
            var a = Arbor(t, arborSide, args);
            Assert.Equal((1, expected), (o.ExitCode, o.Stderr));
            Assert.Equal((o.ExitCode, o.Stderr), (a.ExitCode, a.Stderr));
        }
        var before = TreeListing.Capture(t.Host("arbor"));
        Same(["deploy", os, "--origin-file=/nonexistent", "vectoros/v2"], "error: No such file or directory\n");
        Same(["deploy", os, "--origin-file=" + t.Ns.InnerPath("bad.origin"), "vectoros/v2"],
            "error: Key file contains line “garbage no group” which is not a key-value pair, group, or comment\n");
        Same(["kargs", "edit-in-place", "--bogus"], "error: Unknown option --bogus\n");
        Same(["kargs", "edit-in-place", "--append-if-missing=z=1", "--bogus=2"], "error: Unknown option --bogus=2\n");
        foreach (var args in new[] { new[] { "deploy", os, "vectoros/v2" }, ["undeploy", "0"], ["cleanup"] })
            Same(args, "error: No such file or directory\n", "empty", "empty");
        Assert.Equal(before, TreeListing.Capture(t.Host("arbor")));
        // a stateroot nobody made: ostree's error, and arbor leaves nothing behind (ostree leaves a deployment)
        Same(["deploy", "--os=unknown", "vectoros/v2"], "error: opendir(var): No such file or directory\n");
        Assert.False(Directory.Exists(t.Host("arbor", "ostree/deploy/unknown")));
        ProcessRunner.RunOk("rm", "-rf", t.Host("ostree", "ostree/deploy/unknown"));

        // a fifo among the local /etc changes: ostree only journals it
        foreach (var side in new[] { "ostree", "arbor" })
            ProcessRunner.RunOk("mkfifo", Path.Join(t.DeploymentDir(side, 0), "etc/fifo"));
        // switching away from a local ref: "(null)" for the remote, as glibc prints it
        Assert.Contains("Deleting ref '(null):vectoros/up'\n", Both(t, "switch", os, "vectoros/v2"));
        AssertSameSysroots(t, 2);

        Both(t, "deploy", os, "--origin-file=" + t.Ns.InnerPath("unconfigured.origin"), "vectoros/v3");
        Same(["upgrade", os], "error: origin unconfigured-state: Use subscription-manager\n");
    }

    [Fact]
    public void FullBootIsOstreesOneLineError()
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        var kernel = new byte[2 * 1024 * 1024];
        new Random(3).NextBytes(kernel);
        var tree = t.VectorTree();
        File.WriteAllBytes(Path.Join(tree.Path, "usr/lib/modules/6.1.0-vec/vmlinuz"), kernel);
        t.Commit(tree, "1", 1);
        foreach (var side in new[] { "ostree", "arbor" })
        {
            var r = t.Ns.Run("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", t.Ns.InnerPath(side + "/boot")]);
            Assert.True(r.ExitCode == 0, r.ToString());
        }
        var o = t.OstreeAdmin("ostree", "deploy", "--os=" + TwinSysroots.Os, "vectoros/stable");
        var a = Arbor(t, "arbor", "deploy", "--os=" + TwinSysroots.Os, "vectoros/stable");
        Assert.Equal((1, "error: Installing kernel: regfile copy: No space left on device\n"), (o.ExitCode, o.Stderr));
        Assert.Equal((o.ExitCode, o.Stderr), (a.ExitCode, a.Stderr));
    }

    [Fact]
    public void UpgradeSwitchSetOriginAndCleanupFromARemoteMatchOstree()
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        var srv = t.Ns.InnerPath("srv");
        t.Ns.OstreeOk("init", "--repo=" + srv, "--mode=archive");
        var tree = t.VectorTree();
        string Publish(string version, int day, string branch = "vectoros/stable") =>
            OsTree.Commit(t.Ns.Ostree, srv, t.Ns.Inner + tree.Path[t.Ns.Path.Length..], branch, version, day);

        Publish("1", 1);
        foreach (var side in new[] { "ostree", "arbor" })
        {
            t.Ns.OstreeOk("remote", "add", "--repo=" + t.Ns.InnerPath(side + "/ostree/repo"), "--no-gpg-verify", "origin", "file://" + srv);
            t.Ns.OstreeOk("pull", "--repo=" + t.Ns.InnerPath(side + "/ostree/repo"), "origin", "vectoros/stable");
        }
        Both(t, "deploy", "--os=" + TwinSysroots.Os, "origin:vectoros/stable");
        Assert.Equal("No update available.\n", Both(t, "upgrade", "--os=" + TwinSysroots.Os));
        var check = Arbor(t, "arbor", "upgrade", "--os=" + TwinSysroots.Os, "--check");
        Assert.Equal((77, "No update available.\n"), (check.ExitCode, check.Stdout));

        File.WriteAllText(Path.Join(t.DeploymentDir("ostree", 0), "etc/app.conf"), "a=local\n");
        File.WriteAllText(Path.Join(t.DeploymentDir("arbor", 0), "etc/app.conf"), "a=local\n");
        var v2 = Publish("2", 2);
        var before = TreeListing.Capture(t.Host("arbor"));
        check = Arbor(t, "arbor", "upgrade", "--os=" + TwinSysroots.Os, "--check");
        Assert.Equal((0, $"Update available: {v2}\n"), (check.ExitCode, check.Stdout));
        Assert.Equal(before, TreeListing.Capture(t.Host("arbor")));

        Both(t, "upgrade", "--os=" + TwinSysroots.Os, "--pull-only");
        Assert.Contains("Bootloader updated", Both(t, "upgrade", "--os=" + TwinSysroots.Os, "--deploy-only"));
        AssertSameSysroots(t, 2);

        tree.File("usr/etc/testing", "t\n");
        Publish("3", 3, "vectoros/testing");
        Assert.Contains("Deleting ref 'origin:vectoros/stable'", Both(t, "switch", "--os=" + TwinSysroots.Os, "vectoros/testing"));
        AssertSameSysroots(t, 2);

        Both(t, "set-origin", "--index=0", "--set=gpg-verify=false", "mirror", "file:///nowhere", "vectoros/other");
        Assert.Equal(File.ReadAllText(t.Host("ostree", "ostree/repo/config")), File.ReadAllText(t.Host("arbor", "ostree/repo/config")));
        AssertSameSysroots(t, 2);

        Both(t, "cleanup");
        Assert.Equal(Objects(t, "ostree"), Objects(t, "arbor"));
    }

    [Fact]
    public void SetOriginWritesAFreshOriginAsOstreeDoes()
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        AdminCompatTests.CommitVersions(t);
        // an origin with more than a refspec: another group, unlocked=, override-commit=; then pinned
        var commit = global::Arbor.Repo.Refs.RevParser.Resolve(t.Arbor.Repo, "vectoros/stable");
        File.WriteAllText(t.Ns.HostPath("rich.origin"),
            $"[origin]\nrefspec=vectoros/stable\noverride-commit={commit}\nunlocked=development\n\n[extra]\nkey=value\n");
        Both(t, "deploy", "--os=" + TwinSysroots.Os, "--origin-file=" + t.Ns.InnerPath("rich.origin"), "vectoros/stable");
        Both(t, "pin", "0");
        AssertSameSysroots(t, 1);

        Both(t, "set-origin", "--index=0", "--set=gpg-verify=false", "myremote", "http://example.com", "vectoros/v3");
        AssertSameSysroots(t, 1);
        Assert.Equal("[origin]\nrefspec=myremote:vectoros/v3\n", File.ReadAllText(t.DeploymentDir("arbor", 0) + ".origin"));
        Assert.Equal(File.ReadAllText(t.Host("ostree", "ostree/repo/config")), File.ReadAllText(t.Host("arbor", "ostree/repo/config")));
        Assert.DoesNotContain("(pinned)", ArborOk(t, "arbor", "status"));
    }

    /// <summary>The system repo's object files (so prune results can be compared).</summary>
    private static string Objects(TwinSysroots t, string side) =>
        string.Join('\n', Directory.EnumerateFiles(t.Host(side, "ostree/repo/objects"), "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(t.Host(side), p)).Order(StringComparer.Ordinal));

    [Fact]
    public void OverlayInitrdIsInstalledAndListedAsOstreeDoes()
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        AdminCompatTests.CommitVersions(t);
        // both tools stage overlay initrds under /run/ostree/staged-initrds: a private /run in the namespace
        Assert.Equal(0, t.Ns.Run("mount", ["-t", "tmpfs", "tmpfs", "/run"]).ExitCode);
        File.WriteAllText(t.Ns.HostPath("overlay.img"), "extra initramfs\n");
        File.WriteAllText(t.Ns.HostPath("overlay2.img"), "second\n");
        var overlay = "--overlay-initrd=" + t.Ns.InnerPath("overlay.img");
        Both(t, "deploy", "--os=" + TwinSysroots.Os, overlay, "--overlay-initrd=" + t.Ns.InnerPath("overlay2.img"), "vectoros/stable");
        AssertSameSysroots(t, 1);
        var state = t.BootState("arbor");
        Assert.Matches(@"\ninitrd /ostree/initramfs-overlays/[0-9a-f]{64}\.img\ninitrd /ostree/initramfs-overlays/[0-9a-f]{64}\.img\n", state);

        // a deployment keeps the overlays it was deployed with; images no deployment uses go with the cleanup
        static int Images(string state) => state.Split('\n').Count(l => l.Contains(" boot/ostree/initramfs-overlays/", StringComparison.Ordinal));
        Both(t, "deploy", "--os=" + TwinSysroots.Os, overlay, "vectoros/v2");
        AssertSameSysroots(t, 2);
        Assert.Equal(2, Images(t.BootState("arbor")));
        Both(t, "deploy", "--os=" + TwinSysroots.Os, "vectoros/v3");
        AssertSameSysroots(t, 2);
        Assert.Equal(1, Images(t.BootState("arbor")));

        // a missing file is a one-line error and changes nothing
        var before = t.BootState("arbor");
        var r = Arbor(t, "arbor", "deploy", "--os=" + TwinSysroots.Os, "--overlay-initrd=/nonexistent.img", "vectoros/v1");
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("/nonexistent.img", r.Stderr);
        Assert.Equal(before, t.BootState("arbor"));
    }

    /// <summary>
    /// Commits the versions, signs vectoros/stable in the ostree repo and copies the signature to the
    /// arbor one (the same commit, so the same detached metadata); the public key is left in key.gpg.
    /// </summary>
    private static string SignStableInBoth(TwinSysroots t, GpgHome gpg)
    {
        AdminCompatTests.CommitVersions(t);
        var commit = t.Ns.OstreeOk("rev-parse", "--repo=" + t.Ns.InnerPath("ostree/ostree/repo"), "vectoros/stable").Trim();
        t.Ns.OstreeOk("gpg-sign", "--repo=" + t.Ns.InnerPath("ostree/ostree/repo"), "--gpg-homedir=" + gpg.Path, commit, gpg.KeyId);
        var meta = $"ostree/repo/objects/{commit[..2]}/{commit[2..]}.commitmeta";
        File.Copy(t.Host("ostree", meta), t.Host("arbor", meta));
        File.WriteAllBytes(t.Ns.HostPath("key.gpg"), gpg.ExportPublicKey());
        return commit;
    }

    [Fact]
    public void PlainStatusChecksGpgAsOstreeDoes()
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        using var gpg = new GpgHome(t.Ns.HostPath("gpg"));
        var commit = SignStableInBoth(t, gpg);
        var unsigned = t.Ns.OstreeOk("rev-parse", "--repo=" + t.Ns.InnerPath("ostree/ostree/repo"), "vectoros/v2").Trim();
        foreach (var side in new[] { "ostree", "arbor" })
        {
            var repo = "--repo=" + t.Ns.InnerPath(side + "/ostree/repo");
            // ostree 2022.7 checks with the keyring of the remote named like the stateroot
            t.Ns.OstreeOk("remote", "add", repo, "--gpg-import=" + t.Ns.InnerPath("key.gpg"), TwinSysroots.Os, "http://127.0.0.1:9/repo");
            t.Ns.OstreeOk("remote", "add", repo, "--gpg-import=" + t.Ns.InnerPath("key.gpg"), "signed", "http://127.0.0.1:9/repo");
            t.Ns.OstreeOk("refs", repo, "--create=signed:vectoros/stable", commit);
            t.Ns.OstreeOk("refs", repo, "--create=signed:vectoros/v2", unsigned);
        }
        Both(t, "deploy", "--os=" + TwinSysroots.Os, "signed:vectoros/stable");
        var status = t.OstreeAdminOk("ostree", "status");
        Assert.Contains("\n    GPG: Good signature from \"Arbor Test <test@example.com>\"\n", status);
        Assert.Equal(status, ArborOk(t, "arbor", "status"));
        Assert.Equal(status, t.OstreeAdminOk("arbor", "status"));
        Assert.DoesNotContain("    GPG:", ArborOk(t, "arbor", "status", "-V"));

        // an unsigned commit from a gpg-verify remote: the listing stops there with ostree's error
        Both(t, "deploy", "--os=" + TwinSysroots.Os, "--retain", "signed:vectoros/v2");
        var o = t.OstreeAdmin("ostree", "status");
        var a = Arbor(t, "arbor", "status");
        Assert.Equal((1, "error: GPG verification enabled, but no signatures found (use gpg-verify=false in remote config to disable)\n"), (o.ExitCode, o.Stderr));
        Assert.Equal((o.ExitCode, o.Stdout, o.Stderr), (a.ExitCode, a.Stdout, a.Stderr));
        Assert.Equal(0, Arbor(t, "arbor", "status", "--json").ExitCode);

        // no remote named like the stateroot: signed commits pass silently
        Both(t, "undeploy", "0");
        foreach (var side in new[] { "ostree", "arbor" })
            t.Ns.OstreeOk("remote", "delete", "--repo=" + t.Ns.InnerPath(side + "/ostree/repo"), TwinSysroots.Os);
        status = t.OstreeAdminOk("ostree", "status");
        Assert.DoesNotContain("GPG:", status);
        Assert.Equal(status, ArborOk(t, "arbor", "status"));
    }

    [Fact]
    public void StatusDescribesSubkeySignaturesAsOstreeDoes()
    {
        // gpg's name and e-mail without the comment, the primary key ID and the key's expiry lines
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        using var gpg = new GpgHome(t.Ns.HostPath("gpg"), "Arbor Test (release key)", "test@example.com");
        gpg.AddSubkey("ed25519", "sign", "2031-03-04");
        var commit = SignStableInBoth(t, gpg);
        foreach (var side in new[] { "ostree", "arbor" })
        {
            var repo = "--repo=" + t.Ns.InnerPath(side + "/ostree/repo");
            t.Ns.OstreeOk("remote", "add", repo, "--gpg-import=" + t.Ns.InnerPath("key.gpg"), TwinSysroots.Os, "http://127.0.0.1:9/repo");
            t.Ns.OstreeOk("remote", "add", repo, "--gpg-import=" + t.Ns.InnerPath("key.gpg"), "signed", "http://127.0.0.1:9/repo");
            t.Ns.OstreeOk("refs", repo, "--create=signed:vectoros/stable", commit);
        }
        Both(t, "deploy", "--os=" + TwinSysroots.Os, "signed:vectoros/stable");
        var status = t.OstreeAdminOk("ostree", "status");
        Assert.Contains($"\n    GPG: Good signature from \"Arbor Test <test@example.com>\"\n    GPG: Primary key ID {gpg.KeyId}\n    GPG: Key expires Tue Mar ", status);
        Assert.Equal(status, ArborOk(t, "arbor", "status"));
        var verified = t.OstreeAdminOk("ostree", "status", "--verify");
        Assert.Contains("\nGPG: Key expires Tue Mar ", verified);
        Assert.Equal(verified, ArborOk(t, "arbor", "status", "--verify"));
    }

    [Fact]
    public void StatusPrintsGpgSignatureLinesAsOstreeDoes()
    {
        Privileged.RequireRoot();
        using var t = new TwinSysroots();
        using var gpg = new GpgHome(t.Ns.HostPath("gpg"));
        var commit = SignStableInBoth(t, gpg);
        foreach (var side in new[] { "ostree", "arbor" })
        {
            var repo = "--repo=" + t.Ns.InnerPath(side + "/ostree/repo");
            t.Ns.OstreeOk("remote", "add", repo, "--gpg-import=" + t.Ns.InnerPath("key.gpg"), "signed", "http://127.0.0.1:9/repo");
            t.Ns.OstreeOk("remote", "add", repo, "--no-gpg-verify", "unverified", "http://127.0.0.1:9/repo");
            t.Ns.OstreeOk("refs", repo, "--create=signed:vectoros/stable", commit);
            t.Ns.OstreeOk("refs", repo, "--create=unverified:vectoros/stable", commit);
        }
        Both(t, "deploy", "--os=" + TwinSysroots.Os, "signed:vectoros/stable");
        // plain status prints no signatures; --verify prints them after the origin, then a blank line
        Assert.DoesNotContain("GPG:", t.OstreeAdminOk("ostree", "status"));
        Assert.Equal(t.OstreeAdminOk("ostree", "status"), ArborOk(t, "arbor", "status"));
        var status = t.OstreeAdminOk("ostree", "status", "--verify");
        Assert.EndsWith($"\nGPG: Good signature from \"Arbor Test <test@example.com>\"\n\n", status);
        Assert.Contains("\nGPG: Signature made ", status);
        Assert.Equal(status, ArborOk(t, "arbor", "status", "-V"));
        Assert.Equal(status, t.OstreeAdminOk("arbor", "status", "--verify"));
        var json = ArborOk(t, "arbor", "status", "--verify", "--json");
        Assert.Contains("\"key-id\": \"" + gpg.KeyId + "\"", json);

        // what cannot be verified stops the listing there, with ostree's error
        foreach (var refspec in new[] { "unverified:vectoros/stable", "vectoros/v2" })
        {
            Both(t, "deploy", "--os=" + TwinSysroots.Os, "--retain", refspec);
            var o = t.OstreeAdmin("ostree", "status", "--verify");
            var a = Arbor(t, "arbor", "status", "--verify");
            Assert.Equal(1, o.ExitCode);
            Assert.Equal(o.ExitCode, a.ExitCode);
            Assert.Equal(o.Stdout, a.Stdout);
            Assert.Equal(o.Stderr, a.Stderr);
            Both(t, "undeploy", "0");
        }
        Assert.Equal(status, ArborOk(t, "arbor", "status", "-V"));
    }
}
