using Arbor.Repo.Core;
using System.Buffers.Binary;
using Arbor.Repo.GVariant;
using Arbor.Repo.Objects;
using Arbor.Repo.Summary;

namespace Arbor.Cli.Output;

/// <summary>
/// Renders a summary as <c>ostree summary --view</c> / <c>remote summary</c> do, or with
/// <c>--raw</c> as <c>g_variant_print</c> of the byte-swapped value (ostree's <c>ot_dump_variant</c>).
/// </summary>
public static class SummaryTextRenderer
{
    public static void RenderRaw(TextWriter o, SummaryFile summary)
    {
        var value = GVariantValue.Deserialize(summary.Bytes, ObjectFormats.Summary);
        o.WriteLine(GVariantPrinter.Print(GVariantByteswap.Byteswap(value), typeAnnotate: true));
    }

    public static void Render(TextWriter o, SummaryFile summary)
    {
        RenderRefs(o, summary.CollectionId, summary.Refs);
        foreach (var (collection, refs) in summary.CollectionMap) RenderRefs(o, collection, refs);
        foreach (var (key, value) in summary.Metadata.Entries)
        {
            string? pretty = null;
            string text;
            switch (key)
            {
                case SummaryFile.StaticDeltasKey:
                    pretty = "Static Deltas";
                    text = GVariantPrinter.Print(value, false);
                    break;
                case SummaryFile.LastModifiedKey:
                    pretty = "Last-Modified";
                    text = GLibFormat.Iso8601Local(BinaryPrimitives.ReverseEndianness(value.AsUInt64()));
                    break;
                case SummaryFile.ExpiresKey:
                    pretty = "Expires";
                    text = GLibFormat.Iso8601Local(BinaryPrimitives.ReverseEndianness(value.AsUInt64()));
                    break;
                case SummaryFile.CollectionIdKey:
                    pretty = "Collection ID";
                    text = value.AsString();
                    break;
                case SummaryFile.CollectionMapKey:
                    pretty = "Collection Map";
                    text = "(printed above)";
                    break;
                case SummaryFile.ModeKey:
                    pretty = "Repository Mode";
                    var mode = value.AsString();
                    text = Arbor.Repo.Core.RepoModes.TryParse(mode, out _) ? mode : $"Invalid (‘{mode}’)";
                    break;
                case SummaryFile.TombstoneCommitsKey:
                    pretty = "Has Tombstone Commits";
                    text = value.AsBoolean() ? "Yes" : "No";
                    break;
                default:
                    text = GVariantPrinter.Print(value, false);
                    break;
            }
            o.WriteLine(pretty is null ? $"{key}: {text}" : $"{pretty} ({key}): {text}");
        }
    }

    private static void RenderRefs(TextWriter o, string? collectionId, IReadOnlyList<SummaryRef> refs)
    {
        foreach (var r in refs)
        {
            o.WriteLine(collectionId is null ? $"* {r.Name}" : $"* ({collectionId}, {r.Name})");
            o.WriteLine($"    Latest Commit ({SizeFormat.Format(r.CommitSize)}):");
            o.WriteLine($"      {r.Commit}");
            foreach (var (key, value) in r.Metadata.Entries)
            {
                if (key == SummaryRef.TimestampKey)
                    o.WriteLine($"    Timestamp ({key}): {GLibFormat.Iso8601Local(BinaryPrimitives.ReverseEndianness(value.AsUInt64()))}");
                else if (key == SummaryRef.VersionKey)
                    o.WriteLine($"    Version ({key}): {value.AsString()}");
                else
                    o.WriteLine($"    {key}: {GVariantPrinter.Print(value, false)}");
            }
            o.WriteLine();
        }
    }
}
