using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Arbor.Repo.Commit;
using Arbor.Repo.Core;
using Arbor.Repo.Import;
using Arbor.Repo.Objects;
using Arbor.Repo.Store;
using Arbor.TestKit;

namespace Arbor.Repo.Tests.Import;

public sealed class TarImporterTests
{
    private sealed class TarBuilder
    {
        private readonly MemoryStream _ms = new();
        private readonly TarWriter _w;

        public TarBuilder(TarEntryFormat format = TarEntryFormat.Pax) { _w = new TarWriter(_ms, format, leaveOpen: true); Format = format; }

        public TarEntryFormat Format { get; }

        public TarBuilder Dir(string name, int mode = 0x1ED, int uid = 0, int gid = 0) =>
            Add(Entry(TarEntryType.Directory, name, mode, uid, gid));

        public TarBuilder File(string name, string content, int mode = 0x1A4, int uid = 0, int gid = 0, Dictionary<string, string>? pax = null)
        {
            var e = pax is null ? Entry(TarEntryType.RegularFile, name, mode, uid, gid) : new PaxTarEntry(TarEntryType.RegularFile, name, pax) { Mode = (UnixFileMode)mode, Uid = uid, Gid = gid };
            e.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
            return Add(e);
        }

        public TarBuilder Symlink(string name, string target)
        {
            var e = Entry(TarEntryType.SymbolicLink, name, 0x1FF, 0, 0);
            e.LinkName = target;
            return Add(e);
        }

        public TarBuilder Hardlink(string name, string target)
        {
            var e = Entry(TarEntryType.HardLink, name, 0x1A4, 0, 0);
            e.LinkName = target;
            return Add(e);
        }

        public TarBuilder Fifo(string name) => Add(Entry(TarEntryType.Fifo, name, 0x1A4, 0, 0));

        private TarEntry Entry(TarEntryType type, string name, int mode, int uid, int gid)
        {
            TarEntry e = Format == TarEntryFormat.Gnu ? new GnuTarEntry(type, name) : new PaxTarEntry(type, name);
            e.Mode = (UnixFileMode)mode;
            e.Uid = uid;
            e.Gid = gid;
            return e;
        }

        private TarBuilder Add(TarEntry e) { _w.WriteEntry(e); return this; }

        public string Save(string path, bool gzip = false)
        {
            _w.Dispose();
            if (!gzip) System.IO.File.WriteAllBytes(path, _ms.ToArray());
            else
            {
                using var f = System.IO.File.Create(path);
                using var gz = new GZipStream(f, CompressionLevel.Fastest);
                gz.Write(_ms.ToArray());
            }
            return path;
        }
    }

    private static (Repository Repo, TempDirectory Tmp) NewRepo(RepoMode mode = RepoMode.Archive)
    {
        var tmp = new TempDirectory("tar");
        return (Repository.Create(tmp.Combine("repo"), mode), tmp);
    }

    private static Checksum Commit(Repository repo, string tar, bool autocreate = false, uint? uid = null) =>
        CommitBuilder.Commit(repo, new CommitRequest
        {
            Branch = "main", Timestamp = 0, OwnerUid = uid, TarAutocreateParents = autocreate,
            Trees = [new TreeSource(TreeSourceKind.Tar, tar)],
        }).Commit;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PlainAndGzipArchivesGiveTheSameTree(bool gzip)
    {
        var (repo, tmp) = NewRepo();
        using var _ = tmp;
        var tar = new TarBuilder().Dir("./").Dir("./etc", 0x1C0, 5, 6).File("./etc/app.conf", "x=1\n", 0x180, 5, 6)
            .Symlink("./link", "etc/app.conf").Hardlink("./hard", "etc/app.conf").Save(tmp.Combine("t.tar"), gzip);

        var c = repo.LoadCommit(Commit(repo, tar));
        var root = repo.LoadDirTree(c.RootTree);
        Assert.Equal(["hard", "link"], root.Files.Select(f => f.Name));
        var etc = root.Dirs.Single();
        Assert.Equal(new DirMetaObject(5, 6, 0x41C0, XattrList.Empty), repo.LoadDirMeta(etc.Meta));
        var conf = repo.LoadDirTree(etc.Tree).Files.Single();
        Assert.Equal(conf.Checksum, root.Files[0].Checksum); // the hardlink is the target's object
        var header = repo.LoadContent(conf.Checksum).Header;
        Assert.Equal((5u, 6u, 0x8180u), (header.Uid, header.Gid, header.Mode));
        Assert.Equal("etc/app.conf", repo.LoadContent(root.Files[1].Checksum).Header.SymlinkTarget);
    }

