using Arbor.Repo.Core;
using Arbor.Cli.Output;
using Arbor.Repo.Pull;

namespace Arbor.Cli.Commands;

/// <summary>The line ostree prints when a pull ends ("12 metadata, 12 content objects fetched; 42 KiB transferred in 0 seconds; 100.4 kB content written").</summary>
public static class PullStatus
{
    public static string Format(PullResult r)
    {
        // a file:// remote goes through deltas (and is then not a local import) only with --require-static-deltas, as in ostree
        var s = r.Deltas is { PartsFetched: > 0 } d
            ? $"{d.PartsFetched} delta parts, {r.MetadataFetched + r.ContentFetched + d.IndexAndSuperblockFetches} loose fetched"
            : r.Local
                ? $"{r.MetadataFetched} metadata, {r.ContentFetched} content objects imported"
                : $"{r.MetadataFetched} metadata, {r.ContentFetched} content objects fetched";
        if (!r.Local && (r.MetadataFromCache > 0 || r.ContentFromCache > 0))
            s += $" ({r.MetadataFromCache} meta, {r.ContentFromCache} content local)";
        if (r.BytesTransferred > 0)
        {
            var (n, unit) = r.BytesTransferred < 1024 ? (r.BytesTransferred, "B") : (r.BytesTransferred / 1024, "KiB");
            s += $"; {n} {unit} transferred in {(int)r.Elapsed.TotalSeconds} seconds";
        }
        return s + $"; {SizeFormat.Format((ulong)r.ContentBytesWritten)} content written";
    }

    public static string FormatDryRun(PullResult r, bool deltas = false)
    {
        if (!deltas || r.Deltas is not { } d)
            return $"Dry run: {r.MetadataFetched} metadata objects fetched, {r.ContentMissing} content objects would be fetched; nothing written";
        // ostree's only dry run (it requires --require-static-deltas): fallbacks are counted as parts
        return $"Delta update: {d.PartsFetched + d.FallbacksFetched}/{d.PartsTotal + d.FallbacksTotal} parts, "
            + $"{SizeFormat.Format(d.FetchedSize)}/{SizeFormat.Format(d.TotalSize)}, "
            + $"{SizeFormat.Format(d.TotalUncompressedSize)} total uncompressed";
    }
}
