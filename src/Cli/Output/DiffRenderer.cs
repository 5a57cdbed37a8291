using Arbor.Repo.Core;
using Arbor.Repo.Diff;

namespace Arbor.Cli.Output;

/// <summary><c>ostree_diff_print</c>: "M", "D" and "A" lines, each prefix followed by four spaces and the path.</summary>
internal static class DiffRenderer
{
    public static void Write(TextWriter w, DiffNode source, DiffNode target, DiffResult diff)
    {
        foreach (var m in diff.Modified) w.Write($"M    {m.Source.DisplayPath(source)}\n");
        foreach (var d in diff.Removed) w.Write($"D    {d.DisplayPath(source)}\n");
        foreach (var a in diff.Added) w.Write($"A    {a.DisplayPath(target)}\n");
    }

    public static void WriteStats(TextWriter w, CommitObjectStats.Result s)
    {
        w.Write($"[A] Object Count: {s.CountA}\n");
        w.Write($"[B] Object Count: {s.CountB}\n");
        w.Write($"Common Object Count: {s.CommonCount}\n");
        w.Write($"Common Object Size: {SizeFormat.Format(s.CommonSize)}\n");
    }
}
