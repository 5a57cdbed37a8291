using System.Globalization;
using System.Text;
using Arbor.Cli.Output.Json;
using Arbor.Repo.Core;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;

namespace Arbor.Cli.Output;

/// <summary>
/// Commits as <c>ostree show</c> and <c>ostree log</c> print them (ot-dump.c): the
/// "commit CHECKSUM" line, then either the byteswapped GVariant text (<c>--raw</c>) or Parent,
/// ContentChecksum, Date, Version and the indented subject and body.
/// </summary>
internal static class CommitRenderer
{
    /// <summary>The last second <c>g_date_time_new_from_unix_utc</c> accepts (9999-12-31T23:59:59Z).</summary>
    private const ulong MaxTimestamp = 253402300799;

    public static void WriteObjectLine(TextWriter w, string type, Checksum checksum) => w.Write($"{type} {checksum}\n");

    /// <summary><c>ot_dump_variant</c>: <c>g_variant_print (g_variant_byteswap (v), TRUE)</c> on little-endian hosts.</summary>
    public static void WriteVariant(TextWriter w, GVariantValue value, bool byteswap = true)
    {
        w.Write(GVariantPrinter.Print(byteswap ? GVariantByteswap.Byteswap(value) : value, typeAnnotate: true));
        w.Write('\n');
    }

    /// <summary><c>dump_commit</c>.</summary>
    public static void WriteCommit(TextWriter w, CommitObject c)
    {
        var date = FormatDate(c.Timestamp);
        var sb = new StringBuilder();
        if (c.Parent is { } parent) sb.Append("Parent:  ").Append(parent).Append('\n');
        sb.Append("ContentChecksum:  ").Append(c.ContentChecksum).Append('\n');
        sb.Append("Date:  ").Append(date).Append('\n');
        if (Version(c) is { } version) sb.Append("Version: ").Append(version).Append('\n');
        if (c.Subject.Length > 0)
        {
            sb.Append('\n');
            AppendIndented(sb, c.Subject);
        }
        else sb.Append("(no subject)\n");
        if (c.Body.Length > 0)
        {
            sb.Append('\n');
            AppendIndented(sb, c.Body);
        }
        sb.Append('\n');
        w.Write(sb.ToString());
    }

    /// <summary>The "version" metadata key when it is a string (<c>g_variant_lookup (meta, "version", "s")</c>).</summary>
    public static string? Version(CommitObject c) => c.Metadata["version"] is { Type.Kind: GVariantTypeKind.String } v ? v.AsString() : null;

    /// <summary>"%Y-%m-%d %H:%M:%S +0000" in UTC; an error past year 9999, as ostree.</summary>
    public static string FormatDate(ulong timestamp)
    {
        if (timestamp > MaxTimestamp) throw new ArborException($"Failed to read commit: Invalid timestamp: {timestamp}");
        var dt = DateTimeOffset.FromUnixTimeSeconds((long)timestamp);
        return dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " +0000";
    }

    /// <summary><c>dump_indented_lines</c>: four spaces before each line; a final empty line is dropped.</summary>
    private static void AppendIndented(StringBuilder sb, string text)
    {
        int pos = 0;
        while (true)
        {
            int nl = text.IndexOf('\n', pos);
            if (nl < 0)
            {
                if (pos < text.Length) sb.Append("    ").Append(text, pos, text.Length - pos).Append('\n');
                return;
            }
            sb.Append("    ").Append(text, pos, nl + 1 - pos);
            pos = nl + 1;
        }
    }

    public static CommitJson ToJson(Checksum checksum, CommitObject c, VariantDictionary? detached, int? schema) =>
        new(schema,
            checksum.ToString(),
            c.Parent?.ToString(),
            c.Subject,
            c.Body,
            c.Timestamp,
            c.Timestamp <= MaxTimestamp ? DateTimeOffset.FromUnixTimeSeconds((long)c.Timestamp).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : null,
            Version(c),
            c.ContentChecksum.ToString(),
            c.RootTree.ToString(),
            c.RootMeta.ToString(),
            GVariantJson.FromDictionary(c.Metadata),
            detached is null ? null : GVariantJson.FromDictionary(detached));
}
