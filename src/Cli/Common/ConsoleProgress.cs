using System.Diagnostics;

namespace Arbor.Cli.Common;

/// <summary>
/// Progress lines as libglnx's console helpers print them, which ostree's output consists of:
/// on a pipe or file, one line "TEXT (N/TOTAL) P%" at most once a second, always the first and
/// the 100% one; on a terminal, a bar redrawn in place at most five times a second.
/// </summary>
public sealed class ConsoleProgress
{
    private const int MaxBarColumns = 20;
    private const int MinColumns = 10;
    private readonly TextWriter _out;
    private readonly bool _isTerminal;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _last;
    private bool _started;

    public ConsoleProgress(TextWriter output, bool isTerminal)
    {
        _out = output;
        _isTerminal = isTerminal;
    }

    /// <summary>glnx_console_progress_n_items: "TEXT (CURRENT/TOTAL)" with a percentage.</summary>
    public void Items(string text, int current, int total)
    {
        if (total <= 0) return;
        int percent = current == total ? 100 : (int)((double)current / total * 100);
        Update($"{text} ({current}/{total})", percent);
    }

    private void Update(string text, int percent)
    {
        var now = _clock.Elapsed;
        var interval = TimeSpan.FromMilliseconds(_isTerminal ? 200 : 1000);
        if (percent != 100 && _last is { } last && now - last < interval) return;
        _last = now;
        if (!_isTerminal)
        {
            _out.Write($"{text} {percent}%\n");
            _out.Flush();
            return;
        }
        if (!_started) { _out.Write("\u001b7"); _started = true; }
        int columns = Columns();
        if (columns < MinColumns) return;
        int textLength = Math.Min(text.Length, columns - MinColumns);
        int barLength = Math.Min(MaxBarColumns, columns - (textLength + 1));
        int inner = barLength - 2 - 5;
        int equals = (int)(inner * (percent / 100.0));
        _out.Write("\u001b8");
        if (textLength > 0) _out.Write(text[..textLength] + " ");
        _out.Write($"[{new string('=', equals)}{new string(' ', inner - equals)}] {percent,3}%");
        _out.Flush();
    }

    /// <summary>glnx_console_unlock: ends the bar's line on a terminal.</summary>
    public void Finish()
    {
        if (_isTerminal && _started) _out.Write('\n');
    }

    /// <summary>
    /// The terminal's width from TIOCGWINSZ on stdout. Not Console.WindowWidth: that initializes .NET's
    /// terminal handling, which switches the terminal to keypad/application-cursor mode (ESC[?1h ESC=)
    /// and never switches it back; ostree writes nothing but the bar.
    /// </summary>
    private static int Columns()
    {
        if (Arbor.Repo.Native.FdIo.TerminalColumns(1) is { } columns) return columns;
        return int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var c) && c > 0 ? c : 80;
    }
}
