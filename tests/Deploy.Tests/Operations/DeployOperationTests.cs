using Arbor.Deploy.Operations;
using Arbor.TestKit;

namespace Arbor.Deploy.Tests.Operations;

/// <summary>
/// The deploy operation against shared/vectors/sysroot.txt, made by ostree 2022.7 with the same
/// trees and commands: same commits, same boot entries, same symlinks and origins, same merged
/// /etc, the same tree listing outside the repository.
/// </summary>
public sealed class DeployOperationTests
{
    [Fact]
    public void VectorScenarioGivesTheVectorSysroot()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        var (v1, v2) = f.RunVectorScenario();
        Assert.Equal(ArborSysroot.VectorValue("commit.os-v1"), v1);
        Assert.Equal(ArborSysroot.VectorValue("commit.os-v2"), v2);

        // what ostree printed for the second deploy (its "note:" lines excluded)
        Assert.Equal(ArborSysroot.VectorSection("deploy v2 output"), f.Journal);

        // every path outside the repository, with modes and link targets
        var expected = ArborSysroot.VectorSection("tree (mode path [-> target])").Where(l => !l.Contains("./ostree/repo")).ToList();
        var actual = ProcessRunner.RunOk("sh", "-c", "cd \"$1\" && find . -mindepth 1 -not -path './ostree/repo*' \\( -type l -printf '%M %p -> %l\\n' -o -printf '%M %p\\n' \\) | sort -k2", "sh", f.Path)
            .TrimEnd('\n').Split('\n').ToList();
        Assert.Equal(expected, actual);

        foreach (var name in new[] { "ostree-1-vectoros.conf", "ostree-2-vectoros.conf" })
            Assert.Equal(ArborSysroot.VectorSection("boot/loader/entries/" + name), File.ReadAllText(f.Full("boot/loader/entries/" + name)).TrimEnd('\n').Split('\n'));
        foreach (var v in new[] { v1, v2 })
            Assert.Equal(ArborSysroot.VectorSection($"ostree/deploy/vectoros/deploy/{v}.0.origin"), File.ReadAllText(f.Full($"ostree/deploy/vectoros/deploy/{v}.0.origin")).TrimEnd('\n').Split('\n'));

        var etc = f.Full($"ostree/deploy/vectoros/deploy/{v2}.0/etc");
        var merged = ProcessRunner.RunOk("sh", "-c", "cd \"$1\" && find . -type f | sort | while read -r f; do echo \"$f $(stat -c %a \"$f\") $(cat \"$f\")\"; done", "sh", etc);
        Assert.Equal(ArborSysroot.VectorSection("merged /etc of the new deployment (mode content)"), merged.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void DeploymentRefsKeepTheDeployedCommits()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        var (v1, v2) = f.RunVectorScenario();
        var refs = f.Sysroot.Repo.Refs.ListHeads("ostree");
        Assert.Equal(2, refs.Count);
        Assert.Equal(v2, refs["ostree/0/1/0"].ToString());
        Assert.Equal(v1, refs["ostree/0/1/1"].ToString());
    }

