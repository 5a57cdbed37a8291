using Arbor.Cli.Output;
using Arbor.Repo.Pull;

namespace Arbor.Cli.Commands;

/// <summary>The line ostree prints when a pull ends ("12 metadata, 12 content objects fetched; 42 KiB transferred in 0 seconds; 100.4 kB content written").</summary>
public static class PullStatus
{
    public static string Format(PullResult r)
    {
        var s = r.Local
            ? $"{r.MetadataFetched} metadata, {r.ContentFetched} content objects imported"
            : $"{r.MetadataFetched} metadata, {r.ContentFetched} content objects fetched";
        if (r.BytesTransferred > 0)
        {
            var (n, unit) = r.BytesTransferred < 1024 ? (r.BytesTransferred, "B") : (r.BytesTransferred / 1024, "KiB");
            s += $"; {n} {unit} transferred in {(int)r.Elapsed.TotalSeconds} seconds";
        }
        return s + $"; {Arbor.Cli.Common.SizeFormat.Format((ulong)r.ContentBytesWritten)} content written";
    }

    public static string FormatDryRun(PullResult r) =>
        $"Dry run: {r.MetadataFetched} metadata objects fetched, {r.ContentMissing} content objects would be fetched; nothing written";
}
