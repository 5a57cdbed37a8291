using System.Globalization;
using System.Text;
using Arbor.Cli.Output.Json;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Read;

namespace Arbor.Cli.Output;

/// <summary>
/// <c>ls</c> lines as ot-builtin-ls.c prints them: type character, "0%04o" permissions, uid, gid,
/// size right-aligned in six columns, then (<c>-C</c>) checksums, (<c>-X</c>) "{ xattrs }", the
/// path and " -> target" for symlinks; or NUL-terminated paths only.
/// </summary>
internal static class LsRenderer
{
    public readonly record struct Options(bool Checksum, bool Xattrs, bool NulFilenamesOnly);

    public static void Write(TextWriter w, RepoPath path, RepoPathInfo info, Options o)
    {
        if (o.NulFilenamesOnly)
        {
            w.Write(path.Path);
            w.Write('\0');
            return;
        }
        var sb = new StringBuilder();
        sb.Append(info.Kind switch { TreeEntryKind.Directory => 'd', TreeEntryKind.Symlink => 'l', _ => '-' });
        sb.Append('0').Append(Convert.ToString(info.Mode & ~ObjectFormats.S_IFMT, 8).PadLeft(4, '0'));
        sb.Append(' ').Append(info.Uid.ToString(CultureInfo.InvariantCulture));
        sb.Append(' ').Append(info.Gid.ToString(CultureInfo.InvariantCulture));
        sb.Append(' ').Append(info.Size.ToString(CultureInfo.InvariantCulture).PadLeft(6)).Append(' ');
        if (o.Checksum)
        {
            if (info.Kind == TreeEntryKind.Directory) sb.Append(path.ContentsChecksum).Append(' ');
            sb.Append(path.Checksum).Append(' ');
        }
        if (o.Xattrs)
            sb.Append("{ ").Append(GVariantPrinter.Print(XattrValue.ToValue(info.Xattrs), typeAnnotate: true)).Append(" } ");
        sb.Append(path.Path);
        if (info.Kind == TreeEntryKind.Symlink) sb.Append(" -> ").Append(info.SymlinkTarget);
        sb.Append('\n');
        w.Write(sb.ToString());
    }

    public static LsEntryJson ToJson(RepoPath path, RepoPathInfo info) => new(
        path.Path,
        info.Kind switch { TreeEntryKind.Directory => "dir", TreeEntryKind.Symlink => "symlink", _ => "file" },
        "0" + Convert.ToString(info.Mode & ObjectFormats.PermissionMask, 8).PadLeft(3, '0'),
        info.Uid,
        info.Gid,
        info.Size,
        path.Checksum.ToString(),
        info.Kind == TreeEntryKind.Directory ? path.ContentsChecksum.ToString() : null,
        info.SymlinkTarget,
        info.Xattrs.Items.Select(x => new XattrJson(x.NameString, Convert.ToBase64String(x.Value))).ToList());
}