    /// <summary>
    /// A cpio archive (newc, odc or old binary, as GNU cpio writes them; hardlinks carry their data
    /// on the last name) commits the tree a tar of the same directory commits, statoverride included.
    /// </summary>
    [Theory]
    [InlineData("newc")]
    [InlineData("odc")]
    [InlineData("bin")]
    public void CpioArchivesGiveTheTreeTarGives(string format)
    {
        var (repo, tmp) = NewRepo();
        using var _ = tmp;
        var tree = Directory.CreateDirectory(tmp.Combine("tree")).FullName;
        Directory.CreateDirectory(Path.Combine(tree, "usr/bin"));
        File.WriteAllText(Path.Combine(tree, "usr/bin/foo"), "contents\n");
        File.WriteAllText(Path.Combine(tree, "usr/bin/setuidme"), "setuidme\n");
        File.CreateSymbolicLink(Path.Combine(tree, "usr/bin/sl"), "foo");
        ProcessRunner.RunOk("ln", Path.Combine(tree, "usr/bin/foo"), Path.Combine(tree, "usr/bin/bar"));
        var overrides = tmp.Combine("statoverride.txt");
        File.WriteAllText(overrides, "2048 /usr/bin/setuidme\n");
        var tar = tmp.Combine("t.tar");
        var cpio = tmp.Combine("t.cpio");
        ProcessRunner.RunOk("tar", "--numeric-owner", "-C", tree, "-cf", tar, ".");
        ProcessRunner.RunOk("bash", "-c", $"cd '{tree}' && find . | cpio --quiet -o -H {format} > '{cpio}'");

        CommitResult CommitWith(string archive) => CommitBuilder.Commit(repo, new CommitRequest
        {
            Branch = "main", Timestamp = 0, StatOverrideFile = overrides,
            Trees = [new TreeSource(TreeSourceKind.Tar, archive)],
        });
        var fromTar = repo.LoadCommit(CommitWith(tar).Commit);
        var fromCpio = repo.LoadCommit(CommitWith(cpio).Commit);
        Assert.Equal((fromTar.RootTree, fromTar.RootMeta), (fromCpio.RootTree, fromCpio.RootMeta));
        var bin = repo.LoadDirTree(repo.LoadDirTree(repo.LoadDirTree(fromCpio.RootTree).Dirs.Single().Tree).Dirs.Single().Tree);
        Assert.Equal(["bar", "foo", "setuidme", "sl"], bin.Files.Select(f => f.Name));
        Assert.Equal(bin.Files[0].Checksum, bin.Files[1].Checksum);
        Assert.Equal(0x800u, repo.LoadContent(bin.Files[2].Checksum).Header.Mode & 0x800u);
    }

    [Theory]
    [InlineData("../x", "While making relative path \"../x\":Invalid uplink '..' in path ../x")]
    [InlineData("a/../x", "While making relative path \"a/../x\":Invalid uplink '..' in path a/../x")]
    [InlineData("/abs", "ostree-tar: Invalid absolute path \"/abs\" in archive")]
    public void BadNamesAreRefusedWithOneLineAndNothingIsWritten(string name, string message)
    {
        var (repo, tmp) = NewRepo();
        using var _ = tmp;
        var tar = new TarBuilder().Dir("./").File(name, "x").Save(tmp.Combine("t.tar"));
        var e = Assert.Throws<RepoException>(() => Commit(repo, tar));
        Assert.Equal(message, e.Message);
        Assert.Empty(ObjectEnumerator.ListAll(repo));
        Assert.Null(repo.Refs.TryRead(null, "main"));
        Assert.Equal(["cache"], Directory.GetFileSystemEntries(repo.FullPath("tmp")).Select(Path.GetFileName));
    }

