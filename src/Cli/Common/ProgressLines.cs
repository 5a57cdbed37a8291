using Arbor.Repo.Checkout;
using Arbor.Repo.Core;
using Arbor.Repo.Progress;
using Arbor.Repo.Prune;
using Arbor.Repo.Store;

namespace Arbor.Cli.Common;

/// <summary>The terminal progress lines of the long commands other than pull (see <see cref="TerminalProgress.Lines{T}"/>).</summary>
public static class ProgressLines
{
    /// <summary>commit: content objects gone through, how many were new and their size.</summary>
    public static string Commit(TransactionStats s) =>
        $"Committing: {s.ContentTotal} files, {s.ContentWritten} written ({SizeFormat.Format((ulong)s.ContentBytesWritten)})";

    /// <summary>checkout, and the checkout of <c>admin deploy</c>.</summary>
    public static string Checkout(CheckoutProgress p) =>
        $"Checking out: {p.Files} files, {p.Directories} directories";

    /// <summary>prune: loose objects looked at, and those unreachable (deleted, or to be with --no-prune).</summary>
    public static string Prune(PruneResult p) =>
        $"Pruning: {p.ObjectsTotal} objects examined, {p.ObjectsPruned} unreachable";

    /// <summary>static-delta generate: objects placed in parts out of the delta's, and parts finished.</summary>
    public static string DeltaGenerate(DeltaGenerateProgress p)
    {
        int percent = p.ObjectsTotal == 0 ? 100 : (int)(100L * p.Objects / p.ObjectsTotal);
        return $"Generating static delta: {percent}% ({p.Objects}/{p.ObjectsTotal} objects), {p.PartsDone} parts written";
    }
}