    [Fact]
    public void DeploymentDirectoriesAreImmutable()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        f.Commit(f.VectorTree(), "1", 1);
        var d = f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros" });
        var attrs = ProcessRunner.RunOk("lsattr", "-d", f.Full(d.RelativePath));
        Assert.Contains("i", attrs.Split(' ')[0]);
        // /etc stays writable
        File.WriteAllText(Path.Join(f.Full(d.RelativePath), "etc/new"), "x");
    }

    [Fact]
    public void DeploymentsOfTwoStaterootsTradingPlacesGetNewEntries()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        f.Commit(f.VectorTree(), "1", 1);
        Stateroot.Init(f.Sysroot, "other");
        f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros" });
        f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros", Retain = true });
        f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "other" });
        // [other, vectoros.1, vectoros.0] becomes [vectoros.2, other, vectoros.1]: the same kernel, version
        // and kernel arguments at every place, but the entries must change with the stateroots (ostree
        // 2022.7 keeps them, and its sysroot no longer loads)
        f.Journal.Clear();
        f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros" });
        Assert.Contains(f.Journal, l => l.Contains("bootconfig swap: yes;", StringComparison.Ordinal));
        var set = f.Load();
        Assert.Equal(["vectoros", "other", "vectoros"], set.Deployments.Select(d => d.Stateroot));
        foreach (var d in set.Deployments)
            Assert.True(Directory.Exists(f.Full(d.KernelArgs.GetLastValue("ostree")!.TrimStart('/'))));
    }

    /// <summary>
    /// A local /etc file whose name is not UTF-8 (byte 0xff) is carried over to the new deployment with
    /// the same name bytes and content, as ostree does; and a later deploy still cleans up the old
    /// deployment holding it. System.IO's enumeration would read the name as U+FFFD and lose it.
    /// </summary>
    [Fact]
    public void EtcFileWithANonUtf8NameIsMergedAndCleanedUp()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        f.Commit(f.VectorTree(), "1", 1);
        var request = new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros" };
        var d1 = f.Deploy(request);
        ProcessRunner.RunOk("bash", "-c", "mkdir \"$1/etc/d\"$'\\xfe' && printf 'local\\n' > \"$1/etc/d\"$'\\xfe'/bad$'\\xff'name", "bash", f.Full(d1.RelativePath));

        var d2 = f.Deploy(request);
        var listing = ProcessRunner.RunOk("bash", "-c", "cd \"$1/etc\" && LC_ALL=C find . | LC_ALL=C grep -a $'[\\xfe\\xff]' | LC_ALL=C sort | od -An -tx1 | tr -d ' \\n'", "bash", f.Full(d2.RelativePath));
        Assert.Equal(Convert.ToHexStringLower([.. "./d"u8, 0xfe, .. "\n./d"u8, 0xfe, .. "/bad"u8, 0xff, .. "name\n"u8]), listing);
        Assert.Equal("local\n", ProcessRunner.RunOk("bash", "-c", "cat \"$1/etc/d\"$'\\xfe'/bad$'\\xff'name", "bash", f.Full(d2.RelativePath)));

        // a third deploy drops the first deployment, whose /etc holds the names
        f.Deploy(request);
        Assert.Equal(2, f.Load().Count);
        Assert.False(Directory.Exists(f.Full(d1.RelativePath)));
    }

    [Fact]
    public void SameCommitTwiceGetsTheNextSerial()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        var c = f.Commit(f.VectorTree(), "1", 1);
        f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros", Retain = true });
        var d = f.Deploy(new DeployRequest { Refspec = c, Stateroot = "vectoros", Retain = true });
        Assert.Equal(1, d.DeploySerial);
        var set = f.Load();
        Assert.Equal([1, 0], set.Deployments.Select(x => x.DeploySerial));
        Assert.Equal([0, 1], set.Deployments.Select(x => x.BootSerial));   // same kernel: bootserials 0 and 1
        // the origin is exactly the argument given
        Assert.Equal($"[origin]\nrefspec={c}\n", File.ReadAllText(f.Full(d.OriginRelativePath)));
    }

    [Fact]
    public void KernelArgumentsAreInheritedAndEdited()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        f.Commit(f.VectorTree(), "1", 1);
        f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros", Kargs = ["root=LABEL=root", "console=tty0"] });
        Assert.StartsWith("root=LABEL=root console=tty0 ostree=", f.Load()[0].BootConfig.Options);
        f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros" });
        Assert.StartsWith("root=LABEL=root console=tty0 ostree=", f.Load()[0].BootConfig.Options);
        f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros", KargsAppend = ["console=ttyS0"], KargDelete = "root" });
        Assert.StartsWith("console=tty0 ostree=/ostree/boot.", f.Load()[0].BootConfig.Options);
        Assert.EndsWith(" console=ttyS0", f.Load()[0].BootConfig.Options);
        f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros", KargsNone = true });
        Assert.StartsWith("ostree=/ostree/boot.", f.Load()[0].BootConfig.Options);
    }

    [Fact]
    public void VarContentIsIgnoredWithANote()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        var c = f.Commit(f.VectorTree().File("var/lib/thing", "x"), "1", 1);
        f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros" });
        Assert.Equal([$"note: Deploying commit {c} which contains content in /var/lib that will be ignored."], f.Notes);
        Assert.False(File.Exists(f.Full("ostree/deploy/vectoros/var/lib/thing")));
    }

    [Fact]
    public void BadInputIsAOneLineErrorAndTheSysrootIsUnchanged()
    {
        Privileged.RequireRoot();
        using var f = new ArborSysroot();
        f.Commit(f.VectorTree(), "1", 1);
        f.Deploy(new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros" });
        var before = TreeListing.Capture(f.Path, rel => rel.StartsWith("ostree/repo", StringComparison.Ordinal));

        var e = Assert.Throws<Repo.Core.RefNotFoundException>(() => f.Deploy(new DeployRequest { Refspec = "nope", Stateroot = "vectoros" }));
        Assert.Equal("Refspec 'nope' not found", e.Message);
        Assert.Equal("Looking for booted deployment: Not currently booted into an OSTree system and no --os= argument given",
            Assert.Throws<DeployException>(() => f.Deploy(new DeployRequest { Refspec = "vectoros/stable" })).Message);

        var noKernel = f.Tree("nokernel");
        Directory.Delete(Path.Join(noKernel.Path, "usr/lib/modules"), true);
        f.Commit(noKernel, "9", 9, "vectoros/nokernel");
        Assert.Equal("Failed to find kernel in /usr/lib/modules, /usr/lib/ostree-boot or /boot",
            Assert.Throws<DeployException>(() => f.Deploy(new DeployRequest { Refspec = "vectoros/nokernel", Stateroot = "vectoros" })).Message);

        // the half-made deployment of the failed attempt is the only leftover, and cleanup removes it
        Cleanup.Run(f.Sysroot, f.Load());
        Assert.Equal(before, TreeListing.Capture(f.Path, rel => rel.StartsWith("ostree/repo", StringComparison.Ordinal)));
    }
}
