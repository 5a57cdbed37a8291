using Arbor.Repo.Finders;

namespace Arbor.Repo.Tests.Finders;

/// <summary>Which mountinfo lines the mount finder scans: GLib 2.74's user-visible mounts.</summary>
public sealed class UserMountsTests
{
    private static bool Shows(string line, bool root = true, string user = "alice", string home = "/home/alice") =>
        UserMounts.ShouldDisplay(UserMounts.Parse(line)!, root, user, home);

    [Theory]
    [InlineData("90 27 7:0 / /media/stick rw,relatime - ext4 /dev/loop0 rw", true)]
    [InlineData("90 27 7:0 / /run/media/alice/STICK rw - vfat /dev/sdb1 rw", true)]
    [InlineData("90 27 0:50 / /media/stick rw - tmpfs usbstick rw", false)]          // a system file system type
    [InlineData("90 27 7:0 / /mnt/stick rw - ext4 /dev/loop0 rw", false)]            // not under /media, /run/media or $HOME
    [InlineData("90 27 7:0 / /media rw - ext4 /dev/loop0 rw", false)]                // a system mount point
    [InlineData("90 27 7:0 /sub /media/stick rw - ext4 /dev/loop0 rw", false)]       // a bind mount of a subdirectory
    [InlineData("90 27 7:0 / /media/.hidden rw - ext4 /dev/loop0 rw", false)]        // under a dot directory
    [InlineData("90 27 7:0 / /media/stick rw - ext4 none rw", false)]                // a system device
    [InlineData("90 27 7:0 / /home/alice/usb rw - ext4 /dev/sdc1 rw", true)]
    public void ShowsOnlyUserMounts(string line, bool shown) => Assert.Equal(shown, Shows(line));

    [Fact]
    public void RunMediaOfAnotherUserIsShownToRootOnly()
    {
        const string line = "90 27 7:0 / /run/media/bob/STICK rw - ext4 /dev/sdb1 rw";
        Assert.True(Shows(line, root: true));
        Assert.False(Shows(line, root: false));
    }

    [Fact]
    public void UnescapesOctalSequencesInMountPoints()
    {
        var e = UserMounts.Parse(@"90 27 7:0 / /media/my\040stick rw shared:1 - ext4 /dev/loop0 rw")!;
        Assert.Equal("/media/my stick", e.MountPoint);
        Assert.Equal("ext4", e.FsType);
        Assert.Equal("/dev/loop0", e.Device);
    }

    [Fact]
    public void DynamicRemoteNamesAreEscapedAsOstreeNamesThem() =>
        // as ostree 2022.7 names the remote for file:///media/stick/.ostree/repo with origin's keyring
        Assert.Equal("file_3A_2F_2F_2Fmedia_2Fstick_2F.ostree_2Frepo_origin.trustedkeys.gpg",
            MountFinder.DynamicRemoteName("file:///media/stick/.ostree/repo", "origin.trustedkeys.gpg"));
}
