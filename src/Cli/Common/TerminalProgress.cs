using Arbor.Repo.Core;
using Arbor.Cli.Output;
using Arbor.Repo.Progress;

namespace Arbor.Cli.Common;

/// <summary>
/// One live line on a terminal, rewritten in place ("\r", the text, erase to the end of the line:
/// no other escape sequence). A pull's line shows objects fetched/total, bytes, rate and ETA; the
/// total is "(estimating)" until the metadata walk has ended, then it is exact. Other long commands
/// show their own line through <see cref="Lines{T}"/>. Used only when stdout is a terminal
/// (<see cref="ForCommand"/>); <see cref="Clear"/> erases the line before the command's own output,
/// so what a script reads is unchanged.
/// </summary>
public sealed class TerminalProgress(TextWriter output) : IProgress<ProgressEvent>
{
    private readonly object _lock = new();
    private bool _shown;

    /// <summary>A progress line for the running command when its stdout is a terminal; null (show nothing) otherwise.</summary>
    public static TerminalProgress? ForCommand()
    {
        var ctx = CommandContext.Get();
        return ctx.IsTerminal ? new TerminalProgress(ctx.Out) : null;
    }

    public void Report(ProgressEvent e) => Show(Format(e));

    /// <summary>Reports of <typeparamref name="T"/> shown through <paramref name="format"/> (the reporter limits their rate).</summary>
    public IProgress<T> Lines<T>(Func<T, string> format) => new LineProgress<T>(this, format);

    /// <summary><paramref name="write"/>, with the progress line erased first (for lines printed while the work goes on).</summary>
    public Action<string> ClearingFirst(Action<string> write) => line =>
    {
        Clear();
        write(line);
    };

    /// <summary><paramref name="writer"/>, with the progress line erased before each write.</summary>
    public TextWriter ClearingFirst(TextWriter writer) => new ClearingTextWriter(writer, this);

    /// <summary>Replaces the line shown with <paramref name="line"/>.</summary>
    public void Show(string line)
    {
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

    private sealed class LineProgress<T>(TerminalProgress terminal, Func<T, string> format) : IProgress<T>
    {
        public void Report(T value) => terminal.Show(format(value));
    }

    private static string FormatEta(TimeSpan t)
    {
        if (t.TotalHours >= 1) return $"{(int)t.TotalHours}h{t.Minutes:00}m";
        if (t.TotalMinutes >= 1) return $"{(int)t.TotalMinutes}m{t.Seconds:00}s";
        return $"{Math.Ceiling(t.TotalSeconds)}s";
    }
}
