using Arbor.Deploy.BootLoader;
using Arbor.TestKit;

namespace Arbor.Deploy.Tests.BootLoader;

public sealed class BootLoaderEntryTests
{
    private static BootLoaderEntry Load(string name) => BootLoaderEntry.Parse(Fixtures.Read("bls/" + name));

    [Fact]
    public void PlainEntryRoundTripsByteForByte()
    {
        var text = Fixtures.Read("bls/plain.conf");
        var e = BootLoaderEntry.Parse(text);
        Assert.Equal("Vector OS 2 (ostree:0)", e.Title);
        Assert.Equal("2", e.Version);
        Assert.Equal(text, e.Format());
    }

    [Fact]
    public void OddSpacing()
    {
        var e = Load("odd-spacing.conf");
        Assert.Equal(" Two  Spaces  ", e.Title);                 // split at the first blank; the rest is the value
        Assert.Equal("/vmlinuz-tab", e.Linux);                     // a tab separates too
        Assert.Equal("root=/dev/sda1  quiet ostree=/ostree/boot.1/os/abc/0 ", e.Options);
        Assert.Equal("/initramfs.img\r", e.Initrd);                // only \n ends a line
        Assert.Null(e.Get("indented"));
        Assert.Null(e.Get("5numeric-start"));
        Assert.Null(e.Get("novalue"));
        Assert.Equal(
            "title  Two  Spaces  \nversion 10\noptions root=/dev/sda1  quiet ostree=/ostree/boot.1/os/abc/0 \nlinux /vmlinuz-tab\ninitrd /initramfs.img\r\n",
            e.Format());
    }

    [Fact]
    public void UnknownKeysAreKeptAfterTheKnownOnes()
    {
        var e = Load("unknown-keys.conf");
        Assert.Equal("0123456789abcdef", e.Get("machine-id"));
        Assert.Equal(
            "title Custom\nversion 3\noptions ostree=/ostree/boot.0/os/abc/1\nlinux /vmlinuz\nmachine-id 0123456789abcdef\ngrub_users $grub_users\n",
            e.Format());
    }

    [Fact]
    public void MissingFields()
    {
        var e = Load("missing-fields.conf");
        Assert.Null(e.Version);
        Assert.Null(e.Options);
        Assert.Equal("title Only a title\nlinux /vmlinuz\n", e.Format());
    }

    [Fact]
    public void OverlayInitrdsFollowThePrimary()
    {
        var e = Load("overlay-initrds.conf");
        Assert.Equal("/initramfs.img", e.Initrd);
        Assert.Equal(2, e.OverlayInitrds.Count);
        Assert.Equal(Fixtures.Read("bls/overlay-initrds.conf"), e.Format());
    }

    [Fact]
    public void DuplicateKeysKeepFirstPositionAndLastValue()
    {
        var e = Load("duplicate-keys.conf");
        Assert.Equal("Second", e.Title);
        Assert.Equal("b", e.Options);
        Assert.Equal("title Second\nversion 1\noptions b\nlinux /vmlinuz\n", e.Format());
    }

    [Fact]
    public void FixedKeysAreWrittenInBlsOrder()
    {
        var e = new BootLoaderEntry();
        e.Set("custom", "x");
        e.Initrd = "/i";
        e.Linux = "/l";
        e.Set("devicetree", "/d");
        e.Options = "o";
        e.Version = "1";
        e.Title = "t";
        Assert.Equal("title t\nversion 1\noptions o\ndevicetree /d\nlinux /l\ninitrd /i\ncustom x\n", e.Format());
    }

    [Fact]
    public void OverlaysNeedAPrimaryInitrd()
    {
        var e = new BootLoaderEntry { Linux = "/l" };
        e.SetOverlayInitrds(["/o.img"]);
        Assert.Equal("linux /l\n", e.Format());
    }
}
