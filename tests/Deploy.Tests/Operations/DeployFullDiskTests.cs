using Arbor.Deploy.Operations;
using Arbor.TestKit;

namespace Arbor.Deploy.Tests.Operations;

/// <summary>A deploy that runs out of space (a small tmpfs): a one-line error, the boot configuration untouched, cleanup restores the tree.</summary>
[Collection("namespaces")]
public sealed class DeployFullDiskTests
{
    [Fact]
    public void FullDiskIsAOneLineErrorAndTheSysrootIsUnchanged()
    {
        OstreeOracle.Require();
        using var ns = new ScratchNamespace(sizeMb: 6);
        using var host = new TempDirectory("bigtree");
        var tree = new OsTree(host.Combine("os"));
        var random = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(random);
        File.WriteAllBytes(Path.Join(tree.Path, "usr/etc/big.bin"), random);   // /etc is copied, not hardlinked

        Directory.CreateDirectory(ns.HostPath("sysroot"));
        InitFsOperation.Run(ns.HostPath("sysroot"), modern: true);
        var sysroot = Sysroot.Open(ns.HostPath("sysroot"));
        Stateroot.Init(sysroot, "vectoros");
        OsTree.Commit(ns.Ostree, ns.InnerPath("sysroot/ostree/repo"), tree.Path, "vectoros/stable", "1", 1);
        var before = TreeListing.Capture(sysroot.Path);

        var e = Assert.Throws<DeployException>(() =>
            new DeployOperation().Run(sysroot, new DeployRequest { Refspec = "vectoros/stable", Stateroot = "vectoros" }));
        Assert.Contains("No space left on device", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        Assert.Equal("No deployments.\n", CliRunner.RunOk("admin", "status", "--sysroot=" + sysroot.Path));
        Assert.False(File.Exists(sysroot.FullPath("boot/loader")));
        CliRunner.RunOk("admin", "cleanup", "--sysroot=" + sysroot.Path);
        // the stateroot's (empty) deploy/ directory stays, as it does after a failed ostree deploy
        Assert.Equal(before, TreeListing.Capture(sysroot.Path, rel => rel == "ostree/deploy/vectoros/deploy"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(sysroot.FullPath("ostree/deploy/vectoros/deploy")));
    }
}
