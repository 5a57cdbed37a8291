using Arbor.Deploy.Etc;
using Arbor.TestKit;

namespace Arbor.Deploy.Tests.Etc;

/// <summary>The net semantics of sysroot.md §6, one case each (the oracle comparison is in Compat.Tests).</summary>
public sealed class EtcMergeTests
{
    private static string Read(string root, string rel) => File.ReadAllText(Path.Join(root, rel));

    private static void Merge(EtcTestTree t) =>
        EtcMerge.Apply(EtcDiff.Compute(t.OldDefaults, t.OldCurrent), t.OldCurrent, t.New);

    /// <summary>
    /// A modified file, and an added file in an added directory, keep their xattrs, but not with
    /// OSTREE_SYSROOT_DEBUG=no-xattrs (ostree copies with GLNX_FILE_COPY_NOXATTRS then).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void XattrsAreCopiedUnlessTurnedOff(bool xattrs)
    {
        using var t = new EtcTestTree();
        EtcTestTree.Write(t.OldDefaults, "app.conf", "a=1\n");
        t.Deploy();
        EtcTestTree.Write(t.OldCurrent, "app.conf", "a=local\n");
        EtcTestTree.Write(t.OldCurrent, "added.d/one.conf", "one\n");
        foreach (var rel in new[] { "app.conf", "added.d", "added.d/one.conf" })
            Arbor.Repo.Native.Xattrs.Set(Path.Join(t.OldCurrent, rel), "user.arbor.test"u8, "v"u8);
        EtcTestTree.Write(t.New, "app.conf", "a=2\n");
        EtcMerge.Apply(EtcDiff.Compute(t.OldDefaults, t.OldCurrent), t.OldCurrent, t.New, xattrs: xattrs);
        Assert.Equal("a=local\n", Read(t.New, "app.conf"));
        Assert.Equal("one\n", Read(t.New, "added.d/one.conf"));
        foreach (var rel in new[] { "app.conf", "added.d", "added.d/one.conf" })
            Assert.Equal(xattrs ? "v"u8.ToArray() : null, Arbor.Repo.Native.Xattrs.Get(Path.Join(t.New, rel), "user.arbor.test"));
    }

    [Fact]
    public void LocalEditWinsOverNewDefault()
    {
        using var t = new EtcTestTree();
        EtcTestTree.Write(t.OldDefaults, "app.conf", "a=1\n");
        t.Deploy();
        File.WriteAllText(Path.Join(t.OldCurrent, "app.conf"), "a=local\n");
        EtcTestTree.Write(t.New, "app.conf", "a=2\n");
        Merge(t);
        Assert.Equal("a=local\n", Read(t.New, "app.conf"));
    }

    [Fact]
    public void UntouchedFilesFollowNewDefaultsAndNewDefaultsAppear()
    {
        using var t = new EtcTestTree();
        EtcTestTree.Write(t.OldDefaults, "untouched", "v1\n");
        t.Deploy();
        EtcTestTree.Write(t.New, "untouched", "v2\n");
        EtcTestTree.Write(t.New, "newdefault", "new\n");
        Merge(t);
        Assert.Equal("v2\n", Read(t.New, "untouched"));
        Assert.Equal("new\n", Read(t.New, "newdefault"));
    }

    [Fact]
    public void LocalDeletionStaysDeletedEvenIfDefaultChanged()
    {
        using var t = new EtcTestTree();
        EtcTestTree.Write(t.OldDefaults, "hostname", "host1\n");
        t.Deploy();
        File.Delete(Path.Join(t.OldCurrent, "hostname"));
        EtcTestTree.Write(t.New, "hostname", "host2\n");
        Merge(t);
        Assert.False(File.Exists(Path.Join(t.New, "hostname")));
    }

    [Fact]
    public void LocallyDeletedFileAlsoDeletesADirectoryTheNewDefaultPutThere()
    {
        using var t = new EtcTestTree();
        EtcTestTree.Write(t.OldDefaults, "thing", "file\n");
        t.Deploy();
        File.Delete(Path.Join(t.OldCurrent, "thing"));
        EtcTestTree.Write(t.New, "thing/inside", "x");
        Merge(t);
        Assert.False(Directory.Exists(Path.Join(t.New, "thing")));
    }

