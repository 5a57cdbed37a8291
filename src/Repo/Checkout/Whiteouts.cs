using Arbor.Repo.Native;

namespace Arbor.Repo.Checkout;

/// <summary>
/// Whiteouts, as ostree processes them: Docker/OCI <c>.wh.NAME</c> removes NAME from the
/// destination (<see cref="CheckoutOptions.ProcessDockerWhiteouts"/>), and an overlayfs
/// passthrough whiteout <c>.ostree-wh.NAME</c> becomes a character device 0:0 named NAME with the
/// file's mode, owner and xattrs (<see cref="CheckoutOptions.ProcessWhiteouts"/>).
/// </summary>
internal sealed class Whiteouts(CheckoutRun run)
{
    public const string OpaqueName = ".wh..wh..opq";
    private const uint S_IFCHR = 0x2000;

    public void Docker(DirectoryNode dir, ReadOnlySpan<byte> target)
    {
        if (target.IsEmpty) throw new CheckoutException("Invalid empty whiteout ''");
        TreeRemoval.RemoveAt(dir, [.. target, 0]);
    }

    public void Overlay(DirectoryNode dir, ReadOnlySpan<byte> target, SourceFile source)
    {
        if (target.IsEmpty) throw new CheckoutException("Invalid empty overlayfs whiteout ''");
        byte[] nameZ = [.. target, 0];
        if (Create(dir, nameZ, source)) return;
        switch (run.Options.Overwrite)
        {
            case CheckoutOverwriteMode.None:
                throw new CheckoutException($"Creating whiteout char device: {Errno.Describe(Errno.EEXIST)}");
            case CheckoutOverwriteMode.UnionFiles:
                int u = AtFiles.TryUnlinkAt(dir.Handle, nameZ, directory: false);
                if (u != 0 && u != Errno.ENOENT) throw Errno.Error("unlinkat", dir.ChildPath(nameZ), u);
                if (!Create(dir, nameZ, source)) throw new CheckoutException($"Creating whiteout char device: {Errno.Describe(Errno.EEXIST)}");
                return;
            case CheckoutOverwriteMode.AddFiles:
                return;
            case CheckoutOverwriteMode.UnionIdentical:
                CheckIdentical(dir, nameZ, source);
                return;
        }
    }

    /// <summary>mknod, then xattrs, owner and mode (normal mode only); false when the name exists.</summary>
    private bool Create(DirectoryNode dir, byte[] nameZ, SourceFile source)
    {
        uint perms = source.Mode & 0xFFF;
        int e = AtFiles.TryMknodAt(dir.Handle, nameZ, perms | S_IFCHR, 0);
        if (e == Errno.EEXIST) return false;
        if (e != 0) throw new CheckoutException($"Creating whiteout char device: {Errno.Describe(e)}");
        if (!run.UserMode)
        {
            var path = dir.ChildPath(nameZ);
            foreach (var x in source.Xattrs.Items) Native.Xattrs.Set(path, x.Name, x.Value);
            e = AtFiles.TryChownAt(dir.Handle, nameZ, source.Uid, source.Gid);
            if (e != 0) throw new CheckoutException($"fchownat: {Errno.Describe(e)}");
            e = AtFiles.TryChmodAt(dir.Handle, nameZ, perms);
            if (e != 0) throw new CheckoutException($"fchmodat {CheckoutDirTree.Text(nameZ)} to 0{Convert.ToString(perms, 8)}: {Errno.Describe(e)}");
        }
        return true;
    }

    private void CheckIdentical(DirectoryNode dir, byte[] nameZ, SourceFile source)
    {
        string name = CheckoutDirTree.Text(nameZ);
        int e = AtFiles.TryStatAt(dir.Handle, nameZ, follow: false, out var st);
        if (e != 0) throw Errno.Error("fstatat", dir.ChildPath(nameZ), e);
        if (!(run.Primary.DisableXattrs || run.Repo.Mode == Core.RepoMode.BareUserOnly))
        {
            var existing = Objects.XattrList.Canonical(Native.Xattrs.GetAll(dir.ChildPath(nameZ)).Select(x => new Objects.Xattr(x.Name, x.Value)));
            if (!existing.Equals(Objects.XattrList.Canonical(source.Xattrs.Items)))
                throw new CheckoutException($"existing destination file {name} xattrs don't match");
        }
        if (run.UserMode) return;
        if (source.Gid != st.Gid) throw new CheckoutException($"existing destination file {name} does not match gid {source.Gid}");
        if (source.Uid != st.Uid) throw new CheckoutException($"existing destination file {name} does not match uid {source.Uid}");
        if ((source.Mode & 0xFFF) != (st.Mode & 0xFFF))
            throw new CheckoutException($"existing destination file {name} does not match mode {Convert.ToString(source.Mode, 8)}");
    }
}
