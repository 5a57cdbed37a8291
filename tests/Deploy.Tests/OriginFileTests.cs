namespace Arbor.Deploy.Tests;

public sealed class OriginFileTests
{
    [Fact]
    public void FromRefspecIsWhatOstreeWrites() =>
        Assert.Equal("[origin]\nrefspec=vectoros/stable\n", OriginFile.FromRefspec("vectoros/stable").ToString());

    [Fact]
    public void PinAddsTransientGroupAndUnpinKeepsIt()
    {
        var o = OriginFile.FromRefspec("r");
        o.SetPinned(true);
        Assert.True(o.IsPinned);
        Assert.Equal("[origin]\nrefspec=r\n\n[libostree-transient]\npinned=true\n", o.ToString());
        o.SetPinned(false);
        Assert.False(o.IsPinned);
        Assert.Equal("[origin]\nrefspec=r\n\n[libostree-transient]\n", o.ToString());
    }

    [Fact]
    public void UnknownGroupsKeysAndCommentsArePreserved()
    {
        const string text = "# managed by rpm-ostree\n[origin]\nrefspec=fedora:fedora/x86_64/silverblue\ncontainer-image-reference=ostree-unverified-registry:quay.io/x\n\n[rpmostree]\nrequested-packages=vim;git;\nunknown=1\n";
        var o = OriginFile.Parse(text);
        Assert.Equal("fedora:fedora/x86_64/silverblue", o.Refspec);
        o.SetPinned(true);
        o.SetPinned(false);
        Assert.Equal(text + "\n[libostree-transient]\n", o.ToString());
    }

    [Theory]
    [InlineData("[libostree-transient]\npinned=true\n", true)]
    [InlineData("[libostree-transient]\npinned=1\n", true)]
    [InlineData("[libostree-transient]\npinned=false\n", false)]
    [InlineData("[libostree-transient]\npinned=yes\n", false)]     // not a GKeyFile boolean: not pinned
    [InlineData("[origin]\nrefspec=x\n", false)]
    public void Pinned(string text, bool pinned) => Assert.Equal(pinned, OriginFile.Parse(text).IsPinned);

    [Fact]
    public void OverrideCommitAndUnlocked()
    {
        var o = OriginFile.Parse("[origin]\nrefspec=r\noverride-commit=abc\nunlocked=hotfix\nunconfigured-state=Set up a subscription first\n");
        Assert.Equal("abc", o.OverrideCommit);
        Assert.Equal("hotfix", o.Unlocked);
        Assert.Equal("Set up a subscription first", o.UnconfiguredState);
        o.OverrideCommit = null;
        Assert.DoesNotContain("override-commit", o.ToString());
    }

    [Fact]
    public void TransientStateIsNotCarriedToNewDeployments()
    {
        var o = OriginFile.Parse("[origin]\nrefspec=r\n\n[libostree-transient]\npinned=true\n");
        var n = o.WithoutTransientState();
        Assert.False(n.IsPinned);
        Assert.True(o.IsPinned);
        Assert.DoesNotContain("libostree-transient", n.ToString());
    }

    [Fact]
    public void MalformedOriginIsOneLineErrorNamingTheFile()
    {
        var e = Assert.Throws<DeployException>(() => OriginFile.Parse("refspec=x\n", "ostree/deploy/os/deploy/x.0.origin"));
        Assert.StartsWith("Parsing ostree/deploy/os/deploy/x.0.origin: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