    [Fact]
    public void LocalAdditionsAreKeptWithModes()
    {
        using var t = new EtcTestTree();
        t.Deploy();
        EtcTestTree.Write(t.OldCurrent, "local.conf", "local\n", (UnixFileMode)0x180);
        EtcTestTree.Write(t.OldCurrent, "ld/sub/f", "f\n");
        File.CreateSymbolicLink(Path.Join(t.OldCurrent, "alink"), "local.conf");
        Merge(t);
        Assert.Equal("local\n", Read(t.New, "local.conf"));
        Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(Path.Join(t.New, "local.conf")));
        Assert.Equal("f\n", Read(t.New, "ld/sub/f"));
        Assert.Equal("local.conf", new FileInfo(Path.Join(t.New, "alink")).LinkTarget);
    }

    [Fact]
    public void ModifiedFileWhoseDefaultDisappearedIsKeptWithItsParents()
    {
        using var t = new EtcTestTree();
        EtcTestTree.Write(t.OldDefaults, "gone/dir/conf", "v1\n");
        t.Deploy();
        File.WriteAllText(Path.Join(t.OldCurrent, "gone/dir/conf"), "mine\n");
        File.SetUnixFileMode(Path.Join(t.OldCurrent, "gone"), (UnixFileMode)0x1C0);
        Merge(t);
        Assert.Equal("mine\n", Read(t.New, "gone/dir/conf"));
        Assert.Equal((UnixFileMode)0x1C0, File.GetUnixFileMode(Path.Join(t.New, "gone")));   // parents made from the old etc
    }

    [Fact]
    public void ModeChangeOfAFileIsKeptButOfADirectoryIsLost()
    {
        using var t = new EtcTestTree();
        EtcTestTree.Write(t.OldDefaults, "dir1/x", "x\n");
        t.Deploy();
        ProcessRunner.RunOk("cp", "-a", Path.Join(t.OldDefaults, "dir1"), t.New);
        File.SetUnixFileMode(Path.Join(t.OldCurrent, "dir1/x"), (UnixFileMode)0x180);
        File.SetUnixFileMode(Path.Join(t.OldCurrent, "dir1"), (UnixFileMode)0x1C0);
        var diff = EtcDiff.Compute(t.OldDefaults, t.OldCurrent);
        EtcMerge.Apply(diff, t.OldCurrent, t.New);
        Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(Path.Join(t.New, "dir1/x")));
        // dir1 itself is "modified" and exists in the new tree: its mode is not merged... but the
        // parent of a copied file takes the old etc's attributes (ensure_directory_from_template)
        Assert.Equal((UnixFileMode)0x1C0, File.GetUnixFileMode(Path.Join(t.New, "dir1")));
    }

    [Fact]
    public void DirectoryModeChangeAloneIsLost()
    {
        using var t = new EtcTestTree();
        Directory.CreateDirectory(Path.Join(t.OldDefaults, "dir2"));
        t.Deploy();
        Directory.CreateDirectory(Path.Join(t.New, "dir2"));
        File.SetUnixFileMode(Path.Join(t.OldCurrent, "dir2"), (UnixFileMode)0x1C0);
        Merge(t);
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Join(t.New, "dir2")));
    }

    [Fact]
    public void ModifiedFileThatNewlyDefaultsToADirectoryCannotMerge()
    {
        using var t = new EtcTestTree();
        EtcTestTree.Write(t.OldDefaults, "conf", "v1\n");
        t.Deploy();
        File.WriteAllText(Path.Join(t.OldCurrent, "conf"), "mine\n");
        EtcTestTree.Write(t.New, "conf/inside", "x");
        var e = Assert.Throws<DeployException>(() => Merge(t));
        Assert.Equal("During /etc merge: Modified config file newly defaults to directory 'conf', cannot merge", e.Message);
    }

    [Fact]
    public void SummaryLine()
    {
        using var t = new EtcTestTree();
        EtcTestTree.Write(t.OldDefaults, "a", "1");
        EtcTestTree.Write(t.OldDefaults, "b", "1");
        t.Deploy();
        File.WriteAllText(Path.Join(t.OldCurrent, "a"), "2");
        File.Delete(Path.Join(t.OldCurrent, "b"));
        File.WriteAllText(Path.Join(t.OldCurrent, "c"), "3");
        Assert.Equal("Copying /etc changes: 1 modified, 1 removed, 1 added", EtcMerge.Summary(EtcDiff.Compute(t.OldDefaults, t.OldCurrent)));
    }
}
