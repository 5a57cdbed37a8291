using Arbor.Deploy.Etc;
using Arbor.TestKit;

namespace Arbor.Deploy.Tests.Etc;

public sealed class EtcDiffTests
{
    [Fact]
    public void ClassifiesModifiedRemovedAdded()
    {
        using var t = new EtcTestTree();
        EtcTestTree.Write(t.OldDefaults, "app.conf", "a=1\n");
        EtcTestTree.Write(t.OldDefaults, "hostname", "host1\n");
        EtcTestTree.Write(t.OldDefaults, "same", "s\n");
        EtcTestTree.Write(t.OldDefaults, "dir1/x", "x\n");
        t.Deploy();
        File.WriteAllText(Path.Join(t.OldCurrent, "app.conf"), "a=local\n");
        File.Delete(Path.Join(t.OldCurrent, "hostname"));
        File.WriteAllText(Path.Join(t.OldCurrent, "local.conf"), "local\n");
        File.SetUnixFileMode(Path.Join(t.OldCurrent, "dir1/x"), (UnixFileMode)0x180);
        Directory.CreateDirectory(Path.Join(t.OldCurrent, "newdir/sub"));
        File.WriteAllText(Path.Join(t.OldCurrent, "newdir/sub/f"), "f");

        var d = EtcDiff.Compute(t.OldDefaults, t.OldCurrent);
        Assert.Equal(["app.conf", "dir1/x"], d.Modified.Order());
        Assert.Equal(["hostname"], d.Removed);
        Assert.Equal(["local.conf", "newdir", "newdir/sub", "newdir/sub/f"], d.Added.Order());
        // an added directory comes before its contents
        Assert.True(d.Added.IndexOf("newdir") < d.Added.IndexOf("newdir/sub/f"));
    }

    [Fact]
    public void MtimeAndXattrOnlyChangesAreNotModifications()
    {
        using var t = new EtcTestTree();
        EtcTestTree.Write(t.OldDefaults, "f", "same\n");
        t.Deploy();
        File.SetLastWriteTimeUtc(Path.Join(t.OldCurrent, "f"), new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        ProcessRunner.RunOk("setfattr", "-n", "user.test", "-v", "1", Path.Join(t.OldCurrent, "f"));
        Assert.Equal(0, EtcDiff.Compute(t.OldDefaults, t.OldCurrent).Count);
    }

    [Fact]
    public void TypeChangesOwnerChangesAndDirectoryModes()
    {
        Privileged.RequireRoot();
        using var t = new EtcTestTree();
        EtcTestTree.Write(t.OldDefaults, "becomes-link", "x");
        EtcTestTree.Write(t.OldDefaults, "owned", "x");
        Directory.CreateDirectory(Path.Join(t.OldDefaults, "d"));
        File.CreateSymbolicLink(Path.Join(t.OldDefaults, "link"), "target-a");
        t.Deploy();
        File.Delete(Path.Join(t.OldCurrent, "becomes-link"));
        File.CreateSymbolicLink(Path.Join(t.OldCurrent, "becomes-link"), "x");
        ProcessRunner.RunOk("chown", "1000:1000", Path.Join(t.OldCurrent, "owned"));
        File.SetUnixFileMode(Path.Join(t.OldCurrent, "d"), (UnixFileMode)0x1C0);
        File.Delete(Path.Join(t.OldCurrent, "link"));
        File.CreateSymbolicLink(Path.Join(t.OldCurrent, "link"), "target-b");
        var d = EtcDiff.Compute(t.OldDefaults, t.OldCurrent);
        Assert.Equal(["becomes-link", "d", "link", "owned"], d.Modified.Order());
        Assert.Empty(d.Removed);
        Assert.Empty(d.Added);
    }
}
