using System.Text;

namespace Arbor.Cli.Common;

/// <summary>A writer that erases the terminal's progress line before each write, so that lines printed while the work goes on stay whole.</summary>
internal sealed class ClearingTextWriter(TextWriter inner, TerminalProgress progress) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        progress.Clear();
        inner.Write(value);
    }

    public override void Write(string? value)
    {
        progress.Clear();
        inner.Write(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        progress.Clear();
        inner.Write(buffer, index, count);
    }

    public override void WriteLine(string? value)
    {
        progress.Clear();
        inner.WriteLine(value);
    }

    public override void Flush() => inner.Flush();
}
