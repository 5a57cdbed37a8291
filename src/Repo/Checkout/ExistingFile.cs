using Arbor.Repo.Core;
using Arbor.Repo.Native;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Checkout;

/// <summary>
/// The object checksum of a file already in the destination (ostree's <c>ostree_checksum_file_at</c>),
/// so union checkouts can tell an identical file from a different one. Bare-user-only repositories
/// compare without xattrs and with owner 0:0, as their objects are stored.
/// </summary>
internal static class ExistingFile
{
    public static Checksum? Checksum(CheckoutRun run, DirectoryNode dir, ReadOnlySpan<byte> nameZ, FileStatus st)
    {
        bool canonical = run.Repo.Mode == RepoMode.BareUserOnly;
        bool ignoreXattrs = canonical || run.Primary.DisableXattrs;
        var path = dir.ChildPath(nameZ);
        uint uid = st.Uid, gid = st.Gid;
        string target = "";
        if (st.IsSymlink)
        {
            int e = AtFiles.TryReadLinkAt(dir.Handle, nameZ, out var bytes);
            if (e != 0) throw Errno.Error("readlinkat", path, e);
            target = System.Text.Encoding.UTF8.GetString(bytes);
        }
        else if (st.IsRegular && canonical)
        {
            uid = 0;
            gid = 0;
        }
        else if (!st.IsRegular)
        {
            // a directory or device: never the same as a file object
            return null;
        }
        var xattrs = ignoreXattrs
            ? XattrList.Empty
            : XattrList.Canonical(Native.Xattrs.GetAll(path).Select(x => new Xattr(x.Name, x.Value)));
        var header = new FileHeader(uid, gid, st.Mode, target, xattrs);
        if (!st.IsRegular) return ContentHasher.Compute(header, (Stream?)null);
        int o = AtFiles.TryOpenForRead(dir.Handle, nameZ, out var handle);
        if (o != 0) throw Errno.Error("openat", path, o);
        using var stream = new FileStream(handle!, FileAccess.Read, 64 * 1024);
        return ContentHasher.Compute(header, stream);
    }
}
