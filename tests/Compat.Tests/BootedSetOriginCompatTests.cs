using Arbor.TestKit;

namespace Arbor.Compat.Tests;

/// <summary>
/// <c>admin set-origin</c> (and, on a staged deployment, <c>kargs edit-in-place</c>) on booted
/// systems (<see cref="BootedTwins"/>), each tool on its own side: same remotes, origins, status.
/// </summary>
public sealed class BootedSetOriginCompatTests
{
    [Fact]
    public void SetOriginPutsTheRemoteInTheBootedEtcAsOstreeDoes()
    {
        Privileged.RequireRoot();
        using var b = new BootedTwins();
        foreach (var side in BootedTwins.Sides)
            Assert.Equal("", b.Ok(side, side, "admin", "set-origin", "x", "http://x", "vectoros/v3", "--set=gpg-verify=false"));

        // ostree writes it to the running /etc (the booted deployment's), not to the repo config
        var conf = "etc/ostree/remotes.d/x.conf";
        Assert.Equal("[remote \"x\"]\nurl=http://x\ngpg-verify=false\n", File.ReadAllText(Path.Join(b.Root("ostree"), conf)));
        Assert.Equal(File.ReadAllText(Path.Join(b.Root("ostree"), conf)), File.ReadAllText(Path.Join(b.Root("arbor"), conf)));
        Assert.Equal(TreeListing.Capture(Path.Join(b.Root("ostree"), "etc/ostree")), TreeListing.Capture(Path.Join(b.Root("arbor"), "etc/ostree")));
        Assert.Equal(File.ReadAllText(b.Twin.Host("ostree", "ostree/repo/config")), File.ReadAllText(b.Twin.Host("arbor", "ostree/repo/config")));
        Assert.Equal(b.Twin.BootState("ostree"), b.Twin.BootState("arbor"));

        var diff = b.Ok("ostree", "ostree", "admin", "config-diff");
        Assert.Contains("A    ostree/remotes.d/x.conf\n", diff);
        Assert.Equal(diff, b.Ok("arbor", "arbor", "admin", "config-diff"));
        var status = b.Ok("ostree", "ostree", "admin", "status");
        Assert.Equal(status, b.Ok("arbor", "arbor", "admin", "status"));
        Assert.Equal(status, b.Ok("ostree", "arbor", "admin", "status"));
    }

    [Theory]
    [InlineData("--karg-append=x=1")]
    [InlineData("--retain")]
    public void KargsEditInPlaceAndSetOriginUpdateAStagedDeploymentAsOstreeDoes(string stageFlag)
    {
        Privileged.RequireRoot();
        using var b = new BootedTwins();
        foreach (var side in BootedTwins.Sides)
        {
            b.Ok(side, side, "admin", "deploy", "--stage", stageFlag, "vectoros/v3");
            Assert.Equal("", b.Ok(side, side, "admin", "kargs", "edit-in-place", "--append-if-missing=k=1"));
        }
        // the kernel arguments go into the staged state, byte for byte as ostree rewrites it
        Assert.Equal(File.ReadAllBytes(b.StagedState("ostree")), File.ReadAllBytes(b.StagedState("arbor")));
        Assert.Equal(b.Twin.BootState("ostree"), b.Twin.BootState("arbor"));

        foreach (var side in BootedTwins.Sides)
            Assert.Equal("", b.Ok(side, side, "admin", "set-origin", "--index=0", "x", "http://x", "vectoros/v3", "--set=gpg-verify=false"));
        Assert.Equal(b.Twin.BootState("ostree"), b.Twin.BootState("arbor"));
        var status = b.Ok("ostree", "ostree", "admin", "status");
        Assert.Contains("origin refspec: x:vectoros/v3", status);
        Assert.Equal(status, b.Ok("arbor", "arbor", "admin", "status"));
        Assert.Equal(status, b.Ok("ostree", "arbor", "admin", "status"));

        Assert.Equal(b.Ok("ostree", "ostree", "admin", "finalize-staged"), b.Ok("arbor", "arbor", "admin", "finalize-staged"));
        Assert.Equal(b.Twin.BootState("ostree"), b.Twin.BootState("arbor"));
        Assert.Contains(" k=1", b.Twin.BootState("arbor"));
        Assert.Equal(b.Ok("ostree", "ostree", "admin", "status"), b.Ok("arbor", "arbor", "admin", "status"));
    }
}