    [Fact]
    public void AnEmptyNameIsRefused()
    {
        var (repo, tmp) = NewRepo();
        using var _ = tmp;
        // TarWriter refuses empty names, so patch one into a ustar header (and fix its checksum)
        var path = new TarBuilder(TarEntryFormat.Ustar).Dir("./").File("x", "data").Save(tmp.Combine("t.tar"));
        var bytes = File.ReadAllBytes(path);
        bytes[512] = 0; // second header: name "x" -> ""
        Array.Fill(bytes, (byte)' ', 512 + 148, 8);
        int sum = 0;
        for (int i = 512; i < 1024; i++) sum += bytes[i];
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(bytes, 512 + 148);
        File.WriteAllBytes(path, bytes);

        // TarBuilder writes pax entries, so the patched byte is the first of "./"'s pax record: the
        // first entry's headers do not parse, which libarchive words as an unrecognized archive
        var e = Assert.Throws<RepoException>(() => Commit(repo, path));
        Assert.Equal("archive_read_open_filename: Unrecognized archive format", e.Message);
        Assert.Empty(ObjectEnumerator.ListAll(repo));
    }

    [Fact]
    public void MissingParentsAreAnErrorUnlessAutocreated()
    {
        var (repo, tmp) = NewRepo();
        using var _ = tmp;
        var tar = new TarBuilder().Dir("./").File("sub/deeper/x", "x", uid: 7, gid: 8).Save(tmp.Combine("t.tar"));
        var e = Assert.Throws<RepoException>(() => Commit(repo, tar));
        Assert.Equal("No such file or directory: sub", e.Message);

        var c = repo.LoadCommit(Commit(repo, tar, autocreate: true));
        // ostree gives created parents (and the root) 0755 owned by the entry's uid/gid
        Assert.Equal(new DirMetaObject(7, 8, 0x41ED, XattrList.Empty), repo.LoadDirMeta(c.RootMeta));
        var sub = repo.LoadDirTree(c.RootTree).Dirs.Single();
        Assert.Equal("sub", sub.Name);
        Assert.Equal(new DirMetaObject(7, 8, 0x41ED, XattrList.Empty), repo.LoadDirMeta(sub.Meta));
    }

    [Fact]
    public void NoRootEntryIsAnEmptyTree()
    {
        var (repo, tmp) = NewRepo();
        using var _ = tmp;
        var tar = new TarBuilder().File("x", "x").Save(tmp.Combine("t.tar"));
        var e = Assert.Throws<RepoException>(() => Commit(repo, tar));
        Assert.Equal("Can't commit an empty tree", e.Message);
    }

    [Fact]
    public void DevicesAndFifosAreRefused()
    {
        var (repo, tmp) = NewRepo();
        using var _ = tmp;
        var tar = new TarBuilder().Dir("./").Fifo("./pipe").Save(tmp.Combine("t.tar"));
        var e = Assert.Throws<RepoException>(() => Commit(repo, tar));
        Assert.Equal("Unsupported file type for path \"pipe\"", e.Message);
    }

    [Fact]
    public void PaxXattrsAreKeptInReverseArchiveOrderAndOwnerOverridesApply()
    {
        var (repo, tmp) = NewRepo();
        using var _ = tmp;
        var pax = new Dictionary<string, string> { ["SCHILY.xattr.user.b"] = "2", ["SCHILY.xattr.user.c"] = "3", ["SCHILY.xattr.user.a"] = "1" };
        var tar = new TarBuilder().Dir("./").File("./f", "x", uid: 3, pax: pax).Save(tmp.Combine("t.tar"));
        var c = repo.LoadCommit(Commit(repo, tar, uid: 9));
        var header = repo.LoadContent(repo.LoadDirTree(c.RootTree).Files.Single().Checksum).Header;
        Assert.Equal(9u, header.Uid);
        Assert.Equal(["user.a", "user.c", "user.b"], header.Xattrs.Items.Select(x => x.NameString));
    }

    [Fact]
    public void AMissingArchiveIsAOneLineError()
    {
        var (repo, tmp) = NewRepo();
        using var _ = tmp;
        var e = Assert.Throws<RepoException>(() => Commit(repo, tmp.Combine("nope.tar")));
        // `ostree commit --tree=tar=/nonexist`: libarchive's sentence behind the call's name
        Assert.Equal($"archive_read_open_filename: Failed to open '{tmp.Combine("nope.tar")}'", e.Message);
        Directory.CreateDirectory(tmp.Combine("dir.tar"));
        e = Assert.Throws<RepoException>(() => Commit(repo, tmp.Combine("dir.tar")));
        Assert.Equal($"archive_read_open_filename: Error reading '{tmp.Combine("dir.tar")}'", e.Message);
    }
}
