using Arbor.Repo.Core;
using Arbor.Cli.Output;
using Arbor.Repo.Progress;

namespace Arbor.Cli.Common;

/// <summary>
/// One live line on a terminal, rewritten in place: objects fetched/total, bytes, rate and ETA.
/// The total is shown as "(estimating)" until the metadata walk has ended, then it is exact.
/// Used only when stdout is a terminal; <see cref="Clear"/> erases the line before the final status.
/// </summary>
public sealed class TerminalProgress(TextWriter output) : IProgress<ProgressEvent>
{
    private readonly object _lock = new();
    private bool _shown;

    public void Report(ProgressEvent e)
    {
        var line = Format(e);
        lock (_lock)
        {
            output.Write("\r\u001b[K" + line);
            output.Flush();
            _shown = true;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            if (!_shown) return;
            output.Write("\r\u001b[K");
            output.Flush();
            _shown = false;
        }
    }

    public static string Format(ProgressEvent e)
    {
        var rate = e.BytesPerSecond > 0 ? SizeFormat.Format((ulong)e.BytesPerSecond) : "-";
        var bytes = SizeFormat.Format((ulong)e.BytesTransferred);
        switch (e.Phase)
        {
            case PullPhase.Resolving:
                return "Fetching summary and refs";
            case PullPhase.Scanning:
                return $"Receiving metadata objects: {e.ObjectsFetched}/(estimating) {rate}/s {bytes}";
            case PullPhase.Receiving:
                int pct = e.ObjectsTotal == 0 ? 100 : (int)(100.0 * e.ObjectsFetched / e.ObjectsTotal);
                var eta = e.EstimatedRemaining is { } t ? $" {FormatEta(t)} remaining" : "";
                return $"Receiving objects: {pct}% ({e.ObjectsFetched}/{e.ObjectsTotal}) {rate}/s {bytes}{eta}";
            case PullPhase.Writing:
                return $"Writing objects: {e.ObjectsFetched}";
            default:
                return $"{e.ObjectsFetched} objects";
        }
    }

    private static string FormatEta(TimeSpan t)
    {
        if (t.TotalHours >= 1) return $"{(int)t.TotalHours}h{t.Minutes:00}m";
        if (t.TotalMinutes >= 1) return $"{(int)t.TotalMinutes}m{t.Seconds:00}s";
        return $"{Math.Ceiling(t.TotalSeconds)}s";
    }
}
