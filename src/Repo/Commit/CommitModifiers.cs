using System.Text;
using Arbor.Repo.Core;
using Arbor.Repo.Labels;
using Arbor.Repo.Objects;

namespace Arbor.Repo.Commit;

/// <summary>
/// How metadata read from the input is changed before it is committed (ostree's commit modifier
/// and the CLI's filter): owner overrides, canonical permissions, xattr skipping. A
/// bare-user-only target always gets canonical permissions and no xattrs, as ostree forces.
/// </summary>
public sealed record CommitModifier
{
    public uint? OwnerUid { get; init; }
    public uint? OwnerGid { get; init; }
    /// <summary>uid/gid 0, files <c>mode &amp; 0755</c>, directories <c>mode &amp; 0755</c> (suid/sgid/sticky and group/other write dropped).</summary>
    public bool CanonicalPermissions { get; init; }
    /// <summary><c>--no-xattrs</c> (or a bare-user-only target): no xattrs from any source.</summary>
    public bool SkipXattrs { get; init; }
    /// <summary><c>core.disable-xattrs</c>: xattrs are not read from the file system (tar xattrs still apply).</summary>
    public bool DisableDiskXattrs { get; init; }
    /// <summary>The per-path filter (<c>--statoverride</c>, <c>--skip-list</c>, <c>--mode-ro-executables</c>), or null.</summary>
    public CommitPathFilter? Filter { get; init; }
    /// <summary><c>--selinux-policy</c> / <c>--selinux-policy-from-base</c>: every entry gets its <c>security.selinux</c> label, or null.</summary>
    public SePolicy? SePolicy { get; init; }

    public static CommitModifier None { get; } = new();

    /// <summary>The modifier ostree's <c>commit</c> builds for these options and target mode.</summary>
    public static CommitModifier Create(RepoMode targetMode, uint? ownerUid = null, uint? ownerGid = null,
        bool canonicalPermissions = false, bool noXattrs = false, bool disableDiskXattrs = false, CommitPathFilter? filter = null)
    {
        if (canonicalPermissions && ownerUid is > 0)
            throw new RepoException("Cannot specify both --canonical-permissions and non-zero --owner-uid");
        if (canonicalPermissions && ownerGid is > 0)
            throw new RepoException("Cannot specify both --canonical-permissions and non-zero --owner-gid");
        bool bareUserOnly = targetMode == RepoMode.BareUserOnly;
        return new CommitModifier
        {
            OwnerUid = ownerUid,
            OwnerGid = ownerGid,
            CanonicalPermissions = canonicalPermissions || bareUserOnly,
            SkipXattrs = noXattrs || bareUserOnly,
            DisableDiskXattrs = disableDiskXattrs,
            Filter = filter,
        };
    }

    /// <summary>True when the modifier cannot change anything, so existing trees can be reused as they are.</summary>
    public bool IsIdentity => OwnerUid is null && OwnerGid is null && !CanonicalPermissions && !SkipXattrs && !DisableDiskXattrs && Filter is null
        && SePolicy is not { Enabled: true };

    /// <summary>Whether importers must track each entry's path from the committed root (a path filter or a labeling policy).</summary>
    public bool NeedsPaths => Filter is not null || SePolicy is { Enabled: true };

    /// <summary>
    /// <paramref name="xattrs"/> with the policy's label for <paramref name="path"/> and the full
    /// st_mode <paramref name="mode"/> (ostree's get_final_xattrs): any existing
    /// <c>security.selinux</c> dropped, the label (NUL-terminated, a GVariant bytestring) appended
    /// last. Unchanged without a policy or when it has no label for the path.
    /// </summary>
    public XattrList Label(string? path, uint mode, XattrList xattrs) => WithLabel(path, mode, xattrs, replace: true);

    /// <summary>
    /// As <see cref="Label"/> for a tar entry (ostree's builder_add_label in its archive import):
    /// the label is appended after the entry's own xattrs, which are kept as they are.
    /// </summary>
    public XattrList AppendLabel(string path, uint mode, XattrList xattrs) => WithLabel(path, mode, xattrs, replace: false);

    private XattrList WithLabel(string? path, uint mode, XattrList xattrs, bool replace)
    {
        if (path is null || SePolicy?.Label(path, mode) is not { } label) return xattrs;
        var value = new byte[Encoding.UTF8.GetByteCount(label) + 1];
        Encoding.UTF8.GetBytes(label, value);
        var items = (replace ? Labels.SePolicy.WithoutLabel(xattrs) : xattrs).Items.ToList();
        items.Add(Xattr.Create(Labels.SePolicy.XattrName, value));
        return new XattrList(items);
    }

    /// <summary>Xattrs read from files and directories on disk (or from a commit) are dropped.</summary>
    public bool SkipSourceXattrs => SkipXattrs || CanonicalPermissions || DisableDiskXattrs;

    /// <summary>Xattrs carried by tar entries are dropped (ostree checks only the skip-xattrs flag there).</summary>
    public bool SkipArchiveXattrs => SkipXattrs;

    /// <summary>
    /// The filter, then the overrides, for the entry at <paramref name="path"/> (from the committed
    /// root); false when the filter skips it. Without a filter this is <see cref="Apply(uint, uint, uint)"/>.
    /// </summary>
    public bool TryApply(string? path, ref uint uid, ref uint gid, ref uint mode)
    {
        if (Filter is { } f && path is not null && !f.Apply(path, ref mode)) return false;
        (uid, gid, mode) = Apply(uid, gid, mode);
        return true;
    }

    /// <summary>Applies the overrides to an entry's owner and full mode (type bits included).</summary>
    public (uint Uid, uint Gid, uint Mode) Apply(uint uid, uint gid, uint mode)
    {
        if (OwnerUid is { } u) uid = u;
        if (OwnerGid is { } g) gid = g;
        if (CanonicalPermissions)
        {
            uint type = mode & ObjectFormats.S_IFMT;
            if (type == ObjectFormats.S_IFREG || type == ObjectFormats.S_IFDIR) mode &= type | 0x1ED; // 0755
            uid = 0;
            gid = 0;
        }
        return (uid, gid, mode);
    }

    /// <summary>The header of a file after the overrides (xattrs already filtered by the caller).</summary>
    public FileHeader Apply(FileHeader header)
    {
        var (uid, gid, mode) = Apply(header.Uid, header.Gid, header.Mode);
        return uid == header.Uid && gid == header.Gid && mode == header.Mode ? header : header with { Uid = uid, Gid = gid, Mode = mode };
    }

    public DirMetaObject Apply(DirMetaObject meta)
    {
        var (uid, gid, mode) = Apply(meta.Uid, meta.Gid, meta.Mode);
        return meta with { Uid = uid, Gid = gid, Mode = mode };
    }
}
